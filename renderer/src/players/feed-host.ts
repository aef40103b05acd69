/**
 * The window's media host (runtime: browser): where its tiles' feeds run, and everything they share.
 * One per window (main.tsx makes it; tiles get it from context): the media worker and its feeds'
 * handlers, the canvases handed to it, the page's own socket gate, and the camera streams this
 * window knows need the transcode.
 *
 * Gateway streams run in the media worker: a small tile's sub stream decoded with WebCodecs and
 * drawn in the tile's place on its monitor's canvas (a "wall", laid out from here: each shown
 * tile's box on it, in device pixels), or on the tile's own canvas outside a monitor; a main stream
 * fed to a MediaSource the tile's <video> plays. Which
 * path a stream takes is playback-path.ts's choosePath, a pure function; here it is carried out.
 * HLS sources run in hls.js on the page (it has its own transmux worker); the MPEG-1 fallback runs
 * JSMpeg in the worker, drawing on the tile's canvas. Players call openFeed and get the same events
 * every way.
 */
import { reason, WorkerReply, type WorkerRequest } from '../../../preload/contract';
import { HlsFeed } from './hls-feed';
import { Mpeg1Feed } from './mpeg1-feed';
import { MseFeed, type FeedEvent } from './mse-feed';
import { choosePath, type Capabilities } from './playback-path';
import { SocketGate } from './socket-gate';

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

/** Where a feed shows its picture: MSE and hls.js on the video, WebCodecs and JSMpeg on the canvas. */
export interface FeedSurfaces {
  video: HTMLVideoElement;
  canvas: HTMLCanvasElement;
}

type Handler = (e: FeedEvent) => void;

/** A monitor's canvas, handed to the worker: the tiles' surfaces on it, and what was last laid out. */
interface WallState {
  id: number;
  /** The monitor's element ([data-wall]) and its canvas (its first child, under the tiles). */
  host: HTMLElement;
  canvas: HTMLCanvasElement;
  /** Each surface on this wall: its tile slot's canvas, which stays blank and says whether the slot is in front. */
  surfaces: Map<number, HTMLCanvasElement>;
  sent: string;
  scheduled: boolean;
  watch: { resize: ResizeObserver; mutation: MutationObserver };
}

/** What this browser offers for playback (read once per window). */
export function browserCapabilities(): Capabilities {
  return {
    mediaWorker: typeof Worker !== 'undefined' && (MediaSource as unknown as { canConstructInDedicatedWorker?: boolean }).canConstructInDedicatedWorker === true,
    webCodecs: typeof VideoDecoder !== 'undefined',
    offscreenCanvas: typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function',
    // Builds for tests and benchmarks only (PANTAU_TEST_HOOKS): `?player=mse` keeps gateway streams on
    // MSE, to compare the two paths. What ships has no such switch.
    forceMse: __PANTAU_TEST_HOOKS__ && new URLSearchParams(location.search).get('player') === 'mse',
  };
}

/** The size a canvas covering this element is shown at, in device pixels. */
function devicePixels(el: Element, entry?: ResizeObserverEntry): { width: number; height: number } {
  const box = entry?.devicePixelContentBoxSize?.[0];
  if (box) return { width: box.inlineSize, height: box.blockSize };
  const r = el.getBoundingClientRect();
  return { width: Math.round(r.width * devicePixelRatio), height: Math.round(r.height * devicePixelRatio) };
}

export class MediaHost {
  private worker: Worker | null = null;
  private workerBroken = false;
  private nextId = 1;
  private readonly handlers = new Map<number, Handler>();
  /** Canvases handed to the worker (transferControlToOffscreen works once per canvas), by surface id. */
  private readonly surfaceIds = new WeakMap<HTMLCanvasElement, number>();
  /** Each handed-over canvas's tile, watched for its size (the worker draws at the size it is shown). */
  private readonly sizeWatch = new Map<number, ResizeObserver>();
  private nextSurface = 1;
  /** Canvases whose drawing went to the worker (transferControlToOffscreen): the page can't draw on them. */
  private readonly transferred = new WeakSet<HTMLCanvasElement>();
  /** Monitors' canvases, by the monitor's element; and the wall of each surface drawn on one. */
  private readonly walls = new Map<HTMLElement, WallState>();
  private readonly wallOf = new Map<number, WallState>();
  private nextWall = 1;
  /**
   * Builds for tests and benchmarks only (PANTAU_TEST_HOOKS): `?surface=tile` draws every tile on its
   * own canvas, as before monitors had one, to compare the two. What ships has no such switch.
   */
  private readonly tileCanvases = __PANTAU_TEST_HOOKS__ && new URLSearchParams(location.search).get('surface') === 'tile';
  /** Sockets of feeds that run in the page (the worker has a gate of its own). */
  private readonly gate = new SocketGate();
  /** Camera streams whose codec this window can't decode: they go straight to the transcode. */
  readonly needsTranscode = new Set<string>();

  constructor(private readonly can: Capabilities) {}

  private capabilities(): Capabilities {
    return this.workerBroken ? { ...this.can, mediaWorker: false } : this.can;
  }

  /** The window's media worker, started on first use; null where it can't start. */
  private mediaWorker(): Worker | null {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(new URL('./media-worker.ts', import.meta.url), { type: 'module', name: 'pantau-media' });
    } catch {
      this.workerBroken = true;
      return null;
    }
    this.worker = worker;
    let ready = false;
    worker.onmessage = (ev: MessageEvent<unknown>) => {
      // Every message from the worker is held to the contract (WorkerReply); anything else is dropped.
      const reply = WorkerReply.safeParse(ev.data);
      if (!reply.success) {
        console.warn(`media worker: a message outside the contract was dropped (${reply.error.issues[0]?.message ?? 'invalid'})`);
        return;
      }
      if ('ready' in reply.data) {
        ready = true;
        return;
      }
      const { id, event } = reply.data;
      const h = this.handlers.get(id);
      if (event.type === 'closed') this.handlers.delete(id);
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
      this.workerBroken = true;
      worker.terminate();
      this.worker = null;
      const all = [...this.handlers.values()];
      this.handlers.clear();
      for (const h of all) h({ type: 'closed', reason: reason('worker_failed', undefined, 'the media worker could not start') });
    };
    return worker;
  }

  /** A message to the media worker, of the contract's WorkerRequest (the worker checks it again). */
  private post(message: WorkerRequest, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  /** A feed in the worker: its events come back by id until it closes. */
  private inWorker(onEvent: Handler, open: (id: number) => void, holdsLiveEdge: boolean): FeedConnection {
    const id = this.nextId++;
    this.handlers.set(id, onEvent);
    open(id);
    return {
      close: () => {
        if (!this.handlers.delete(id)) return;
        this.post({ op: 'close', id });
      },
      holdsLiveEdge,
    };
  }

  /**
   * Opens a stream on the tile's surfaces; events arrive on `onEvent` until close() or a 'closed'
   * event. `small`: the tile is small (its sub stream may be drawn on the canvas).
   */
  openFeed(ticket: FeedTicket, surfaces: FeedSurfaces, onEvent: Handler, small: boolean): FeedConnection {
    const path = choosePath(ticket, small, this.capabilities());
    // A worker that fails to start now takes the page's path for the same stream.
    const worker = path === 'mse-worker' || path === 'webcodecs-worker' || path === 'mpeg1-worker' ? this.mediaWorker() : null;
    switch (path) {
      case 'hls': {
        const feed = new HlsFeed(surfaces.video, onEvent);
        void feed.open(ticket.url);
        return { close: () => feed.close(), holdsLiveEdge: false };
      }
      case 'webcodecs-worker':
      case 'mpeg1-worker':
        if (worker) return this.onCanvas(path === 'webcodecs-worker' ? 'webcodecs' : 'mpeg1', ticket.url, surfaces.canvas, onEvent);
        return path === 'mpeg1-worker' ? this.mpeg1InPage(ticket.url, surfaces.canvas, onEvent) : this.mseInPage(ticket.url, onEvent);
      case 'mpeg1-page':
        return this.mpeg1InPage(ticket.url, surfaces.canvas, onEvent);
      case 'mse-worker':
        if (worker) return this.inWorker(onEvent, (id) => this.post({ op: 'open', id, url: ticket.url }), true);
        return this.mseInPage(ticket.url, onEvent);
      case 'mse-page':
        return this.mseInPage(ticket.url, onEvent);
    }
  }

  private mseInPage(url: string, onEvent: Handler): FeedConnection {
    const feed = new MseFeed(onEvent, false, this.gate);
    feed.open(url);
    return { close: () => feed.close(), holdsLiveEdge: true };
  }

  /**
   * MPEG-1 drawn by JSMpeg in the page (no worker here). A canvas already handed to a worker that is
   * gone can't be drawn on any more: the player is told, and reconnects on a new canvas.
   */
  private mpeg1InPage(url: string, canvas: HTMLCanvasElement, onEvent: Handler): FeedConnection {
    if (this.transferred.has(canvas)) {
      queueMicrotask(() => onEvent({ type: 'closed', reason: reason('worker_failed', undefined, 'the media worker stopped') }));
      return { close: () => undefined, holdsLiveEdge: false };
    }
    canvas.dataset.context = '2d';
    const feed = new Mpeg1Feed(canvas, onEvent, this.gate);
    void feed.open(url);
    return { close: () => feed.close(), holdsLiveEdge: false };
  }

  /**
   * A stream the worker draws on the tile's canvas (its OffscreenCanvas): WebCodecs decoding of a
   * gateway stream, or the MPEG-1 fallback (decoding and drawing off the main thread; and JSMpeg's
   * module, which adds a <style> to any document it loads in, never loads in the page).
   */
  private onCanvas(kind: 'webcodecs' | 'mpeg1', url: string, canvas: HTMLCanvasElement, onEvent: Handler): FeedConnection {
    if (!this.transferred.has(canvas) && canvas.dataset.context === '2d') {
      // The page drew on this canvas itself (JSMpeg before the worker was there): it can't be handed over.
      if (kind === 'mpeg1') return this.mpeg1InPage(url, canvas, onEvent);
      queueMicrotask(() => onEvent({ type: 'closed', reason: reason('canvas_gone') }));
      return { close: () => undefined, holdsLiveEdge: false };
    }
    // The tile the canvas covers: its size is the canvas's size on screen, also while the canvas is hidden.
    const tile = canvas.parentElement ?? canvas;
    return this.inWorker(
      onEvent,
      (id) => {
        let surface = this.surfaceIds.get(canvas);
        // WebCodecs pictures go to the monitor's canvas, in the tile's place; the slot's canvas stays blank.
        const wall = kind === 'webcodecs' && !this.transferred.has(canvas) ? (surface !== undefined ? this.wallOf.get(surface) : this.wallFor(canvas)) : undefined;
        if (wall) {
          if (surface === undefined) {
            surface = this.register(canvas);
            canvas.dataset.wall = String(wall.id);
            wall.surfaces.set(surface, canvas);
            this.wallOf.set(surface, wall);
            wall.watch.resize.observe(tile);
          }
          this.post({ op: 'open', id, url, kind, surface, wall: wall.id });
          this.scheduleLayout(wall);
          return;
        }
        if (surface !== undefined && this.transferred.has(canvas)) return this.post({ op: 'open', id, url, kind, surface, ...devicePixels(tile) });
        // The canvas's drawing goes to the worker (once): the tile's own canvas, or JSMpeg's.
        const sid = surface ?? this.register(canvas);
        this.transferred.add(canvas);
        const offscreen = canvas.transferControlToOffscreen();
        this.post({ op: 'open', id, url, kind, surface: sid, canvas: offscreen, ...devicePixels(tile) }, [offscreen]);
        const ro = new ResizeObserver(([entry]) => this.post({ op: 'size', surface: sid, ...devicePixels(tile, entry) }));
        ro.observe(tile, { box: 'device-pixel-content-box' });
        this.sizeWatch.set(sid, ro);
      },
      false,
    );
  }

  /** A new surface id for a tile slot's canvas (its data-surface, which tests and benchmarks read). */
  private register(canvas: HTMLCanvasElement): number {
    const surface = this.nextSurface++;
    this.surfaceIds.set(canvas, surface);
    canvas.dataset.surface = String(surface);
    return surface;
  }

  /**
   * The wall of the monitor a tile slot's canvas is in, handed to the worker on first use; none
   * outside a monitor (the kiosk's tile) or where the monitor's canvas can't be handed over.
   */
  private wallFor(slotCanvas: HTMLCanvasElement): WallState | undefined {
    if (this.tileCanvases) return undefined;
    const host = slotCanvas.closest<HTMLElement>('[data-wall]');
    const canvas = host?.querySelector<HTMLCanvasElement>(':scope > canvas[data-wall-canvas]');
    if (!host || !canvas) return undefined;
    const known = this.walls.get(host);
    if (known && known.canvas === canvas) return known;
    if (known) this.dropWall(known);
    if (this.transferred.has(canvas)) return undefined;
    let offscreen: OffscreenCanvas;
    try {
      offscreen = canvas.transferControlToOffscreen();
    } catch {
      return undefined;
    }
    this.transferred.add(canvas);
    const id = this.nextWall++;
    this.post({ op: 'wall', wall: id, canvas: offscreen }, [offscreen]);
    const schedule = () => this.scheduleLayout(wall);
    const wall: WallState = {
      id,
      host,
      canvas,
      surfaces: new Map(),
      sent: '',
      scheduled: false,
      watch: { resize: new ResizeObserver(schedule), mutation: new MutationObserver(schedule) },
    };
    // What moves a tile or brings a slot to the front: the monitor's size and each drawn tile's
    // (observed as its surfaces come), the grid's places (styles; tiles added or gone) and the slots'
    // front marks. Not classes: a tile's state changes them often, and never its place.
    wall.watch.resize.observe(host);
    wall.watch.mutation.observe(host, { subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'data-front'] });
    this.walls.set(host, wall);
    return wall;
  }

  private scheduleLayout(wall: WallState): void {
    if (wall.scheduled) return;
    wall.scheduled = true;
    requestAnimationFrame(() => this.layoutWall(wall));
  }

  /**
   * Tells the worker where each tile in front is on the monitor's canvas (device pixels, rounded
   * the way the tile's edges are); a slot behind another, or a tile not laid out, is not drawn.
   */
  private layoutWall(wall: WallState): void {
    wall.scheduled = false;
    if (this.walls.get(wall.host) !== wall) return;
    if (!wall.canvas.isConnected) return this.dropWall(wall);
    const dpr = devicePixelRatio;
    const c = wall.canvas.getBoundingClientRect();
    const width = Math.max(1, Math.round(c.width * dpr));
    const height = Math.max(1, Math.round(c.height * dpr));
    const places: { surface: number; x: number; y: number; w: number; h: number }[] = [];
    for (const [surface, slot] of wall.surfaces) {
      const tile = slot.parentElement;
      if (!tile || !slot.isConnected || slot.dataset.front !== '1') continue;
      const r = tile.getBoundingClientRect();
      const x = Math.max(0, Math.round((r.left - c.left) * dpr));
      const y = Math.max(0, Math.round((r.top - c.top) * dpr));
      const w = Math.min(width, Math.round((r.right - c.left) * dpr)) - x;
      const h = Math.min(height, Math.round((r.bottom - c.top) * dpr)) - y;
      if (r.width > 0 && r.height > 0 && w >= 1 && h >= 1) places.push({ surface, x, y, w, h });
    }
    const key = JSON.stringify([width, height, places]);
    if (key === wall.sent) return;
    wall.sent = key;
    this.post({ op: 'layout', wall: wall.id, width, height, places });
  }

  private dropWall(wall: WallState): void {
    wall.watch.resize.disconnect();
    wall.watch.mutation.disconnect();
    if (this.walls.get(wall.host) === wall) this.walls.delete(wall.host);
    for (const s of wall.surfaces.keys()) this.wallOf.delete(s);
    this.post({ op: 'drop-wall', wall: wall.id });
  }

  /** The tile is gone: the worker lets go of its canvas. */
  releaseSurface(canvas: HTMLCanvasElement): void {
    const surface = this.surfaceIds.get(canvas);
    if (surface === undefined) return;
    this.surfaceIds.delete(canvas);
    this.wallOf.get(surface)?.surfaces.delete(surface);
    this.wallOf.delete(surface);
    this.sizeWatch.get(surface)?.disconnect();
    this.sizeWatch.delete(surface);
    this.post({ op: 'drop-surface', surface });
  }
}
