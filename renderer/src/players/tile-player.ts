/**
 * Plays a gateway stream on a tile (runtime: browser): a small tile's sub stream on its <canvas>,
 * decoded with WebCodecs in the window's media worker; a big tile's main stream on its <video>
 * (MSE, as every stream where the worker has no WebCodecs; hls.js for HLS sources).
 *
 * A plain class, not a hook: it owns a feed (the socket and decoder or MediaSource, run in the
 * window's media worker by feed-host.ts) and the video element's media player, and dispose()
 * releases all of them (hls.js-style `el.remove()` alone would leak the player; Chromium allows 1000
 * per page). Here on the main thread are only what needs the page: pictures counted (the canvas
 * feeds report theirs; a video's come from requestVideoFrameCallback), the live edge of a video, and
 * the state machine in player-state.ts that decides what the tile shows.
 *
 * A stream whose codec this browser can't decode (the feed reports 'undecodable') is asked for again
 * as main's MPEG-1 transcode and drawn on the slot's canvas by JSMpeg; the camera is remembered, so
 * its next tiles ask for the transcode at once. Main refuses a transcode over its budget: the tile
 * then says so (state "error" with main's reason) and asks again every REFUSED_RETRY_MS.
 */
import { reason, type Reason } from '../../../preload/contract';
import type { FeedConnection, FeedTicket, MediaHost } from './feed-host';
import type { FeedEvent } from './mse-feed';
import { initialPlayer, next, noPictureLimitMs, FROZEN_AFTER_MS, REFUSED_RETRY_MS, type PlayerEvent, type PlayerState } from './player-state';

export type StreamTicket = FeedTicket;

export interface TilePlayerOptions {
  /** The window's media host: where feeds run, and what the window's tiles share. */
  host: MediaHost;
  video: HTMLVideoElement;
  /** Where WebCodecs and the MPEG-1 fallback draw (in the media worker); hidden while the video plays. */
  canvas: HTMLCanvasElement;
  /** Camera stream this player shows (cameraId/quality), to remember codecs that need the transcode. */
  streamKey: string;
  /** A small tile's sub stream (drawn on the canvas where WebCodecs can), not a big tile's main stream. */
  small: boolean;
  /** Asks main for a fresh one-use stream URL (a new token each attempt); `transcode`: as MPEG-1. */
  open: (transcode: boolean) => Promise<StreamTicket>;
  onState: (state: PlayerState) => void;
}

/** Past this, jump to the live edge; past CATCH_UP_S, play slightly fast until back near it. */
const MAX_LATENCY_S = 1.0;
const CATCH_UP_S = 0.3;
const TARGET_LATENCY_S = 0.1;
/**
 * A connection on which no stream ever starts, while main says nothing of the camera (a lost bind, a
 * ticket spent elsewhere), is restarted after this long: a tile must never wait on "connecting" for
 * good. Longer than a cold ingest on a loaded 2-core machine takes to send its first segment.
 */
const NO_STREAM_MS = 15_000;
/** How often the live edge and a frozen picture are checked. */
const CHECK_MS = 250;

export class TilePlayer {
  private state: PlayerState = initialPlayer;
  private feed: FeedConnection | null = null;
  private disposed = false;
  private retryTimer: number | null = null;
  private watchdog: number | null = null;
  private frameCallback: number | null = null;
  private lastFrameAt = 0;
  private lastMediaTime = -1;
  /** When the current stream's media was attached (null: no stream yet on this connection). */
  private streamSince: number | null = null;
  /** When the current connection's feed was opened (null: no feed). */
  private feedSince: number | null = null;
  private transcode: boolean;
  framesPresented = 0;

  constructor(private readonly o: TilePlayerOptions) {
    this.transcode = o.host.needsTranscode.has(o.streamKey);
  }

  start(): void {
    this.o.video.muted = true;
    this.o.video.playsInline = true;
    // The element may have played another camera (tiles reuse theirs): nothing of that may show.
    this.o.canvas.hidden = true;
    this.o.video.hidden = false;
    delete this.o.video.dataset.feed;
    // A decode error poisons the element: every later append fails until it is reloaded. Say what the
    // decoder said, and start over on a clean element with the next connection.
    this.o.video.addEventListener('error', this.onMediaError);
    this.watchFrames();
    this.watchdog = window.setInterval(() => this.check(), CHECK_MS);
    void this.connect();
  }

  private dispatch(event: PlayerEvent): void {
    const before = this.state;
    this.state = next(this.state, event);
    if (this.state !== before && (this.state.name !== before.name || this.state.reason !== before.reason || this.state.retryAt !== before.retryAt || this.state.shownPct !== before.shownPct)) {
      this.o.onState(this.state);
    }
  }

  private async connect(): Promise<void> {
    if (this.disposed) return;
    this.dispatch({ type: 'connect' });
    let ticket: StreamTicket;
    try {
      ticket = await this.o.open(this.transcode);
    } catch (err) {
      // main says why in a reason code (ApiError.reason); an error without one keeps its words as detail.
      const why = (err as { reason?: Reason }).reason ?? reason('stream_unavailable', undefined, (err as Error).message);
      if ((err as { code?: string }).code === 'over_budget') this.refused(why);
      else this.scheduleReconnect(why);
      return;
    }
    if (this.disposed) return;
    const feed = this.o.host.openFeed(
      ticket,
      { video: this.o.video, canvas: this.o.canvas },
      (e) => {
        if (this.feed === feed) this.onFeed(e);
      },
      this.o.small,
    );
    this.feed = feed;
    this.feedSince = performance.now();
  }

  /** Main said no for now (the transcode budget is full): say so, and ask again later. */
  private refused(why: Reason): void {
    if (this.disposed) return;
    this.dispatch({ type: 'refused', reason: why, now: Date.now() });
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, REFUSED_RETRY_MS);
  }

  private onFeed(e: FeedEvent): void {
    if (e.type === 'player') this.dispatch(e.event);
    else if (e.type === 'buffered') this.followLiveEdge();
    else if (e.type === 'frame') this.picture(e.n ?? 1);
    else if (e.type === 'rate') this.dispatch({ type: 'rate', received: e.received, drawn: e.drawn });
    else if (e.type === 'picture') {
      // The overlays place their boxes on the picture: tell them its size (media 'resize' for a video).
      this.o.canvas.dataset.pictureSize = `${e.width}x${e.height}`;
      this.o.canvas.dispatchEvent(new Event('resize'));
    } else if (e.type === 'undecodable') {
      if (this.transcode) {
        this.dispatch({ type: 'unsupported', reason: reason('codec_unsupported', { codec: e.codec }) });
        return;
      }
      // The probe said no: this camera's codec needs main's MPEG-1 transcode. Not a failure: ask now.
      this.transcode = true;
      this.o.host.needsTranscode.add(this.o.streamKey);
      this.teardownMedia();
      void this.connect();
    } else if (e.type === 'canvas') {
      this.streamSince = performance.now();
      this.o.canvas.dataset.feed = e.feed;
      this.o.canvas.hidden = false;
      this.o.video.hidden = true;
    } else if (e.type === 'closed') {
      this.feed = null;
      // A worker's MediaSource hears of a decode failure before the page does: say what the decoder said.
      const err = this.o.video.error;
      this.scheduleReconnect(err ? { ...e.reason, detail: `${e.reason.detail ? `${e.reason.detail}; ` : ''}decoder: ${err.message || `code ${err.code}`}`.slice(0, 200) } : e.reason);
    } else {
      // A new stream: its MediaSource replaces whatever the element played.
      const v = this.o.video;
      this.streamSince = performance.now();
      this.o.canvas.hidden = true;
      v.hidden = false;
      // Where the stream is parsed and appended, for tests and inspection.
      v.dataset.feed = e.media === null ? 'hls' : typeof e.media === 'string' ? 'page' : 'worker';
      if (e.media === null) {
        // hls.js attached its own MediaSource.
      } else if (typeof e.media === 'string') {
        v.srcObject = null;
        v.src = e.media;
      } else {
        v.removeAttribute('src');
        // A worker's MediaSource is attached by its handle (not in TypeScript's MediaProvider yet).
        v.srcObject = e.media as unknown as MediaSource;
      }
      void v.play().catch(() => undefined);
    }
  }

  private readonly onMediaError = (): void => {
    if (this.disposed || !this.o.video.error) return;
    const why = reason('decoder_rejected', undefined, this.o.video.error.message || `code ${this.o.video.error.code}`);
    // The feed may have ended on the same failure already (a worker hears of it first), with its
    // reconnect scheduled: reset the element, but count the failure once.
    const alreadyRetrying = this.feed === null && this.retryTimer !== null;
    this.teardownMedia();
    if (!alreadyRetrying) this.scheduleReconnect(why);
  };

  /** Closes the feed (socket and MediaSource) and frees the element's media player. */
  private teardownMedia(): void {
    this.feed?.close();
    this.feed = null;
    this.feedSince = null;
    this.streamSince = null;
    const v = this.o.video;
    v.srcObject = null;
    v.removeAttribute('src');
    v.load();
  }

  private scheduleReconnect(why: Reason): void {
    if (this.disposed) return;
    this.dispatch({ type: 'closed', reason: why, now: Date.now() });
    const delay = Math.max(0, (this.state.retryAt ?? Date.now()) - Date.now());
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  /** Stays at the live edge: a live wall must never drift behind. */
  private followLiveEdge(): void {
    if (!this.feed?.holdsLiveEdge) return; // hls.js keeps its own live sync
    const v = this.o.video;
    const b = v.buffered;
    if (!b.length) return;
    const end = b.end(b.length - 1);
    const behind = end - v.currentTime;
    if (behind > MAX_LATENCY_S) v.currentTime = Math.max(b.start(b.length - 1), end - TARGET_LATENCY_S);
    // A gentle catch-up keeps latency low without the visible skip of a seek.
    v.playbackRate = behind > CATCH_UP_S ? 1.15 : behind < TARGET_LATENCY_S * 1.5 ? 1 : v.playbackRate;
    if (v.paused) void v.play().catch(() => undefined);
  }

  private watchFrames(): void {
    const v = this.o.video;
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      if (this.disposed) return;
      if (meta.mediaTime !== this.lastMediaTime) {
        this.lastMediaTime = meta.mediaTime;
        this.picture();
      }
      this.frameCallback = v.requestVideoFrameCallback(onFrame);
    };
    this.frameCallback = v.requestVideoFrameCallback(onFrame);
  }

  /** New pictures reached the screen: on the video (its frame callback) or on the canvas (WebCodecs, JSMpeg). */
  private picture(n = 1): void {
    if (this.disposed) return;
    this.lastFrameAt = performance.now();
    this.framesPresented += n;
    if (this.state.name !== 'live') this.dispatch({ type: 'frame' });
  }

  private check(): void {
    if (this.streamSince !== null) this.followLiveEdge();
    const now = performance.now();
    // Quiet for a while, the stream is started over; the while grows with each failure in a row
    // (noPictureLimitMs: 6, 12, 24 s), so a briefly overloaded machine is not loaded further by
    // restarts that cost more than they save.
    const limit = noPictureLimitMs(this.state.failures);
    // A live picture that stops reads "stalled" at once (FROZEN_AFTER_MS); its socket stays open, and the
    // stream gets until the limit to come back before the tile starts over. Reconnected at 2.5 s, a
    // 6x6 monitor's tiles starved for a moment by another monitor's cold start all reconnected at
    // once and kept the machine overloaded for half a minute (scratch runs of enlarged-tile).
    if (this.state.name === 'live' && now - this.lastFrameAt > FROZEN_AFTER_MS) this.dispatch({ type: 'frozen' });
    if (this.state.name === 'stalled' && this.state.reason?.code === 'video_frozen' && this.feed && now - this.lastFrameAt > limit) {
      // The last picture stays up while the tile reconnects.
      this.feed.close();
      this.feed = null;
      this.scheduleReconnect(reason('video_frozen'));
      return;
    }
    // A stream that started but never shows a picture (a decoder or MSE that silently stalled) must
    // not sit on "connecting" forever: start over on a clean element.
    const since = this.streamSince;
    if (this.state.name !== 'live' && this.feed && since !== null && now - Math.max(since, this.lastFrameAt) > limit) {
      this.teardownMedia();
      this.scheduleReconnect(reason('no_picture', { s: limit / 1000 }));
      return;
    }
    const opened = this.feedSince;
    if (this.state.name === 'connecting' && this.feed && since === null && opened !== null && now - opened > NO_STREAM_MS) {
      this.teardownMedia();
      this.scheduleReconnect(reason('no_picture', { s: NO_STREAM_MS / 1000 }));
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    if (this.watchdog !== null) window.clearInterval(this.watchdog);
    if (this.frameCallback !== null) this.o.video.cancelVideoFrameCallback(this.frameCallback);
    this.o.video.removeEventListener('error', this.onMediaError);
    this.teardownMedia();
    this.o.host.releaseSurface(this.o.canvas);
  }
}
