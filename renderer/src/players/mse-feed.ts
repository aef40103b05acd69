/**
 * The media half of a tile player (runtime: browser, a dedicated worker or the page): one gateway
 * stream (fMP4 over WebSocket) fed into one MediaSource.
 *
 * It runs in the media worker (media-worker.ts), so parsing and appending 15 fragments a second per
 * tile happens off the page's main thread: on a wall of 36 tiles that thread also draws the alert
 * overlays, and a busy main thread used to delay appends until their frames were late and dropped
 * (bench/README.md, wall-capacity and alert-flood). Where a worker can't own a MediaSource it runs in
 * the page the same way. It knows nothing of the <video>: it hands over the media to attach (a
 * MediaSourceHandle from a worker, an object URL in the page) and reports what happened as data; the
 * player (tile-player.ts) keeps the state machine, the frame watch and the live edge.
 *
 * The wire: a text frame {"type":"init","codec":…} announces that the next binary frame is an init
 * segment; every other binary frame is one moof+mdat fragment; text frames {"type":"health",…} carry
 * the ingest's state. Nothing from the socket is trusted: codecs and states are checked against fixed
 * patterns before use.
 */
import { SocketFeed } from './socket-feed';
import type { SocketGate } from './socket-gate';
import { reason, type FeedEvent, type StreamServerMessage } from '../../../preload/contract';
import { healthEvent, initCodec, parseControl } from './wire';

/** A feed's events: the contract's FeedEvent, checked where it crosses from the worker to the page. */
export type { FeedEvent } from '../../../preload/contract';

/** Buffered media kept behind the newest frame (the player stays within a second of it). */
const BACK_BUFFER_S = 8;
/** Fragments queued while the decoder is busy; a stuck one must not eat memory. */
const MAX_QUEUE = 120;

export class MseFeed extends SocketFeed {
  private mediaSource: MediaSource | null = null;
  private sourceBuffer: SourceBuffer | null = null;
  private objectUrl: string | null = null;
  private queue: ArrayBuffer[] = [];
  private expectInit = false;
  private codec = '';
  /** Whether this stream's first media append has been reported. */
  private announced = false;

  /** `inWorker`: attach by MediaSourceHandle (a worker's MediaSource) instead of an object URL. */
  constructor(
    emit: (e: FeedEvent) => void,
    private readonly inWorker: boolean,
    gate: SocketGate,
  ) {
    // A SourceBuffer removed under a callback, or a MediaSource closed by the element, throws.
    super(emit, 'media_error', gate);
  }

  open(url: string): void {
    this.connect(url);
  }

  protected release(): void {
    this.releaseMedia();
  }

  protected onMessage(data: ArrayBuffer | string): void {
    if (this.closed) return;
    if (typeof data === 'string') {
      const msg = parseControl(data);
      if (msg) this.onControl(msg);
      return;
    }
    if (this.expectInit) {
      this.expectInit = false;
      this.resetMedia(data);
      return;
    }
    // Fragments that arrive while the MediaSource is still opening are the GOP cache that lets a warm
    // stream start at once: queue them, don't drop them.
    if (!this.mediaSource) return;
    this.queue.push(data);
    if (this.queue.length > MAX_QUEUE) this.queue.splice(0, this.queue.length - MAX_QUEUE / 2);
    this.pump();
  }

  private onControl(m: StreamServerMessage): void {
    const codec = initCodec(m);
    if (codec !== null) {
      this.codec = codec;
      // The probe: the ingest names the codec it copies, and this browser's MSE says whether it can
      // decode it (H.265 needs a hardware decoder in Chromium; Motion JPEG never plays in MSE).
      if (!MediaSource.isTypeSupported(`video/mp4; codecs="${codec}"`)) {
        this.emit({ type: 'undecodable', codec });
        return;
      }
      this.expectInit = true;
      this.emit({ type: 'player', event: { type: 'stream' } });
    } else {
      const health = healthEvent(m);
      if (health) this.emit({ type: 'player', event: health });
    }
  }

  /** A new init segment means a new stream (first start or an ingest restart): a new MediaSource. */
  private resetMedia(init: ArrayBuffer): void {
    this.releaseMedia();
    const ms = new MediaSource();
    this.queue = [init];
    this.announced = false;
    this.mediaSource = ms;
    // The element let go of this MediaSource (the tile closed, or its video failed): stop feeding
    // it. A wanted stream is then restarted by the player, which sees its video stop.
    ms.addEventListener('sourceclose', () => {
      if (this.mediaSource === ms) this.fail(reason('media_error', undefined, 'the video let go of the stream'));
    });
    ms.addEventListener(
      'sourceopen',
      () => {
        if (this.mediaSource !== ms) return;
        try {
          const sb = ms.addSourceBuffer(`video/mp4; codecs="${this.codec}"`);
          sb.mode = 'segments';
          sb.addEventListener('updateend', () => this.guard(() => this.afterAppend()));
          sb.addEventListener('error', () => this.fail(reason('decoder_rejected', undefined, `${this.queue.length} fragments waiting`)));
          this.sourceBuffer = sb;
          this.pump();
        } catch (err) {
          this.emit({ type: 'player', event: { type: 'unsupported', reason: reason('codec_unsupported', { codec: this.codec }, (err as Error).message) } });
        }
      },
      { once: true },
    );
    // MediaSource.handle (MSE in workers) is not in TypeScript's DOM types yet.
    if (this.inWorker) this.emit({ type: 'media', media: (ms as MediaSource & { handle: MediaSourceHandle }).handle });
    else {
      this.objectUrl = URL.createObjectURL(ms);
      this.emit({ type: 'media', media: this.objectUrl });
    }
  }

  private pump(): void {
    const sb = this.sourceBuffer;
    if (!sb || sb.updating || this.queue.length === 0 || this.mediaSource?.readyState !== 'open') return;
    try {
      sb.appendBuffer(this.queue.shift()!);
    } catch (err) {
      if ((err as DOMException).name === 'QuotaExceededError') this.trim(1);
      else this.fail(reason('media_error', undefined, `append failed: ${(err as Error).message}`));
    }
  }

  private afterAppend(): void {
    // The stream's media starts where the ingest's clock is, not at 0: the player must move the play
    // head there at once, not at its next periodic check.
    if (!this.announced && this.sourceBuffer?.buffered.length) {
      this.announced = true;
      this.emit({ type: 'buffered' });
    }
    if (!this.trim(BACK_BUFFER_S)) this.pump();
  }

  /**
   * Drops buffered media more than `keep` seconds behind the newest frame; true when a removal is
   * under way. The player holds the play head within a second of the newest frame, so this never
   * cuts what is being shown, and the feed needs no clock from the page.
   */
  private trim(keep: number): boolean {
    const sb = this.sourceBuffer;
    if (!sb || sb.updating || !sb.buffered.length) return false;
    const start = sb.buffered.start(0);
    const cut = sb.buffered.end(sb.buffered.length - 1) - keep;
    if (cut - start < (keep > 1 ? 2 : 0.1)) return false;
    sb.remove(start, cut);
    return true;
  }

  private releaseMedia(): void {
    this.queue = [];
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
}
