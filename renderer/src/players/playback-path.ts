/**
 * Which of the six playback paths a tile's stream takes (runtime: anywhere, pure): decided from what
 * main's stream.open answered, the tile's size, and what this browser offers. feed-host.ts asks this,
 * then opens the path it names.
 *
 * - webcodecs-worker: a small tile's sub stream, decoded with WebCodecs in the window's media worker
 *   and drawn on the tile's canvas at its shown size (the compositor then only copies it).
 * - mse-worker: a main stream (a big or enlarged tile, or a camera without a sub stream), fed to a
 *   MediaSource the worker owns and the tile's <video> plays: a big picture drawn on a canvas is
 *   converted to RGB whole on the worker's thread, too dear.
 * - mse-page: the same where a worker can't own a MediaSource.
 * - hls: an HLS camera, in hls.js on the page (it has its own transmux worker).
 * - mpeg1-worker / mpeg1-page: main's MPEG-1 transcode for a codec the browser can't decode, drawn
 *   by JSMpeg on the tile's canvas, in the worker where the canvas can be handed over.
 */

export type PlaybackPath = 'webcodecs-worker' | 'mse-worker' | 'mse-page' | 'hls' | 'mpeg1-worker' | 'mpeg1-page';

export interface PathTicket {
  kind: 'fmp4' | 'hls' | 'mpeg1';
  /** The quality main delivers (a camera without a sub stream sends its main one). */
  quality: 'main' | 'sub';
}

/** What the browser offers, read once per window by feed-host.ts. */
export interface Capabilities {
  /** A dedicated worker that can own a MediaSource (Chromium 108+), and has not failed to start. */
  mediaWorker: boolean;
  /** VideoDecoder (WebCodecs). */
  webCodecs: boolean;
  /** HTMLCanvasElement.transferControlToOffscreen. */
  offscreenCanvas: boolean;
  /** Benchmarks only: keep gateway streams on MSE (the path before WebCodecs), to compare the two. */
  forceMse: boolean;
}

export function choosePath(ticket: PathTicket, small: boolean, can: Capabilities): PlaybackPath {
  if (ticket.kind === 'hls') return 'hls';
  if (ticket.kind === 'mpeg1') return can.mediaWorker && can.offscreenCanvas ? 'mpeg1-worker' : 'mpeg1-page';
  if (small && ticket.quality === 'sub' && can.mediaWorker && can.webCodecs && can.offscreenCanvas && !can.forceMse) return 'webcodecs-worker';
  return can.mediaWorker ? 'mse-worker' : 'mse-page';
}
