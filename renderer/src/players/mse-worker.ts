/**
 * The media worker (runtime: dedicated worker): one per window, it owns every tile's socket and
 * MediaSource (mse-feed.ts), so the window's main thread never parses or appends video.
 *
 * Messages in: {op: 'open', id, url} and {op: 'close', id}, from feed-host.ts only (a dedicated
 * worker hears nobody else); checked anyway. Messages out: {id, event}, a MediaSourceHandle
 * transferred with its event.
 */
import { MseFeed, type FeedEvent } from './mse-feed';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<unknown>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const feeds = new Map<number, MseFeed>();
/** The last reasons feeds ended for on their own (a closed socket, a media error), newest last. */
const ended: string[] = [];
// For tests (Playwright evaluates in the worker): how many feeds are open, and why others ended.
Object.assign(self, { feedCount: () => feeds.size, feedsEnded: () => [...ended] });

// Tells the page the worker runs: an error before this means it could not start.
scope.postMessage({ ready: true });

scope.onmessage = (ev) => {
  const m = ev.data as { op?: unknown; id?: unknown; url?: unknown } | null;
  if (!m || typeof m.id !== 'number') return;
  const id = m.id;
  if (m.op === 'open' && typeof m.url === 'string' && /^wss?:\/\//.test(m.url)) {
    feeds.get(id)?.close();
    const feed = new MseFeed((event: FeedEvent) => {
      if (event.type === 'closed') {
        feeds.delete(id);
        ended.push(event.reason);
        if (ended.length > 50) ended.shift();
      }
      if (event.type === 'media' && event.media !== null && typeof event.media !== 'string') scope.postMessage({ id, event }, [event.media]);
      else scope.postMessage({ id, event });
    }, true);
    feeds.set(id, feed);
    feed.open(m.url);
  } else if (m.op === 'close') {
    feeds.get(id)?.close();
    feeds.delete(id);
  }
};
