/**
 * The media worker (runtime: dedicated worker): one per window, it owns every tile's socket and
 * decoder, so the window's main thread never parses, decodes or appends video. Gateway streams are
 * decoded with WebCodecs and drawn on the tile's canvas (webcodecs-feed.ts), or, where the page asks
 * for it, fed to a MediaSource the tile's <video> plays (mse-feed.ts). The MPEG-1 fallback
 * (mpeg1-feed.ts) runs here too: JSMpeg decodes and draws on the tile canvas's OffscreenCanvas.
 *
 * Messages in and out are the contract's WorkerRequest and WorkerReply (preload/contract.ts), parsed
 * on arrival at either end; a MediaSourceHandle is transferred with its event.
 */
import { reason, WorkerRequest, type WorkerReply } from '../../../preload/contract';
import { MseFeed, type FeedEvent } from './mse-feed';
import { Mpeg1Feed } from './mpeg1-feed';
import { SocketGate } from './socket-gate';
import { paintCounts, starve, Surface, Wall, type Box } from './surface';
import { damage, decoderBehind, decoderErrors, WebCodecsFeed } from './webcodecs-feed';

// JSMpeg reads the clock as window.performance; a worker has the same clock as self.performance.
(globalThis as { window?: unknown }).window ??= globalThis;

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<unknown>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const feeds = new Map<number, MseFeed | Mpeg1Feed | WebCodecsFeed>();
/** This worker's stream sockets, opened a few at a time and kept for reuse (socket-gate.ts). */
const gate = new SocketGate();
/**
 * Tile surfaces, by surface id, kept across reconnects until dropped: each on its monitor's canvas
 * (`wall`) or on the tile's own canvas; a tile's canvas also comes for JSMpeg (the MPEG-1 fallback).
 */
const surfaces = new Map<number, { canvas: OffscreenCanvas | null; wall: Wall | null; surface: Surface | null; mpeg1Pictures: number }>();
/** Monitors' canvases handed over by the page, by wall id. */
const walls = new Map<number, Wall>();
/** The last reasons feeds ended for on their own (a closed socket, a media error), newest last. */
const ended: string[] = [];
/** Pictures drawn on canvases the page has let go, by surface id (the newest 500), for tests. */
const retired = new Map<number, number>();
const drawnOn = (s: { surface: Surface | null; mpeg1Pictures: number }) => (s.surface?.drawn ?? 0) + s.mpeg1Pictures;
// For tests and benchmarks, in their build only (Playwright evaluates in the worker): how many feeds
// are open, why others ended, pictures drawn on each surface (by surface id: a slot canvas's
// data-surface), the size and place each WebCodecs surface is drawn at, and the surface itself.
if (__PANTAU_TEST_HOOKS__)
  Object.assign(self, {
    feedCount: () => feeds.size,
    feedsEnded: () => [...ended],
    surfaceCount: () => surfaces.size,
    drawnBySurface: () => Object.fromEntries([...retired, ...[...surfaces].map(([id, s]) => [id, drawnOn(s)] as const)]),
    surfaceSizes: () => Object.fromEntries([...surfaces].map(([id, s]) => [id, s.surface?.size ?? null])),
    // Where each surface is drawn on its canvas (a monitor's: the tile's place on it), and on which wall.
    surfacePlaces: () => Object.fromEntries([...surfaces].map(([id, s]) => [id, s.surface ? { ...s.surface.place, wall: s.wall !== null } : null])),
    // The latency benchmark reads the clock camera's picture off the canvas each time it is drawn.
    surfaceOf: (id: number) => surfaces.get(id)?.surface ?? null,
    // Decoder errors so far (resynchronised, or ending a feed), and a way to cause some.
    decoderErrors: () => ({ ...decoderErrors }),
    // Pictures lost to load so far: skipped undecoded (a decoder behind), decoded but not drawn (a
    // surface's queue full); and the painter's passes so far (no tile can draw more often).
    picturesLost: () => ({ decoderBehind: decoderBehind.skipped, undrawn: paintCounts.undrawn, paints: paintCounts.paints }),
    damageNextKeys: (n: number) => void (damage.nextKeys = n),
    starve: (keepEvery: number) => void (starve.keepEvery = Math.max(1, Math.floor(keepEvery))),
  });

// Tells the page the worker runs: an error before this means it could not start.
scope.postMessage({ ready: true } satisfies WorkerReply);

scope.onmessage = (ev) => {
  // Only feed-host.ts talks to a dedicated worker; its messages are held to the contract all the same.
  const parsed = WorkerRequest.safeParse(ev.data);
  if (!parsed.success) return;
  const m = parsed.data;
  if (m.op === 'drop-surface') {
    const held = surfaces.get(m.surface);
    if (__PANTAU_TEST_HOOKS__ && held) {
      retired.set(m.surface, drawnOn(held));
      if (retired.size > 500) retired.delete(retired.keys().next().value!);
    }
    held?.surface?.dispose();
    surfaces.delete(m.surface);
    return;
  }
  if (m.op === 'wall') {
    if (m.canvas instanceof OffscreenCanvas && !walls.has(m.wall)) walls.set(m.wall, new Wall(m.canvas));
    return;
  }
  if (m.op === 'layout') {
    walls.get(m.wall)?.layout(m.width, m.height, new Map(m.places.map((p): [number, Box] => [p.surface, { x: p.x, y: p.y, w: p.w, h: p.h }])));
    return;
  }
  if (m.op === 'drop-wall') {
    walls.delete(m.wall);
    return;
  }
  if (m.op === 'size') {
    surfaces.get(m.surface)?.surface?.resize(m.width, m.height);
    return;
  }
  const id = m.id;
  if (m.op === 'close') {
    feeds.get(id)?.close();
    feeds.delete(id);
    return;
  }
  feeds.get(id)?.close();
  const emit = (event: FeedEvent) => {
    if (event.type === 'frame' && m.kind === 'mpeg1' && m.surface !== undefined) {
      const held = surfaces.get(m.surface);
      if (held) held.mpeg1Pictures++;
    }
    if (event.type === 'closed') {
      feeds.delete(id);
      if (__PANTAU_TEST_HOOKS__) {
        ended.push(`${event.reason.code}${event.reason.detail ? `: ${event.reason.detail}` : ''}`);
        if (ended.length > 50) ended.shift();
      }
    }
    const reply: WorkerReply = { id, event };
    if (event.type === 'media' && event.media !== null && typeof event.media !== 'string') scope.postMessage(reply, [event.media as Transferable]);
    else scope.postMessage(reply);
  };
  if (m.kind === undefined) {
    const feed = new MseFeed(emit, true, gate);
    feeds.set(id, feed);
    feed.open(m.url);
    return;
  }
  const sid = m.surface!;
  const wall = m.wall !== undefined ? (walls.get(m.wall) ?? null) : null;
  if (m.wall !== undefined && !wall) return emit({ type: 'closed', reason: reason('canvas_gone') });
  let held = surfaces.get(sid);
  if (!held && (wall || m.canvas instanceof OffscreenCanvas)) surfaces.set(sid, (held = { canvas: null, wall, surface: null, mpeg1Pictures: 0 }));
  if (held && m.canvas instanceof OffscreenCanvas) held.canvas ??= m.canvas;
  if (!held) return emit({ type: 'closed', reason: reason('canvas_gone') });
  if (m.kind === 'mpeg1') {
    if (!held.canvas) return emit({ type: 'closed', reason: reason('canvas_gone') });
    const feed = new Mpeg1Feed(held.canvas, emit, gate);
    feeds.set(id, feed);
    void feed.open(m.url);
    return;
  }
  // A canvas has one kind of context for good: JSMpeg's own, or the WebCodecs surface's 2D one.
  // A surface on a wall keeps its wall; one on its own canvas needs that canvas.
  if (!held.surface) {
    const target = held.wall ?? held.canvas;
    if (!target) return emit({ type: 'closed', reason: reason('canvas_gone') });
    held.surface = new Surface(sid, target);
  }
  if (m.width && m.height) held.surface.resize(m.width, m.height);
  const feed = new WebCodecsFeed(held.surface, emit, gate);
  feeds.set(id, feed);
  feed.open(m.url);
};
