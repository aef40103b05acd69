/**
 * Where tile feeds run (runtime: browser). Gateway streams run in the window's media worker when this
 * browser lets a worker own a MediaSource (Chromium 108+, so Electron and the Chromium web mode is
 * tested in), else in the page; HLS sources run in hls.js on the page (it has its own transmux
 * worker). Players call openFeed and get the same events every way.
 */
import { HlsFeed } from './hls-feed';
import { MseFeed, type FeedEvent } from './mse-feed';

export interface FeedConnection {
  close(): void;
  /** Whether the player keeps the video at the live edge (hls.js keeps its own live sync). */
  readonly holdsLiveEdge: boolean;
}

/** What main's stream.open answered: a gateway socket (fMP4) or a proxied HLS playlist. */
export interface FeedTicket {
  url: string;
  kind: 'fmp4' | 'hls';
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

/** Opens a stream for `video`; events arrive on `onEvent` until close() or a 'closed' event. */
export function openFeed(ticket: FeedTicket, video: HTMLVideoElement, onEvent: Handler): FeedConnection {
  if (ticket.kind === 'hls') {
    const feed = new HlsFeed(video, onEvent);
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

/** How feeds run in this window, for the status and tests: 'worker' or 'page'. */
export function feedMode(): 'worker' | 'page' {
  return canUseWorker() ? 'worker' : 'page';
}
