/**
 * Pictures each tile showed during a time window, however it plays (runtime: Node, Playwright): a
 * tile drawing on its canvas (WebCodecs, MPEG-1) is counted by the media worker (pictures drawn on
 * that canvas, by its data-surface), a tile playing a <video> by requestVideoFrameCallback
 * (countFrames). Shared by the e2e tests and the benchmarks, so both count the same way.
 */
import type { Page, Worker } from 'playwright-core';
import { countFrames } from './probes';

export interface TileFrames {
  /** monitor:tile, in document order. */
  keys: string[];
  /** What reached the screen: pictures drawn on the canvas, or the video's presentedFrames. */
  presented: number[];
  /** New pictures the page saw: the same drawn pictures, or the video's frame callbacks. */
  callbacks: number[];
  /** How each tile played: 'canvas', 'video' or 'none'. */
  via: ('canvas' | 'video' | 'none')[];
  /**
   * What each tile was at the window's end, to explain a low count: its state, its camera when that
   * changed in the window, and for a canvas tile the surface ids read at the start and the end, and
   * whether the worker knew the last one.
   */
  detail: string[];
}

/** The window's media worker (it owns every tile's socket and decoder). */
export function mediaWorker(page: Page): Worker {
  const w = page.workers().find((x) => x.url().includes('media-worker'));
  if (!w)
    throw new Error(
      `no media worker among ${
        page
          .workers()
          .map((x) => x.url())
          .join(', ') || 'no workers'
      }`,
    );
  return w;
}

/**
 * The media worker's test hook (test-hooks build): every canvas keeps only every `keepEvery`-th picture
 * it is offered, as a machine that can't keep up would; 1 draws them all again.
 */
export async function starveWorker(page: Page, keepEvery: number): Promise<void> {
  await mediaWorker(page).evaluate((k) => (self as unknown as { starve: (keepEvery: number) => void }).starve(k), keepEvery);
}

/** Pictures drawn per canvas so far, and when (the worker's clock) they were read. */
function drawnBySurface(w: Worker): Promise<{ at: number; drawn: Record<string, number> }> {
  return w.evaluate(() => ({ at: performance.now(), drawn: (self as unknown as { drawnBySurface: () => Record<string, number> }).drawnBySurface() }));
}

/** Each tile's key, its front canvas's surface id (or null) and its front video's place among the page's videos. */
function readTiles(page: Page) {
  return page.locator('[data-tile]').evaluateAll((els) =>
    els.map((t) => {
      const el = t as HTMLElement;
      const canvas = t.querySelector<HTMLCanvasElement>('canvas[data-front="1"][data-surface]:not([hidden])');
      const video = t.querySelector<HTMLVideoElement>('video[data-front="1"]:not([hidden])');
      const playing = !canvas && video !== null && (video.src !== '' || video.srcObject !== null);
      // countFrames counts every <video> in document order: the front video's place among them.
      const why = el.querySelector('[data-reason]')?.getAttribute('data-reason');
      return {
        key: `${el.dataset.monitor}:${el.dataset.tile}`,
        camera: el.dataset.camera ?? '',
        state: `${el.dataset.state ?? '?'}${why ? ` ${why}` : ''}`,
        surface: canvas?.dataset.surface ?? null,
        video: playing ? [...document.querySelectorAll('video')].indexOf(video) : -1,
      };
    }),
  );
}

/**
 * Pictures a canvas tile drew between two reads. A tile whose stream restarted in between draws on a
 * new canvas: its count is what the old canvas drew until it was let go (the worker keeps a let-go
 * canvas's final count) plus what the new one drew. Never negative.
 */
function canvasCount(before: Record<string, number>, after: Record<string, number>, was: string | null, now: string): number {
  if (was === now || was === null) return Math.max(0, (after[now] ?? 0) - (before[now] ?? 0));
  return Math.max(0, (after[was] ?? before[was] ?? 0) - (before[was] ?? 0)) + (after[now] ?? 0);
}

/** ", camera a → b" when the tile showed another camera at the window's end (an alarm pop, say); else "". */
function cameraChange(was: { key: string; camera: string } | undefined, now: { key: string; camera: string }): string {
  return was && was.key === now.key && was.camera !== now.camera ? `, camera ${was.camera || '-'} → ${now.camera || '-'}` : '';
}

export async function tileFrames(page: Page, ms: number): Promise<TileFrames> {
  const first = await readTiles(page);
  const worker = first.some((t) => t.surface) ? mediaWorker(page) : null;
  const before = worker ? await drawnBySurface(worker) : null;
  const videos = await page.evaluate(countFrames, ms);
  const after = worker ? await drawnBySurface(worker) : null;
  const tiles = ms > 0 ? await readTiles(page) : first;
  // The two reads are further apart than `ms` (each waits its turn in a busy worker): scale the
  // canvases' counts to `ms`, as the videos' are counted over exactly `ms`.
  const scale = before && after && after.at > before.at ? ms / (after.at - before.at) : 1;
  const out: TileFrames = { keys: [], presented: [], callbacks: [], via: [], detail: [] };
  for (const [i, t] of tiles.entries()) {
    out.keys.push(t.key);
    if (t.surface) {
      const was = first[i]?.key === t.key ? first[i].surface : null;
      const n = Math.round(canvasCount(before?.drawn ?? {}, after?.drawn ?? {}, was, t.surface) * scale);
      out.presented.push(n);
      out.callbacks.push(n);
      out.via.push('canvas');
      out.detail.push(`${t.state}${cameraChange(first[i], t)}, surface ${was ?? '-'} → ${t.surface}${after && !(t.surface in after.drawn) ? ' (unknown to the worker)' : ''}`);
    } else if (t.video >= 0) {
      out.presented.push(videos.presented[t.video] ?? 0);
      out.callbacks.push(videos.callbacks[t.video] ?? 0);
      out.via.push('video');
      out.detail.push(`${t.state}${cameraChange(first[i], t)}, video`);
    } else {
      out.presented.push(0);
      out.callbacks.push(0);
      out.via.push('none');
      out.detail.push(`${t.state}${cameraChange(first[i], t)}, no canvas or video in front`);
    }
  }
  return out;
}
