/**
 * Instant replay of a gateway stream's rolling HLS window with hls.js (runtime: browser).
 *
 * Plays from `secondsBack` behind the live edge until it reaches the moment replay was asked for, then
 * calls onEnd. A plain class: dispose() destroys hls.js and releases the media player completely.
 * Tuned for a wall: no worker (fMP4 needs no transmuxing), small forward and back buffers.
 */
import type HlsType from 'hls.js';
import { MediaErrorRecovery } from './hls-recovery';

export interface ReplayOptions {
  video: HTMLVideoElement;
  url: string;
  secondsBack: number;
  onProgress: (behindSeconds: number) => void;
  onEnd: (reason: 'caught-up' | 'error', detail?: string) => void;
}

export class HlsReplayPlayer {
  private hls: HlsType | null = null;
  private disposed = false;
  private endAt = Infinity;
  private readonly recovery = new MediaErrorRecovery();
  private timer: number | null = null;

  constructor(private readonly o: ReplayOptions) {}

  /** hls.js is loaded on first use: most wall sessions never replay. */
  async start(): Promise<void> {
    const { default: Hls } = await import('hls.js');
    if (this.disposed) return;
    const hls = new Hls({
      enableWorker: false,
      autoStartLoad: false,
      maxBufferLength: 8,
      maxMaxBufferLength: 12,
      backBufferLength: 10,
      maxBufferSize: 8 * 1024 * 1024,
      liveSyncDurationCount: 3,
      maxLiveSyncPlaybackRate: 1,
    });
    this.hls = hls;
    const v = this.o.video;
    v.muted = true;
    hls.on(Hls.Events.LEVEL_LOADED, (_e, data) => {
      if (this.endAt !== Infinity) return;
      const total = data.details.totalduration;
      // The window's end now is where replay stops and live resumes.
      this.endAt = total;
      hls.startLoad(Math.max(0, total - this.o.secondsBack));
    });
    hls.on(Hls.Events.ERROR, (_e, data) => {
      if (!data.fatal) return;
      if (!this.recovery.tryRecover(hls, data.type === Hls.ErrorTypes.MEDIA_ERROR)) this.o.onEnd('error', data.details);
    });
    hls.loadSource(this.o.url);
    hls.attachMedia(v);
    void v.play().catch(() => undefined);
    this.timer = window.setInterval(() => {
      if (this.endAt === Infinity) return;
      const behind = this.endAt - v.currentTime;
      this.o.onProgress(behind);
      if (behind <= 0.5) this.o.onEnd('caught-up');
    }, 250);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) window.clearInterval(this.timer);
    this.hls?.destroy();
    this.hls = null;
    this.o.video.removeAttribute('src');
    this.o.video.load();
  }
}
