/**
 * Plays a gateway stream (fMP4 over WebSocket) through Media Source Extensions (runtime: browser).
 *
 * A plain class, not a hook: it owns a socket, a MediaSource and a video element's media player, and
 * dispose() releases all three (hls.js-style `el.remove()` alone would leak the player; Chromium allows
 * 1000 per page). Frames are counted with requestVideoFrameCallback; the state machine in
 * player-state.ts decides what the tile shows.
 */
import { initialPlayer, next, FROZEN_AFTER_MS, type PlayerEvent, type PlayerState } from './player-state';

export interface StreamTicket {
  url: string;
}

export interface MsePlayerOptions {
  video: HTMLVideoElement;
  /** Asks main for a fresh one-use stream URL (a new token each attempt). */
  open: () => Promise<StreamTicket>;
  onState: (state: PlayerState) => void;
}

/** Past this, jump to the live edge; past CATCH_UP_S, play slightly fast until back near it. */
const MAX_LATENCY_S = 1.0;
const CATCH_UP_S = 0.3;
const TARGET_LATENCY_S = 0.1;
const BACK_BUFFER_S = 8;
/** A started stream (init segment received) with no frame for this long is restarted. */
const NO_PICTURE_MS = 6_000;

export class MsePlayer {
  private state: PlayerState = initialPlayer;
  private ws: WebSocket | null = null;
  private mediaSource: MediaSource | null = null;
  private sourceBuffer: SourceBuffer | null = null;
  private objectUrl: string | null = null;
  private queue: ArrayBuffer[] = [];
  private expectInit = false;
  private codec = '';
  private disposed = false;
  private retryTimer: number | null = null;
  private watchdog: number | null = null;
  private frameCallback: number | null = null;
  private lastFrameAt = 0;
  private lastMediaTime = -1;
  /** When the current stream's init segment arrived (null: no stream yet on this connection). */
  private streamSince: number | null = null;
  framesPresented = 0;

  constructor(private readonly o: MsePlayerOptions) {}

  start(): void {
    this.o.video.muted = true;
    this.o.video.playsInline = true;
    // A decode error poisons the element: every later append fails until it is reloaded. Say what the
    // decoder said, and start over on a clean element with the next connection.
    this.o.video.addEventListener('error', this.onMediaError);
    this.watchFrames();
    this.watchdog = window.setInterval(() => this.checkFrozen(), 500);
    void this.connect();
  }

  private dispatch(event: PlayerEvent): void {
    const before = this.state;
    this.state = next(this.state, event);
    if (this.state !== before && (this.state.name !== before.name || this.state.reason !== before.reason || this.state.retryAt !== before.retryAt)) {
      this.o.onState(this.state);
    }
  }

  private async connect(): Promise<void> {
    if (this.disposed) return;
    this.dispatch({ type: 'connect' });
    let ticket: StreamTicket;
    try {
      ticket = await this.o.open();
    } catch (err) {
      this.scheduleReconnect((err as Error).message);
      return;
    }
    if (this.disposed) return;
    const ws = new WebSocket(ticket.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => this.onMessage(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.scheduleReconnect('connection to the gateway closed');
    };
  }

  private readonly onMediaError = (): void => {
    if (this.disposed || !this.o.video.error) return;
    const why = `decoder error: ${this.o.video.error.message || `code ${this.o.video.error.code}`}`;
    this.teardownMedia();
    this.scheduleReconnect(why);
  };

  /** Closes the socket and frees the MediaSource and the element's media player. */
  private teardownMedia(): void {
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.releaseMedia();
    this.o.video.removeAttribute('src');
    this.o.video.load();
  }

  private scheduleReconnect(reason: string): void {
    if (this.disposed) return;
    this.dispatch({ type: 'closed', reason, now: Date.now() });
    const delay = Math.max(0, (this.state.retryAt ?? Date.now()) - Date.now());
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private onMessage(data: ArrayBuffer | string): void {
    if (typeof data === 'string') {
      let msg: unknown;
      try {
        msg = JSON.parse(data);
      } catch {
        return;
      }
      this.onControl(msg);
      return;
    }
    if (this.expectInit) {
      this.expectInit = false;
      this.resetMedia(data);
      return;
    }
    // Fragments that arrive while the MediaSource is still opening are the GOP cache that lets a warm
    // stream start at once: queue them, don't drop them.
    if (!this.sourceBuffer && !this.mediaSource) return;
    this.queue.push(data);
    if (this.queue.length > 120) this.queue.splice(0, this.queue.length - 60); // a stuck decoder must not eat memory
    this.pump();
  }

  private onControl(msg: unknown): void {
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as Record<string, unknown>;
    if (m.type === 'init' && typeof m.codec === 'string' && /^[a-zA-Z0-9.]{1,40}$/.test(m.codec)) {
      this.codec = m.codec;
      const mime = `video/mp4; codecs="${m.codec}"`;
      if (!MediaSource.isTypeSupported(mime)) {
        this.dispatch({ type: 'unsupported', reason: `codec ${m.codec} cannot be played here` });
        return;
      }
      this.expectInit = true;
      this.dispatch({ type: 'stream' });
    } else if (m.type === 'health' && typeof m.state === 'string') {
      const state = m.state as Extract<PlayerEvent, { type: 'server' }>['state'];
      const allowed = ['connecting', 'live', 'stalled', 'reconnecting', 'offline', 'error', 'idle'];
      if (!allowed.includes(state)) return;
      this.dispatch({
        type: 'server',
        state,
        reason: typeof m.reason === 'string' ? m.reason.slice(0, 200) : null,
        retryAt: typeof m.retryAt === 'number' ? m.retryAt : null,
      });
    }
  }

  /** A new init segment means a new stream (first start or an ingest restart): rebuild MSE. */
  private resetMedia(init: ArrayBuffer): void {
    this.releaseMedia();
    this.streamSince = performance.now();
    const ms = new MediaSource();
    this.queue = [init];
    this.mediaSource = ms;
    this.objectUrl = URL.createObjectURL(ms);
    this.o.video.src = this.objectUrl;
    ms.addEventListener(
      'sourceopen',
      () => {
        if (this.mediaSource !== ms) return;
        try {
          const sb = ms.addSourceBuffer(`video/mp4; codecs="${this.codec}"`);
          sb.mode = 'segments';
          sb.addEventListener('updateend', () => this.afterAppend());
          sb.addEventListener('error', () => this.scheduleReconnect('the decoder rejected the stream'));
          this.sourceBuffer = sb;
          this.pump();
        } catch (err) {
          this.dispatch({ type: 'unsupported', reason: (err as Error).message });
        }
      },
      { once: true },
    );
    void this.o.video.play().catch(() => undefined);
  }

  private pump(): void {
    const sb = this.sourceBuffer;
    if (!sb || sb.updating || this.queue.length === 0 || this.mediaSource?.readyState !== 'open') return;
    try {
      sb.appendBuffer(this.queue.shift()!);
    } catch (err) {
      if ((err as DOMException).name === 'QuotaExceededError') this.trim(true);
      else this.scheduleReconnect(`append failed: ${(err as Error).message}`);
    }
  }

  private afterAppend(): void {
    const v = this.o.video;
    const b = v.buffered;
    if (b.length) {
      const end = b.end(b.length - 1);
      // Stay at the live edge: a live wall must never drift behind.
      const behind = end - v.currentTime;
      if (behind > MAX_LATENCY_S) v.currentTime = Math.max(b.start(b.length - 1), end - TARGET_LATENCY_S);
      // A gentle catch-up keeps latency low without the visible skip of a seek.
      v.playbackRate = behind > CATCH_UP_S ? 1.15 : behind < TARGET_LATENCY_S * 1.5 ? 1 : v.playbackRate;
      if (v.paused) void v.play().catch(() => undefined);
    }
    if (!this.trim(false)) this.pump();
  }

  /** Drops buffered media far behind the play head; returns true when a removal is under way. */
  private trim(force: boolean): boolean {
    const sb = this.sourceBuffer;
    const v = this.o.video;
    if (!sb || sb.updating || !sb.buffered.length) return false;
    const start = sb.buffered.start(0);
    const cut = v.currentTime - (force ? 1 : BACK_BUFFER_S);
    if (cut - start < (force ? 0.1 : 2)) return false;
    sb.remove(start, cut);
    return true;
  }

  private watchFrames(): void {
    const v = this.o.video;
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      if (this.disposed) return;
      if (meta.mediaTime !== this.lastMediaTime) {
        this.lastMediaTime = meta.mediaTime;
        this.lastFrameAt = performance.now();
        this.framesPresented++;
        if (this.state.name !== 'live') this.dispatch({ type: 'frame' });
      }
      this.frameCallback = v.requestVideoFrameCallback(onFrame);
    };
    this.frameCallback = v.requestVideoFrameCallback(onFrame);
  }

  private checkFrozen(): void {
    // A stream that started but never shows a picture (a decoder or MSE that silently stalled) must
    // not sit on "connecting" forever: start over on a clean element.
    const since = this.streamSince;
    if (this.state.name !== 'live' && this.ws && since !== null && performance.now() - Math.max(since, this.lastFrameAt) > NO_PICTURE_MS) {
      this.streamSince = null;
      this.teardownMedia();
      this.scheduleReconnect(`no picture ${NO_PICTURE_MS / 1000} s after the stream started`);
      return;
    }
    if (this.state.name === 'live' && performance.now() - this.lastFrameAt > FROZEN_AFTER_MS) {
      this.dispatch({ type: 'frozen' });
      // Frozen but the socket is open: force a fresh connection rather than wait.
      if (this.ws) {
        const ws = this.ws;
        this.ws = null;
        ws.close();
        this.scheduleReconnect('video frozen');
      }
    }
  }

  private releaseMedia(): void {
    this.queue = [];
    this.streamSince = null;
    const ms = this.mediaSource;
    this.mediaSource = null;
    this.sourceBuffer = null;
    if (ms && ms.readyState === 'open') {
      try {
        ms.endOfStream();
      } catch {
        /* already ending */
      }
    }
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    if (this.watchdog !== null) window.clearInterval(this.watchdog);
    if (this.frameCallback !== null) this.o.video.cancelVideoFrameCallback(this.frameCallback);
    this.o.video.removeEventListener('error', this.onMediaError);
    this.teardownMedia();
  }
}
