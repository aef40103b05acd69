/**
 * Opens stream sockets a few at a time (runtime: browser, the media worker or the page).
 *
 * Chromium delays each new WebSocket of a renderer process by rand(1…5 s) × 2^(pending handshakes) /
 * 65536 (services/network/websocket_throttler.cc): harmless for a few, but a district switch opens 16
 * or more at once, and the last ones then waited 0.5 to 5 s (measured: the 16th socket of a warm
 * 4x4 switch opened 1.2 to 3.6 s after it was created, while the first 13 took 10 to 230 ms).
 * Handshakes to one host run one after another anyway, so holding all but MAX_PENDING back costs
 * nothing and keeps every delay under 2 ms.
 */
export const MAX_PENDING = 4;

interface Waiting {
  start: () => void;
}

let pending = 0;
const queue: Waiting[] = [];

/** What the caller gets: the socket once it exists (null until then), and close. */
export interface GatedSocket {
  readonly socket: WebSocket | null;
  /** Never opens it if it still waits; else drops its handlers (no event follows) and closes it. */
  close(): void;
}

/** Creates `new WebSocket(url)` when fewer than MAX_PENDING handshakes are under way; `ready` gets it. */
export function openGated(url: string, ready: (ws: WebSocket) => void): GatedSocket {
  let socket: WebSocket | null = null;
  let closed = false;
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
      ws.addEventListener('open', finish, { once: true });
      ws.addEventListener('close', finish, { once: true });
      ws.addEventListener('error', finish, { once: true });
      socket = ws;
      ready(ws);
    },
  };
  if (pending < MAX_PENDING && queue.length === 0) entry.start();
  else queue.push(entry);
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
      ws.close();
    },
  };
}

function next(): void {
  while (pending < MAX_PENDING && queue.length) queue.shift()!.start();
}

/** For tests: handshakes under way and sockets waiting. */
export function gateState(): { pending: number; waiting: number } {
  return { pending, waiting: queue.length };
}
