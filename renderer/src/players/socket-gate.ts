/**
 * Opens stream sockets a few at a time (runtime: browser, the media worker or the page).
 *
 * Chromium delays each new WebSocket of a renderer process by rand(1…5 s) × 2^(pending handshakes) /
 * 65536 (services/network/websocket_throttler.cc): harmless for a few, but a district switch opens 16
 * or more at once, and the last ones then waited 0.5 to 5 s (measured: the 16th socket of a warm
 * 4x4 switch opened 1.2 to 3.6 s after it was created, while the first 13 took 10 to 230 ms).
 * Handshakes to one host run one after another anyway, so holding all but MAX_PENDING back costs
 * nothing and keeps every delay under 2 ms. Better still is no handshake: see the kept sockets below.
 */
import { parseControl } from './wire';

export const MAX_PENDING = 4;

interface Waiting {
  start: () => void;
}

let pending = 0;
const queue: Waiting[] = [];

/**
 * Sockets whose feed ended, kept open a few seconds for the next feed to the same gateway: a district
 * switch closes 16 tiles' sockets and opens 16 more, and reusing them skips 16 handshakes that
 * Chromium runs one after another (~25 ms each here). The gateway is told to stop feeding a kept
 * socket ({"type":"unbind"}); a new feed sends {"type":"bind","token":…} with its own token and
 * takes the socket once the gateway answers {"type":"bound"} with that token, so nothing of the old
 * stream reaches it.
 */
export const IDLE_KEEP_MS = 5_000;
export const MAX_IDLE = 64;

interface Idle {
  ws: WebSocket;
  origin: string;
  timer: ReturnType<typeof setTimeout>;
}
const idle: Idle[] = [];

/** A gateway stream URL: ws://host:port/live/<token>. Other URLs are never kept or reused. */
const LIVE = /^(wss?:\/\/[^/]+)\/live\/([0-9a-f]{48})$/;

function park(ws: WebSocket, origin: string): void {
  ws.onmessage = null; // whatever the old stream still had in flight
  ws.onclose = () => {
    const i = idle.findIndex((x) => x.ws === ws);
    if (i >= 0) clearTimeout(idle.splice(i, 1)[0]!.timer);
  };
  ws.send('{"type":"unbind"}');
  const entry: Idle = { ws, origin, timer: setTimeout(() => drop(entry), IDLE_KEEP_MS) };
  idle.push(entry);
  while (idle.length > MAX_IDLE) drop(idle[0]!);
}

function drop(entry: Idle): void {
  const i = idle.indexOf(entry);
  if (i >= 0) idle.splice(i, 1);
  clearTimeout(entry.timer);
  entry.ws.onclose = null;
  entry.ws.close();
}

/** A kept socket to this origin, taken out of the pool; null if none is open. */
function takeIdle(origin: string): WebSocket | null {
  const i = idle.findIndex((x) => x.origin === origin && x.ws.readyState === WebSocket.OPEN);
  if (i < 0) return null;
  const [entry] = idle.splice(i, 1);
  clearTimeout(entry!.timer);
  return entry!.ws;
}

/** What the caller gets: the socket once it exists (null until then), and close. */
export interface GatedSocket {
  readonly socket: WebSocket | null;
  /** Never opens it if it still waits; else drops its handlers (no event follows) and closes or keeps it. */
  close(): void;
}

/**
 * `ready` gets a socket for `url`: a kept one rebound to this stream when there is one, else
 * `new WebSocket(url)` when fewer than MAX_PENDING handshakes are under way.
 */
export function openGated(url: string, ready: (ws: WebSocket) => void): GatedSocket {
  let socket: WebSocket | null = null;
  let closed = false;
  /** The socket is ours to keep: fresh and open, or rebound (the gateway said "bound"). */
  let usable = false;
  const live = LIVE.exec(url);
  const entry: Waiting = {
    start: () => {
      pending++;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        pending--;
        next();
      };
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => ((usable = true), finish()), { once: true });
      ws.addEventListener('close', finish, { once: true });
      ws.addEventListener('error', finish, { once: true });
      socket = ws;
      ready(ws);
    },
  };
  const fresh = () => {
    if (pending < MAX_PENDING && queue.length === 0) entry.start();
    else queue.push(entry);
  };
  const kept = live ? takeIdle(live[1]!) : null;
  if (kept && live) {
    socket = kept;
    kept.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== 'string' || !isBound(ev.data, live[2]!)) return; // the old stream's tail
      kept.onmessage = null;
      kept.onclose = null;
      usable = true;
      ready(kept);
    };
    // Closed before it was rebound: open a socket of its own (the token may be spent; then the feed
    // sees a refused socket and its player asks for a new one).
    kept.onclose = () => {
      socket = null;
      if (!closed) fresh();
    };
    kept.send(JSON.stringify({ type: 'bind', token: live[2] }));
  } else fresh();
  return {
    get socket() {
      return socket;
    },
    close: () => {
      if (closed) return;
      closed = true;
      const i = queue.indexOf(entry);
      if (i >= 0) queue.splice(i, 1);
      const ws = socket as WebSocket | null;
      if (!ws) return;
      ws.onmessage = null;
      ws.onclose = null;
      if (live && usable && ws.readyState === WebSocket.OPEN) park(ws, live[1]!);
      else ws.close();
    },
  };
}

function isBound(text: string, token: string): boolean {
  const m = parseControl(text);
  return m?.type === 'bound' && m.token === token;
}

function next(): void {
  while (pending < MAX_PENDING && queue.length) queue.shift()!.start();
}

/** For tests: handshakes under way, sockets waiting, sockets kept for reuse. */
export function gateState(): { pending: number; waiting: number; idle: number } {
  return { pending, waiting: queue.length, idle: idle.length };
}
