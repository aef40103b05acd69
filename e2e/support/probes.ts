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

/** Frames each <video> (in document order) presents during `ms`, by requestVideoFrameCallback. */
export function countPresentedFrames(ms: number): Promise<number[]> {
  return new Promise((resolve) => {
    const videos = [...document.querySelectorAll('video')];
    const counts = videos.map(() => 0);
    let stop = false;
    videos.forEach((v, i) => {
      let last = -1;
      const cb = (_n: number, meta: VideoFrameCallbackMetadata) => {
        if (stop) return;
        if (meta.mediaTime !== last) counts[i]!++;
        last = meta.mediaTime;
        v.requestVideoFrameCallback(cb);
      };
      v.requestVideoFrameCallback(cb);
    });
    setTimeout(() => {
      stop = true;
      resolve(counts);
    }, ms);
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
