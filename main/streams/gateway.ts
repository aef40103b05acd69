/**
 * The stream gateway (runtime: Node): at most one ingest per camera stream, however many viewers.
 *
 * Viewers take a lease; the last lease released starts an idle grace, after which the ingest stops.
 * A viewer coming back within the grace finds the ingest still running: a warm start.
 */
import { ApiError, reason, type StreamHealth, type StreamQuality } from '../../preload/contract.js';
import type { Catalog } from '../catalog/catalog.js';
import { checkSourceUrl, withCredentials } from './source-url.js';
import { IngestSession, runningFfmpeg, type SessionOutput } from './ingest-session.js';
import { SharedPool } from './shared-pool.js';
import { FfmpegPool } from './ffmpeg-pool.js';
import { RetryPacer } from './retry-pacer.js';
import { Mpeg1Transcode } from './transcode.js';

export interface GatewayOptions {
  catalog: Catalog;
  ffmpegPath: () => string;
  idleGraceMs?: number;
  stallMs?: number;
  /** How many MPEG-1 fallback transcodes may run at once (each costs a share of a core). Default 4. */
  transcodeBudget?: () => number;
  /** Prestarted ffmpegs kept ready for new ingests (ffmpeg-pool.ts). Default 16, one 4x4 monitor; 0 turns it off. */
  prestartedFfmpegs?: number;
  /** How long a stream handed out for a viewer keeps its ingest running before one comes (default 2 s). */
  headStartMs?: number;
  /**
   * The least time between two ingests' reconnect attempts, across all cameras (retry-pacer.ts).
   * Default 500 ms (RETRIES_PER_SECOND); 0 leaves each ingest to its own backoff (benchmarks compare).
   */
  retryGapMs?: number;
  log?: (message: string) => void;
  onHealth?: (health: StreamHealth) => void;
  /** A camera's user name and password from the credential vault, for a URL without its own. */
  credentials?: (cameraId: string) => { user: string; password: string } | null;
}

export interface Lease {
  readonly session: IngestSession;
  release(): void;
}

export interface TranscodeLease {
  readonly transcode: Mpeg1Transcode;
  release(): void;
}

export const DEFAULT_TRANSCODE_BUDGET = 4;
/**
 * How long a stream handed out for a viewer keeps its ingest running before the viewer arrives. A
 * tile's socket binds within a second even when 16 connect one after another; a stream that is never
 * watched (the operator paged on first) should not keep a camera's ffmpeg much past its grace.
 */
export const DEFAULT_HEAD_START_MS = 2_000;

/** How a viewer gets this camera stream: the gateway's own fMP4, its MPEG-1 transcode, or an HLS camera's playlist. */
export type StreamPlan = { kind: 'fmp4' | 'mpeg1'; quality: StreamQuality } | { kind: 'hls'; quality: StreamQuality; url: string };
export const DEFAULT_PRESTARTED_FFMPEGS = 16;

export class StreamGateway {
  /** One ingest per camera stream; sessions told to stop are counted until their ffmpeg has exited. */
  private readonly ingests: SharedPool<IngestSession>;
  /** One MPEG-1 transcode per camera stream, at most transcodeBudget of them. */
  private readonly transcodes: SharedPool<Mpeg1Transcode>;
  private disposed = false;
  /** Idle ffmpegs that new ingests take instead of starting their own. */
  readonly prestarted: FfmpegPool;
  /** Every ingest's reconnect attempts, spaced across cameras. */
  private readonly retries: RetryPacer;

  constructor(private readonly options: GatewayOptions) {
    this.prestarted = new FfmpegPool({ ffmpegPath: options.ffmpegPath, size: options.prestartedFfmpegs ?? DEFAULT_PRESTARTED_FFMPEGS, log: options.log });
    this.ingests = new SharedPool(options.idleGraceMs ?? 5_000);
    this.transcodes = new SharedPool(options.idleGraceMs ?? 5_000);
    this.retries = new RetryPacer(options.retryGapMs);
  }

  /**
   * Which source serves this camera at this quality (a camera without a sub stream serves main):
   * an RTSP stream the gateway ingests, or an HLS playlist played through the HLS proxy.
   */
  source(cameraId: string, quality: StreamQuality): { kind: 'rtsp' | 'hls'; key: string; url: string; quality: StreamQuality } {
    const camera = this.options.catalog.get(cameraId);
    if (!camera) throw new ApiError('not_found', `camera ${cameraId} is not in the catalog`, reason('camera_unknown', { camera: cameraId }));
    const q: StreamQuality = quality === 'sub' && camera.streams.sub ? 'sub' : 'main';
    const url = q === 'sub' ? camera.streams.sub! : camera.streams.main;
    const check = checkSourceUrl(url);
    if (!check.ok) throw new ApiError('bad_request', `camera ${cameraId}: ${check.reason}`);
    return { kind: check.kind, key: `${cameraId}/${q}`, url: withCredentials(check.url, this.options.credentials?.(cameraId) ?? null), quality: q };
  }

  private resolve(cameraId: string, quality: StreamQuality): { key: string; url: string; quality: StreamQuality } {
    const s = this.source(cameraId, quality);
    if (s.kind !== 'rtsp') throw new ApiError('bad_request', `camera ${cameraId}: HLS sources are not ingested by the gateway`);
    return s;
  }

  acquire(cameraId: string, quality: StreamQuality): Lease {
    if (this.disposed) throw new ApiError('unavailable', 'the stream gateway is shutting down');
    const { key, url, quality: q } = this.resolve(cameraId, quality);
    const lease = this.ingests.lease(key, () => {
      const session = new IngestSession({
        cameraId,
        quality: q,
        url,
        hls: true,
        pool: this.prestarted,
        pacer: this.retries,
        ffmpegPath: this.options.ffmpegPath(),
        stallMs: this.options.stallMs,
        log: this.options.log,
      });
      session.on('output', (o: SessionOutput) => {
        if (o.kind === 'health') this.options.onHealth?.(o.health);
      });
      session.start();
      return session;
    });
    return { session: lease.item, release: lease.release };
  }

  /** A camera's URL changed (credentials set or removed in the vault): its running ingests reconnect with the new one. */
  retarget(cameraId: string): void {
    for (const session of this.ingests.items()) {
      if (session.cameraId === cameraId) session.retarget(this.resolve(cameraId, session.quality).url);
    }
  }

  /**
   * What a viewer opens for this camera: its HLS playlist (an HLS camera), the MPEG-1 transcode (the
   * viewer can't decode the camera's codec; refused over the transcode budget), or the ingest's fMP4.
   * `quality` is the one delivered: a camera without a sub stream serves its main one.
   */
  plan(cameraId: string, quality: StreamQuality, transcode: boolean): StreamPlan {
    const source = this.source(cameraId, quality);
    if (source.kind === 'hls') {
      if (transcode) throw new ApiError('bad_request', `camera ${cameraId}: HLS sources are played as they are, not transcoded`);
      return { kind: 'hls', quality: source.quality, url: source.url };
    }
    if (transcode) this.checkBudgetFor(source.key);
    return { kind: transcode ? 'mpeg1' : 'fmp4', quality: source.quality };
  }

  /**
   * Starts (or keeps) this stream's ingest for a viewer on its way, until the returned release is
   * called or the head start passes (then the idle grace applies): a district switch's 16 sockets
   * connect one after another, and the last ingest would otherwise start up to a second late. Null
   * when it can't start now (the viewer's own acquire then says why).
   */
  holdFor(cameraId: string, quality: StreamQuality): (() => void) | null {
    let lease: Lease;
    try {
      lease = this.acquire(cameraId, quality);
    } catch {
      return null;
    }
    // A lease's release does nothing the second time, so the timer and the caller may both call it.
    const timer = setTimeout(() => lease.release(), this.options.headStartMs ?? DEFAULT_HEAD_START_MS);
    timer.unref();
    return () => {
      clearTimeout(timer);
      lease.release();
    };
  }

  get transcodeBudget(): number {
    return Math.max(0, Math.floor(this.options.transcodeBudget?.() ?? DEFAULT_TRANSCODE_BUDGET));
  }

  /**
   * Throws the budget's refusal when a new transcode of this stream could not start now; a stream
   * already being transcoded is always allowed (its viewers share the one transcode). A transcode no
   * viewer holds (in its idle grace) gives way to the viewer asking now.
   */
  private checkBudgetFor(key: string): void {
    if (this.transcodes.has(key)) return;
    const budget = this.transcodeBudget;
    while (this.transcodes.size >= budget && this.transcodes.evictIdle()) this.options.log?.('a transcode in its idle grace gave way to a viewer waiting for the budget');
    if (this.transcodes.size >= budget) {
      throw new ApiError('over_budget', `transcode budget full (${this.transcodes.size} of ${budget} in use)`, reason('transcode_budget_full', { used: this.transcodes.size, budget }));
    }
  }

  /**
   * The MPEG-1 transcode of a camera stream, for viewers whose browser can't decode its codec: one per
   * stream however many viewers, at most transcodeBudget at once, released like ingests (idle grace).
   */
  acquireTranscode(cameraId: string, quality: StreamQuality): TranscodeLease {
    if (this.disposed) throw new ApiError('unavailable', 'the stream gateway is shutting down');
    const { key } = this.resolve(cameraId, quality);
    this.checkBudgetFor(key);
    const lease = this.transcodes.lease(key, () => {
      const transcode = new Mpeg1Transcode({ ingest: this.acquire(cameraId, quality), ffmpegPath: this.options.ffmpegPath(), log: this.options.log });
      transcode.start();
      return transcode;
    });
    return { transcode: lease.item, release: lease.release };
  }

  /**
   * ffmpegProcesses = sessions with a running ffmpeg + stopping + transcodes (+ those stopping), at
   * every instant. ffmpegReady: prestarted ffmpegs waiting for an ingest, on top of those.
   */
  stats(): { sessions: number; live: number; stopping: number; transcodes: number; transcodesStopping: number; transcodeBudget: number; ffmpegProcesses: number; ffmpegReady: number } {
    return {
      sessions: this.ingests.size,
      live: this.ingests.items().filter((s) => s.isLive).length,
      stopping: this.ingests.stopping.size,
      transcodes: this.transcodes.size,
      transcodesStopping: this.transcodes.stopping.size,
      transcodeBudget: this.transcodeBudget,
      ffmpegProcesses: runningFfmpeg.size,
      ffmpegReady: this.prestarted.ready,
    };
  }

  sessions(): IngestSession[] {
    return this.ingests.items();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    // Transcodes first: each holds an ingest lease.
    await this.transcodes.close();
    await Promise.all([this.ingests.close(), this.prestarted.dispose()]);
  }
}
