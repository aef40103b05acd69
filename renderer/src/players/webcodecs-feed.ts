/**
 * The live path of a gateway stream (runtime: the media worker): the tile's fMP4 socket decoded with
 * WebCodecs and drawn on the tile's surface (surface.ts: its place on the monitor's canvas, or the
 * tile's own canvas), at the size the tile is on screen.
 *
 * Why not MSE and a <video> per tile: on a wall without a GPU, Chromium's display compositor scaled
 * every tile's video on every full-window draw (a large share of a core for a 6x6 wall), and each <video>
 * ran its own media pipeline. Here each picture is scaled once, when it is drawn, every canvas is
 * drawn on the worker's animation frame, and the compositor only copies (bench/README.md,
 * wall-capacity). It is for small tiles' sub streams: drawing a decoded picture converts all of it
 * to RGB on this thread, and that grows with the picture (bench/README.md, wall-capacity, has the figures),
 * so a few big tiles' main streams play through MSE on a <video> (mse-feed.ts, the same wire), as
 * they do in browsers without WebCodecs in workers.
 *
 * Each fragment from the gateway is one picture (ffmpeg's +frag_every_frame): its mdat is the
 * encoded picture, its moof says whether it is a sync sample and when it was taken. A decoder that
 * falls behind skips to the next sync sample. Each surface draws one picture per animation frame,
 * holding a few that came together (a burst is shown picture by picture, not skipped).
 * Events are the feed's usual ones: 'canvas' once the first picture is on the canvas, then 'frame'
 * with the number of pictures drawn, at most four times a second, and 'picture' with the picture's
 * size for the overlays.
 */
import { reason } from '../../../preload/contract';
import { decodeTime, decoderSetup, find, mdatPayload, moofStartsWithSync } from '../../../preload/mp4';
import type { FeedEvent } from './mse-feed';
import { SocketFeed } from './socket-feed';
import type { PictureSource, Surface } from './surface';
import type { SocketGate } from './socket-gate';
import { healthEvent, initCodec, parseControl } from './wire';

/** Fragments held while the decoder is being set up (the warm start's picture group), at most. */
const MAX_WAITING = 120;
/** Pictures queued in the decoder past which it has fallen behind: skip to the next sync sample. */
const MAX_DECODE_QUEUE = 20;
/** How often drawn pictures are reported to the page (the player's frozen check needs 2.5 s). */
const REPORT_MS = 250;
/** How often the share of the stream's pictures drawn is reported (the tile's "degraded" mark). */
const RATE_MS = 3_000;
/**
 * A decoder error (a picture it can't decode, under load or from a damaged stream) costs the feed
 * its decoder, not its stream: a new decoder starts at the next sync sample. Only more than
 * MAX_RESYNCS of them within RESYNC_WINDOW_MS end the feed (the player then reconnects).
 */
const MAX_RESYNCS = 3;
const RESYNC_WINDOW_MS = 10_000;

/** This worker's decoder errors: resynchronised at the next sync sample, or (too many) ending the feed. */
export const decoderErrors = { resynced: 0, ended: 0, lastMessage: '' };
/** Pictures this worker's feeds skipped undecoded because their decoder had fallen behind (until the next sync sample). */
export const decoderBehind = { skipped: 0 };
/** Tests only (the build's test hooks): the next `n` sync samples decoded, on any feed, are garbage. */
export const damage = { nextKeys: 0 };

export class WebCodecsFeed extends SocketFeed implements PictureSource {
  private decoder: VideoDecoder | null = null;
  private codec = '';
  private expectInit = false;
  /** Fragments that came while the decoder was being set up. */
  private waiting: Uint8Array[] | null = null;
  private timescale = 90_000;
  /** Whether the decoder has had a sync sample since it was (re)configured. */
  private synced = false;
  /** Whether the pictures skipped now are skipped because the decoder fell behind (not a start). */
  private behind = false;
  private shown = false;
  private unreported = 0;
  private reportedAt = 0;
  private size = '';
  /** When this feed's recent decoder errors happened (performance.now()). */
  private errorsAt: number[] = [];
  /** Pictures the stream brought, and pictures drawn, since rateAt. */
  private received = 0;
  private drawnSince = 0;
  private rateAt = 0;

  constructor(
    private readonly surface: Surface,
    emit: (e: FeedEvent) => void,
    gate: SocketGate,
  ) {
    super(emit, 'decoder_rejected', gate);
  }

  open(url: string): void {
    this.connect(url);
  }

  /** The decoder goes; the canvas keeps its last picture. */
  protected release(): void {
    this.closeDecoder();
    this.surface.release(this);
  }

  /** A picture of this feed reached its canvas. */
  onDrawn(width: number, height: number): void {
    if (this.closed) return;
    const first = !this.shown;
    if (first) {
      this.shown = true;
      this.emit({ type: 'canvas', feed: 'webcodecs' });
    }
    const size = `${width}x${height}`;
    if (size !== this.size) {
      this.size = size;
      this.emit({ type: 'picture', width, height });
    }
    this.unreported++;
    this.drawnSince++;
    const now = performance.now();
    if (!first && now - this.reportedAt < REPORT_MS) return;
    this.reportedAt = now;
    this.emit({ type: 'frame', n: this.unreported });
    this.unreported = 0;
  }

  protected onMessage(data: ArrayBuffer | string): void {
    if (typeof data === 'string') {
      const m = parseControl(data);
      if (!m) return;
      const codec = initCodec(m);
      if (codec !== null) {
        this.codec = codec;
        this.expectInit = true;
        return;
      }
      const health = healthEvent(m);
      if (health) this.emit({ type: 'player', event: health });
      return;
    }
    const bytes = new Uint8Array(data);
    if (this.expectInit) {
      this.expectInit = false;
      this.configure(bytes);
      return;
    }
    if (this.waiting) {
      this.waiting.push(bytes);
      if (this.waiting.length > MAX_WAITING) this.waiting.splice(0, this.waiting.length - MAX_WAITING / 2);
      return;
    }
    this.countReceived();
    this.decode(bytes);
  }

  /** A new init segment: a new stream (first start or an ingest restart). The old picture stays until the new one is drawn. */
  private configure(init: Uint8Array): void {
    this.closeDecoder();
    const setup = decoderSetup(init);
    const codec = this.codec;
    if (!setup) {
      this.emit({ type: 'undecodable', codec });
      return;
    }
    this.timescale = setup.timescale;
    const config: VideoDecoderConfig = { codec, description: setup.description, optimizeForLatency: true };
    this.waiting = [];
    void VideoDecoder.isConfigSupported(config).then(
      (r) => this.guard(() => this.start(config, r.supported === true)),
      () => this.guard(() => this.start(config, false)),
    );
  }

  private start(config: VideoDecoderConfig, supported: boolean): void {
    const waiting = this.waiting ?? [];
    this.waiting = null;
    if (!supported) {
      // The probe: this browser can't decode the camera's codec (H.265 without a hardware decoder,
      // Motion JPEG): the player asks for the MPEG-1 transcode.
      this.emit({ type: 'undecodable', codec: config.codec });
      return;
    }
    this.openDecoder(config);
    this.emit({ type: 'player', event: { type: 'stream' } });
    for (const f of waiting) this.decode(f);
  }

  /** A decoder for this stream, waiting for a sync sample. */
  private openDecoder(config: VideoDecoderConfig): void {
    const decoder = new VideoDecoder({
      output: (frame) => {
        if (this.closed || this.decoder !== decoder) frame.close();
        else this.surface.offer(this, frame);
      },
      error: (err) => {
        if (this.decoder === decoder) this.guard(() => this.decoderFailed(config, err.message));
      },
    });
    decoder.configure(config);
    this.decoder = decoder;
    this.synced = false;
    this.behind = false;
  }

  /**
   * The decoder rejected a picture and closed itself. The stream goes on: a new decoder starts at the
   * next sync sample (what came between is dropped), and the canvas keeps its last picture meanwhile.
   * A stream whose decoders keep failing ends, and the player reconnects.
   */
  private decoderFailed(config: VideoDecoderConfig, message: string): void {
    this.decoder = null;
    decoderErrors.lastMessage = message;
    const now = performance.now();
    this.errorsAt = [...this.errorsAt.filter((t) => now - t < RESYNC_WINDOW_MS), now];
    if (this.errorsAt.length > MAX_RESYNCS) {
      decoderErrors.ended++;
      this.fail(reason('decoder_rejected', undefined, message));
      return;
    }
    decoderErrors.resynced++;
    this.openDecoder(config);
  }

  private decode(fragment: Uint8Array): void {
    const decoder = this.decoder;
    if (!decoder || decoder.state !== 'configured') return;
    const moof = find(fragment, 0, fragment.length, 'moof');
    const picture = mdatPayload(fragment);
    if (!moof || !picture || picture.length === 0) return;
    const key = moofStartsWithSync(fragment.subarray(moof.start, moof.end));
    // A decoder starts at a sync sample; one that fell behind starts again at the next one.
    if (!key && (!this.synced || decoder.decodeQueueSize > MAX_DECODE_QUEUE)) {
      if (this.synced) this.behind = true;
      if (this.behind) decoderBehind.skipped++;
      this.synced = false;
      return;
    }
    this.synced = true;
    this.behind = false;
    const t = decodeTime(fragment) ?? 0;
    let data = picture;
    if (__PANTAU_TEST_HOOKS__ && key && damage.nextKeys > 0) {
      damage.nextKeys--;
      data = new Uint8Array(picture.length).fill(0xff);
    }
    decoder.decode(new EncodedVideoChunk({ type: key ? 'key' : 'delta', timestamp: Math.round((t * 1e6) / this.timescale), data }));
  }

  /** Every picture the stream brings counts, decoded or skipped; every RATE_MS the page hears the share drawn. */
  private countReceived(): void {
    this.received++;
    const now = performance.now();
    if (this.rateAt === 0) this.rateAt = now;
    if (now - this.rateAt < RATE_MS) return;
    if (this.shown) this.emit({ type: 'rate', received: this.received, drawn: this.drawnSince });
    this.received = 0;
    this.drawnSince = 0;
    this.rateAt = now;
  }

  private closeDecoder(): void {
    this.waiting = null;
    const d = this.decoder;
    this.decoder = null;
    if (d && d.state !== 'closed') d.close();
  }
}
