/**
 * Opens stream sockets a few at a time (runtime: browser, the media worker or the page).
 *
 * Chromium delays each new WebSocket of a renderer process by rand(1…5 s) × 2^(pending handshakes) /
 * 65536 (services/network/websocket_throttler.cc): harmless for a few, but a district switch opens 16
 * or more at once, and the last ones then waited seconds (bench/README.md, district-switch).
 * Handshakes to one host run one after another anyway, so holding all but MAX_PENDING back costs
 * nothing and keeps Chromium's delay negligible. Better still is no handshake: see the kept sockets.
 */
import { parseControl } from './wire';

export const MAX_PENDING = 4;

/**
 * Sockets whose feed ended, kept open a few seconds for the next feed to the same gateway: a district
 * switch closes 16 tiles' sockets and opens 16 more, and reusing them skips 16 handshakes that
 * Chromium runs one after another. The gateway is told to stop feeding a kept socket
 * ({"type":"unbind"}); a new feed sends {"type":"bind","token":…} with its own token and takes the
 * socket once the gateway answers {"type":"bound"} with that token, so nothing of the old stream
 * reaches it.
 */
export const IDLE_KEEP_MS = 5_000;
export const MAX_IDLE = 64;

interface Waiting {
  start: () => void;
}

interface Idle {
  ws: WebSocket;
  origin: string;
  timer: ReturnType<typeof setTimeout>;
}

/** A gateway stream URL: ws://host:port/live/<token>. Other URLs are never kept or reused. */
const LIVE = /^(wss?:\/\/[^/]+)\/live\/([0-9a-f]{48})$/;

/** What the caller gets: the socket once it exists (null until then), and close. */
export interface GatedSocket {
  readonly socket: WebSocket | null;
  /** Never opens it if it still waits; else drops its handlers (no event follows) and closes or keeps it. */
  close(): void;
}

function isBound(text: string, token: string): boolean {
  const m = parseControl(text);
  return m?.type === 'bound' && m.token === token;
}

/**
 * The gate of one realm (the window's media worker, or the page for feeds that run there): Chromium
 * throttles a renderer's handshakes together, so each realm has one gate for all its feeds.
 */
export class SocketGate {
  private pending = 0;
  private readonly queue: Waiting[] = [];
  private readonly idle: Idle[] = [];

  /**
   * `ready` gets a socket for `url`: a kept one rebound to this stream when there is one, else
   * `new WebSocket(url)` when fewer than MAX_PENDING handshakes are under way.
   */
  open(url: string, ready: (ws: WebSocket) => void): GatedSocket {
    let socket: WebSocket | null = null;
    let closed = false;
    /** The socket is ours to keep: fresh and open, or rebound (the gateway said "bound"). */
    let usable = false;
    const live = LIVE.exec(url);
    const entry: Waiting = {
      start: () => {
        this.pending++;
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          this.pending--;
          this.next();
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
      if (this.pending < MAX_PENDING && this.queue.length === 0) entry.start();
      else this.queue.push(entry);
    };
    const kept = live ? this.takeIdle(live[1]!) : null;
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
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        const ws = socket;
        if (!ws) return;
        ws.onmessage = null;
        ws.onclose = null;
        if (live && usable && ws.readyState === WebSocket.OPEN) this.park(ws, live[1]!);
        else ws.close();
      },
    };
  }

  /** For tests: handshakes under way, sockets waiting, sockets kept for reuse. */
  get state(): { pending: number; waiting: number; idle: number } {
    return { pending: this.pending, waiting: this.queue.length, idle: this.idle.length };
  }

  private park(ws: WebSocket, origin: string): void {
    ws.onmessage = null; // whatever the old stream still had in flight
    ws.onclose = () => {
      const i = this.idle.findIndex((x) => x.ws === ws);
      if (i >= 0) clearTimeout(this.idle.splice(i, 1)[0]!.timer);
    };
    ws.send('{"type":"unbind"}');
    const entry: Idle = { ws, origin, timer: setTimeout(() => this.drop(entry), IDLE_KEEP_MS) };
    this.idle.push(entry);
    while (this.idle.length > MAX_IDLE) this.drop(this.idle[0]!);
  }

  private drop(entry: Idle): void {
    const i = this.idle.indexOf(entry);
    if (i >= 0) this.idle.splice(i, 1);
    clearTimeout(entry.timer);
    entry.ws.onclose = null;
    entry.ws.close();
  }

  /** A kept socket to this origin, taken out of the pool; null if none is open. */
  private takeIdle(origin: string): WebSocket | null {
    const i = this.idle.findIndex((x) => x.origin === origin && x.ws.readyState === WebSocket.OPEN);
    if (i < 0) return null;
    const [entry] = this.idle.splice(i, 1);
    clearTimeout(entry!.timer);
    return entry!.ws;
  }

  private next(): void {
    while (this.pending < MAX_PENDING && this.queue.length) this.queue.shift()!.start();
  }
}
