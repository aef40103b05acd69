/**
 * The media worker (runtime: dedicated worker): one per window, it owns every tile's socket and
 * MediaSource (mse-feed.ts), so the window's main thread never parses or appends video. The MPEG-1
 * fallback (mpeg1-feed.ts) runs here too: JSMpeg decodes and draws on the tile canvas's
 * OffscreenCanvas, off the main thread.
 *
 * Messages in, from feed-host.ts only (a dedicated worker hears nobody else; checked anyway):
 * {op: 'open', id, url} (fMP4), {op: 'open', id, url, kind: 'mpeg1', surface, canvas?} (the canvas
 * transferred the first time a surface is used), {op: 'close', id}, {op: 'drop-surface', surface}.
 * Messages out: {id, event}, a MediaSourceHandle transferred with its event.
 */
import { MseFeed, type FeedEvent } from './mse-feed';
import { Mpeg1Feed } from './mpeg1-feed';

// JSMpeg reads the clock as window.performance; a worker has the same clock as self.performance.
(globalThis as { window?: unknown }).window ??= globalThis;

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<unknown>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const feeds = new Map<number, MseFeed | Mpeg1Feed>();
/** Tile canvases handed over by the page, by surface id, kept across reconnects until dropped. */
const surfaces = new Map<number, OffscreenCanvas>();
let pictures = 0;
/** The last reasons feeds ended for on their own (a closed socket, a media error), newest last. */
const ended: string[] = [];
// For tests (Playwright evaluates in the worker): how many feeds are open, and why others ended.
Object.assign(self, { feedCount: () => feeds.size, feedsEnded: () => [...ended], picturesDrawn: () => pictures, surfaceCount: () => surfaces.size });

// Tells the page the worker runs: an error before this means it could not start.
scope.postMessage({ ready: true });

scope.onmessage = (ev) => {
  const m = ev.data as { op?: unknown; id?: unknown; url?: unknown; kind?: unknown; surface?: unknown; canvas?: unknown } | null;
  if (m?.op === 'drop-surface' && typeof m.surface === 'number') {
    surfaces.delete(m.surface);
    return;
  }
  if (!m || typeof m.id !== 'number') return;
  const id = m.id;
  if (m.op === 'open' && typeof m.url === 'string' && /^wss?:\/\//.test(m.url)) {
    feeds.get(id)?.close();
    const emit = (event: FeedEvent) => {
      if (event.type === 'frame') pictures++;
      if (event.type === 'closed') {
        feeds.delete(id);
        ended.push(event.reason);
        if (ended.length > 50) ended.shift();
      }
      if (event.type === 'media' && event.media !== null && typeof event.media !== 'string') scope.postMessage({ id, event }, [event.media]);
      else scope.postMessage({ id, event });
    };
    if (m.kind === 'mpeg1') {
      if (typeof m.surface !== 'number') return;
      if (m.canvas instanceof OffscreenCanvas) surfaces.set(m.surface, m.canvas);
      const canvas = surfaces.get(m.surface);
      if (!canvas) return emit({ type: 'closed', reason: 'the tile canvas is gone' });
      const feed = new Mpeg1Feed(canvas, emit);
      feeds.set(id, feed);
      void feed.open(m.url);
      return;
    }
    const feed = new MseFeed(emit, true);
    feeds.set(id, feed);
    feed.open(m.url);
  } else if (m.op === 'close') {
    feeds.get(id)?.close();
    feeds.delete(id);
  }
};
