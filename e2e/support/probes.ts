/**
 * Functions that run inside the page (passed to page.evaluate), shared by the e2e tests and the
 * benchmarks so both count frames the same way.
 */

/** Frame callbacks one <video> gets during `ms` (run with locator.evaluate on that video). */
export function presentedFrames(v: HTMLVideoElement, ms: number): Promise<number> {
  return new Promise((resolve) => {
    let n = 0;
    const cb = () => {
      n++;
      v.requestVideoFrameCallback(cb);
    };
    v.requestVideoFrameCallback(cb);
    setTimeout(() => resolve(n), ms);
  });
}

/**
 * Two counts per <video> over `ms`: `presented`, the frames the compositor put on screen (the
 * difference of requestVideoFrameCallback's metadata.presentedFrames between the first and the
 * last callback), and `callbacks`, how many of them the page's main thread saw (one per rendering
 * opportunity with a new picture). A busy main thread lowers the second, not the first.
 */
export function countFrames(ms: number): Promise<{ presented: number[]; callbacks: number[] }> {
  return new Promise((resolve) => {
    const videos = [...document.querySelectorAll('video')];
    const presented = videos.map(() => 0);
    const callbacks = videos.map(() => 0);
    let stop = false;
    videos.forEach((v, i) => {
      let seen = -1;
      let last = -1;
      const cb = (_n: number, meta: VideoFrameCallbackMetadata) => {
        if (stop) return;
        // The counter starts again when the player reloads its stream: count what came after.
        if (last >= 0) presented[i]! += meta.presentedFrames >= last ? meta.presentedFrames - last : meta.presentedFrames;
        last = meta.presentedFrames;
        if (meta.mediaTime !== seen) callbacks[i]!++;
        seen = meta.mediaTime;
        v.requestVideoFrameCallback(cb);
      };
      v.requestVideoFrameCallback(cb);
    });
    setTimeout(() => {
      stop = true;
      resolve({ presented, callbacks });
    }, ms);
  });
}

/**
 * Where an alert's box is drawn on its tile's overlay canvas, and what colour is there: the box's
 * on-screen rectangle (from the canvas's place and the box's normalised coordinates), the pixels
 * at the middle of its four edges and at its centre ([r, g, b, a]). Run with locator.evaluate on the
 * tile; null until the alert is listed and the canvas exists.
 */
export function drawnBox(tile: Element, { alertId, index }: { alertId: string; index: number }): { rect: number[]; edges: number[][]; centre: number[] } | null {
  const item = tile.querySelector<HTMLElement>(`[data-alert-list] [data-alert-id="${alertId}"]`);
  const canvas = tile.querySelector<HTMLCanvasElement>('canvas[data-alert-canvas]');
  if (!item || !canvas) return null;
  const box = (item.dataset.boxes ?? '').split(';')[index]?.split(',').map(Number);
  if (!box || box.length !== 4) return null;
  // The canvas covers the tile; the picture area inside it is data-picture-rect (CSS pixels).
  const cr = canvas.getBoundingClientRect();
  const [rx, ry, rw, rh] = (canvas.dataset.pictureRect ?? '').split(',').map(Number) as [number, number, number, number];
  const [x, y, w, h] = [rx + box[0]! * rw, ry + box[1]! * rh, box[2]! * rw, box[3]! * rh];
  const sx = canvas.width / cr.width;
  const sy = canvas.height / cr.height;
  const ctx = canvas.getContext('2d')!;
  const at = (px: number, py: number) => [...ctx.getImageData(Math.round(px * sx), Math.round(py * sy), 1, 1).data];
  return {
    rect: [cr.left + x, cr.top + y, w, h],
    edges: [at(x + w / 2, y), at(x + w, y + h / 2), at(x + w / 2, y + h), at(x, y + h / 2)],
    centre: at(x + w / 2, y + h / 2),
  };
}

/** The colour at a point of a tile's overlay, in CSS pixels from the picture area's corner ([r, g, b, a]). */
export function overlayPixel(tile: Element, { x: px, y: py }: { x: number; y: number }): number[] | null {
  const canvas = tile.querySelector<HTMLCanvasElement>('canvas[data-alert-canvas]');
  if (!canvas) return null;
  const cr = canvas.getBoundingClientRect();
  const [rx, ry] = (canvas.dataset.pictureRect ?? '').split(',').map(Number) as [number, number];
  return [...canvas.getContext('2d')!.getImageData(Math.round(((rx + px) * canvas.width) / cr.width), Math.round(((ry + py) * canvas.height) / cr.height), 1, 1).data];
}
