/**
 * The media half of a tile player for cameras whose source is an HLS playlist (runtime: browser).
 * main proxies the camera's playlist and segments (main/streams/hls-proxy.ts); hls.js plays them on
 * the tile's <video>. Reports the same events as the gateway feed, so the player's state machine,
 * frame watch and reconnects are the same for both. hls.js is loaded on first use.
 *
 * Tuned for a wall: a short live buffer, transmuxing (most cameras send MPEG-TS) in hls.js's worker,
 * and destroy() on close, which frees its MediaSource; the player then resets the element.
 */
import type HlsType from 'hls.js';
import { reason, ReasonCode, type Reason } from '../../../preload/contract';
import { MediaErrorRecovery } from './hls-recovery';
import type { FeedEvent } from './mse-feed';

export class HlsFeed {
  private hls: HlsType | null = null;
  private closed = false;
  private readonly recovery = new MediaErrorRecovery();

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly emit: (e: FeedEvent) => void,
  ) {}

  async open(url: string): Promise<void> {
    let Hls: typeof HlsType;
    try {
      ({ default: Hls } = await import('hls.js'));
    } catch (err) {
      this.fail(reason('hls_unsupported', undefined, `the HLS player could not load: ${(err as Error).message}`));
      return;
    }
    if (this.closed) return;
    if (!Hls.isSupported()) {
      this.emit({ type: 'player', event: { type: 'unsupported', reason: reason('hls_unsupported') } });
      return;
    }
    const hls = new Hls({
      enableWorker: true,
      lowLatencyMode: false,
      liveSyncDurationCount: 2,
      liveMaxLatencyDurationCount: 5,
      maxLiveSyncPlaybackRate: 1.2,
      maxBufferLength: 6,
      maxMaxBufferLength: 10,
      backBufferLength: 4,
      maxBufferSize: 8 * 1024 * 1024,
      manifestLoadingMaxRetry: 1,
      levelLoadingMaxRetry: 2,
      fragLoadingMaxRetry: 2,
    });
    this.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      if (this.closed) return;
      this.emit({ type: 'player', event: { type: 'stream' } });
      this.emit({ type: 'media', media: null });
      void this.video.play().catch(() => undefined);
    });
    hls.on(Hls.Events.ERROR, (_e, data) => {
      if (!data.fatal || this.closed) return;
      if (this.recovery.tryRecover(hls, data.type === Hls.ErrorTypes.MEDIA_ERROR)) return;
      // main's proxy starts the status text with the reason code (wrong password, no answer), then its words.
      const res = (data as { response?: { code?: number; text?: string } }).response;
      this.fail(res?.code ? hlsReason(res.text || `HTTP ${res.code}`) : reason('hls_failed', undefined, String(data.details)));
    });
    hls.loadSource(url);
    hls.attachMedia(this.video);
  }

  private fail(why: Reason): void {
    if (this.closed) return;
    this.close();
    this.emit({ type: 'closed', reason: why });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hls?.destroy();
    this.hls = null;
  }
}

/** The reason in the proxy's status text (`hls_auth_failed: …`); an unknown one is 'hls_failed' with the text. */
export function hlsReason(statusText: string): Reason {
  const m = /^(hls_[a-z_]+): (.*)$/.exec(statusText);
  const code = m ? ReasonCode.safeParse(m[1]) : null;
  return code?.success ? reason(code.data, undefined, m![2]) : reason('hls_failed', undefined, statusText.slice(0, 160));
}
