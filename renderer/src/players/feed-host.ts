/**
 * Where tile feeds run (runtime: browser). Gateway streams run in the window's media worker when this
 * browser lets a worker own a MediaSource (Chromium 108+, so Electron and the Chromium web mode is
 * tested in), else in the page; HLS sources run in hls.js on the page (it has its own transmux
 * worker); the MPEG-1 fallback runs JSMpeg on the page, drawing on the tile's canvas. Players call
 * openFeed and get the same events every way.
 */
import { HlsFeed } from './hls-feed';
import { Mpeg1Feed } from './mpeg1-feed';
import { MseFeed, type FeedEvent } from './mse-feed';

export interface FeedConnection {
  close(): void;
  /** Whether the player keeps the video at the live edge (hls.js keeps its own live sync). */
  readonly holdsLiveEdge: boolean;
}

/** What main's stream.open answered: a gateway socket (fMP4), a proxied HLS playlist, or an MPEG-1 socket. */
export interface FeedTicket {
  url: string;
  kind: 'fmp4' | 'hls' | 'mpeg1';
}

/** Where a feed shows its picture: MSE and hls.js on the video, JSMpeg on the canvas. */
export interface FeedSurfaces {
  video: HTMLVideoElement;
  canvas: HTMLCanvasElement;
}

type Handler = (e: FeedEvent) => void;

let worker: Worker | null = null;
let workerBroken = false;
let nextId = 1;
const handlers = new Map<number, Handler>();

function canUseWorker(): boolean {
  return !workerBroken && typeof Worker !== 'undefined' && (MediaSource as unknown as { canConstructInDedicatedWorker?: boolean }).canConstructInDedicatedWorker === true;
}

function mediaWorker(): Worker | null {
  if (worker) return worker;
  try {
    worker = new Worker(new URL('./mse-worker.ts', import.meta.url), { type: 'module', name: 'pantau-media' });
  } catch {
    workerBroken = true;
    return null;
  }
  let ready = false;
  worker.onmessage = (ev: MessageEvent<{ id: number; event: FeedEvent } | { ready: true }>) => {
    if ('ready' in ev.data) {
      ready = true;
      return;
    }
    const { id, event } = ev.data;
    const h = handlers.get(id);
    if (event.type === 'closed') handlers.delete(id);
    h?.(event);
  };
  worker.onerror = (ev) => {
    // An error after start-up is one feed's, and that feed has already ended itself: the others
    // carry on. An error before it means the worker could not start: every feed sent to it is
    // gone, so tell their players (they reconnect) and run feeds in the page from now on.
    if (ready) {
      ev.preventDefault();
      return;
    }
    workerBroken = true;
    worker?.terminate();
    worker = null;
    const all = [...handlers.values()];
    handlers.clear();
    for (const h of all) h({ type: 'closed', reason: 'the media worker could not start' });
  };
  return worker;
}

/** Opens a stream on the tile's surfaces; events arrive on `onEvent` until close() or a 'closed' event. */
export function openFeed(ticket: FeedTicket, surfaces: FeedSurfaces, onEvent: Handler): FeedConnection {
  if (ticket.kind === 'mpeg1') return openMpeg1(ticket.url, surfaces.canvas, onEvent);
  if (ticket.kind === 'hls') {
    const feed = new HlsFeed(surfaces.video, onEvent);
    void feed.open(ticket.url);
    return { close: () => feed.close(), holdsLiveEdge: false };
  }
  const w = canUseWorker() ? mediaWorker() : null;
  if (!w) {
    const feed = new MseFeed(onEvent, false);
    feed.open(ticket.url);
    return { close: () => feed.close(), holdsLiveEdge: true };
  }
  const id = nextId++;
  handlers.set(id, onEvent);
  w.postMessage({ op: 'open', id, url: ticket.url });
  return {
    close: () => {
      if (!handlers.delete(id)) return;
      w.postMessage({ op: 'close', id });
    },
    holdsLiveEdge: true,
  };
}

/** Canvases handed to the worker (transferControlToOffscreen works once per canvas), by surface id. */
const surfaceIds = new WeakMap<HTMLCanvasElement, number>();
let nextSurface = 1;

/**
 * The MPEG-1 fallback: in the media worker, on the canvas's OffscreenCanvas (decoding and drawing off
 * the main thread; and JSMpeg's module, which adds a <style> to any document it loads in, never loads
 * in the page); in the page where there is no worker.
 */
function openMpeg1(url: string, canvas: HTMLCanvasElement, onEvent: Handler): FeedConnection {
  const w = canUseWorker() && typeof canvas.transferControlToOffscreen === 'function' ? mediaWorker() : null;
  if (!w || (!surfaceIds.has(canvas) && canvas.dataset.context === '2d')) {
    if (surfaceIds.has(canvas)) {
      // The canvas belongs to a worker that is gone: nothing can draw on it any more.
      queueMicrotask(() => onEvent({ type: 'closed', reason: 'the media worker stopped' }));
      return { close: () => undefined, holdsLiveEdge: false };
    }
    canvas.dataset.context = '2d';
    const feed = new Mpeg1Feed(canvas, onEvent);
    void feed.open(url);
    return { close: () => feed.close(), holdsLiveEdge: false };
  }
  const id = nextId++;
  handlers.set(id, onEvent);
  let surface = surfaceIds.get(canvas);
  if (surface === undefined) {
    surface = nextSurface++;
    surfaceIds.set(canvas, surface);
    const offscreen = canvas.transferControlToOffscreen();
    w.postMessage({ op: 'open', id, url, kind: 'mpeg1', surface, canvas: offscreen }, [offscreen]);
  } else {
    w.postMessage({ op: 'open', id, url, kind: 'mpeg1', surface });
  }
  return {
    close: () => {
      if (!handlers.delete(id)) return;
      w.postMessage({ op: 'close', id });
    },
    holdsLiveEdge: false,
  };
}

/** The tile is gone: the worker lets go of its canvas. */
export function releaseSurface(canvas: HTMLCanvasElement): void {
  const surface = surfaceIds.get(canvas);
  if (surface === undefined) return;
  surfaceIds.delete(canvas);
  worker?.postMessage({ op: 'drop-surface', surface });
}

/** How feeds run in this window, for the status and tests: 'worker' or 'page'. */
export function feedMode(): 'worker' | 'page' {
  return canUseWorker() ? 'worker' : 'page';
}
