/**
 * Where tile feeds run (runtime: browser). Gateway streams run in the window's media worker: a small
 * tile's sub stream decoded with WebCodecs and drawn on the tile's canvas where the worker has
 * WebCodecs (Chromium 94+, so Electron and the Chromium web mode is tested in); a main stream, or
 * any stream where WebCodecs is missing, fed to a MediaSource the tile's <video> plays (a worker's
 * MediaSource where it may own one, Chromium 108+, else one in the page). Why the split: see
 * webcodecs-feed.ts. HLS sources run in hls.js on the page (it has its own transmux worker); the
 * MPEG-1 fallback runs JSMpeg in the worker, drawing on the tile's canvas. Players call openFeed and
 * get the same events every way.
 *
 * `?player=mse` on the page's address keeps gateway streams on MSE and <video> (the path before
 * WebCodecs), for the benchmarks that compare the two.
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
  /** The stream delivered: 'main' when the tile asked for a sub stream the camera doesn't have. */
  quality: 'main' | 'sub';
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

/** Whether gateway streams are decoded with WebCodecs in the worker and drawn on the tile canvas. */
function useWebCodecs(): boolean {
  return typeof VideoDecoder !== 'undefined' && typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function' && new URLSearchParams(location.search).get('player') !== 'mse';
}

function mediaWorker(): Worker | null {
  if (worker) return worker;
  try {
    worker = new Worker(new URL('./media-worker.ts', import.meta.url), { type: 'module', name: 'pantau-media' });
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

/**
 * Opens a stream on the tile's surfaces; events arrive on `onEvent` until close() or a 'closed'
 * event. `small`: a small tile's sub stream (drawn on the canvas where WebCodecs can).
 */
export function openFeed(ticket: FeedTicket, surfaces: FeedSurfaces, onEvent: Handler, small: boolean): FeedConnection {
  if (ticket.kind === 'mpeg1') return openOnCanvas('mpeg1', ticket.url, surfaces.canvas, onEvent);
  if (ticket.kind === 'hls') {
    const feed = new HlsFeed(surfaces.video, onEvent);
    void feed.open(ticket.url);
    return { close: () => feed.close(), holdsLiveEdge: false };
  }
  // Only a sub stream goes on the canvas: drawing a main stream's big pictures there costs the worker
  // many times as much (each is converted to RGB whole), so a camera without a sub stream plays its
  // main stream through MSE on a small tile too, as on a big one.
  if (small && ticket.quality === 'sub' && useWebCodecs() && canUseWorker()) return openOnCanvas('webcodecs', ticket.url, surfaces.canvas, onEvent);
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
/** Each handed-over canvas's tile, watched for its size (the worker draws at the size it is shown). */
const sizeWatch = new Map<number, ResizeObserver>();
let nextSurface = 1;

/** The size a canvas covering this element is shown at, in device pixels. */
function devicePixels(el: Element, entry?: ResizeObserverEntry): { width: number; height: number } {
  const box = entry?.devicePixelContentBoxSize?.[0];
  if (box) return { width: box.inlineSize, height: box.blockSize };
  const r = el.getBoundingClientRect();
  return { width: Math.round(r.width * devicePixelRatio), height: Math.round(r.height * devicePixelRatio) };
}

/**
 * A stream the worker draws on the tile's canvas (its OffscreenCanvas): WebCodecs decoding of a
 * gateway stream, or the MPEG-1 fallback (decoding and drawing off the main thread; and JSMpeg's
 * module, which adds a <style> to any document it loads in, never loads in the page). MPEG-1 runs
 * in the page where there is no worker.
 */
function openOnCanvas(kind: 'webcodecs' | 'mpeg1', url: string, canvas: HTMLCanvasElement, onEvent: Handler): FeedConnection {
  const w = canUseWorker() && typeof canvas.transferControlToOffscreen === 'function' ? mediaWorker() : null;
  if (!w || (!surfaceIds.has(canvas) && canvas.dataset.context === '2d')) {
    if (surfaceIds.has(canvas) || kind === 'webcodecs') {
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
  // The tile the canvas covers: its size is the canvas's size on screen, also while the canvas is hidden.
  const tile = canvas.parentElement ?? canvas;
  let surface = surfaceIds.get(canvas);
  if (surface === undefined) {
    const sid = nextSurface++;
    surface = sid;
    surfaceIds.set(canvas, sid);
    canvas.dataset.surface = String(sid);
    const offscreen = canvas.transferControlToOffscreen();
    w.postMessage({ op: 'open', id, url, kind, surface: sid, canvas: offscreen, ...devicePixels(tile) }, [offscreen]);
    const ro = new ResizeObserver(([entry]) => w.postMessage({ op: 'size', surface: sid, ...devicePixels(tile, entry) }));
    ro.observe(tile, { box: 'device-pixel-content-box' });
    sizeWatch.set(sid, ro);
  } else {
    w.postMessage({ op: 'open', id, url, kind, surface, ...devicePixels(tile) });
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
  sizeWatch.get(surface)?.disconnect();
  sizeWatch.delete(surface);
  worker?.postMessage({ op: 'drop-surface', surface });
}

