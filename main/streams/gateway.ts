/**
 * The stream gateway (runtime: Node): at most one ingest per camera stream, however many viewers.
 *
 * Viewers take a lease; the last lease released starts an idle grace, after which the ingest stops.
 * A viewer coming back within the grace finds the ingest still running: a warm start.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type StreamHealth, type StreamQuality } from '../../preload/contract.js';
import type { Catalog } from '../catalog/catalog.js';
import { checkSourceUrl } from './source-url.js';
import { IngestSession, runningFfmpeg, type SessionOutput } from './ingest-session.js';
import { Mpeg1Transcode } from './transcode.js';

export interface GatewayOptions {
  catalog: Catalog;
  ffmpegPath: () => string;
  idleGraceMs?: number;
  stallMs?: number;
  /** How many MPEG-1 fallback transcodes may run at once (each costs a share of a core). Default 4. */
  transcodeBudget?: () => number;
  log?: (message: string) => void;
  onHealth?: (health: StreamHealth) => void;
}

export interface Lease {
  readonly session: IngestSession;
  release(): void;
}

interface Entry {
  session: IngestSession;
  refs: number;
  idleTimer: NodeJS.Timeout | null;
}

export interface TranscodeLease {
  readonly transcode: Mpeg1Transcode;
  release(): void;
}

interface TranscodeEntry {
  transcode: Mpeg1Transcode;
  refs: number;
  idleTimer: NodeJS.Timeout | null;
}

export const DEFAULT_TRANSCODE_BUDGET = 4;

export class StreamGateway {
  private readonly entries = new Map<string, Entry>();
  /** Sessions told to stop whose ffmpeg has not exited yet: counted until it has. */
  private readonly stopping = new Set<IngestSession>();
  private readonly transcodes = new Map<string, TranscodeEntry>();
  private readonly transcodesStopping = new Set<Mpeg1Transcode>();
  private disposed = false;

  constructor(private readonly options: GatewayOptions) {}

  /**
   * Which source serves this camera at this quality (a camera without a sub stream serves main):
   * an RTSP stream the gateway ingests, or an HLS playlist played through the HLS proxy.
   */
  source(cameraId: string, quality: StreamQuality): { kind: 'rtsp' | 'hls'; key: string; url: string; quality: StreamQuality } {
    const camera = this.options.catalog.get(cameraId);
    if (!camera) throw new ApiError('not_found', `camera ${cameraId} is not in the catalog`);
    const q: StreamQuality = quality === 'sub' && camera.streams.sub ? 'sub' : 'main';
    const url = q === 'sub' ? camera.streams.sub! : camera.streams.main;
    const check = checkSourceUrl(url);
    if (!check.ok) throw new ApiError('bad_request', `camera ${cameraId}: ${check.reason}`);
    return { kind: check.kind, key: `${cameraId}/${q}`, url: check.url, quality: q };
  }

  private resolve(cameraId: string, quality: StreamQuality): { key: string; url: string; quality: StreamQuality } {
    const s = this.source(cameraId, quality);
    if (s.kind !== 'rtsp') throw new ApiError('bad_request', `camera ${cameraId}: HLS sources are not ingested by the gateway`);
    return s;
  }

  acquire(cameraId: string, quality: StreamQuality): Lease {
    if (this.disposed) throw new ApiError('unavailable', 'the stream gateway is shutting down');
    const { key, url, quality: q } = this.resolve(cameraId, quality);
    let entry = this.entries.get(key);
    if (!entry) {
      const session = new IngestSession({
        cameraId,
        quality: q,
        url,
        hlsDir: mkdtempSync(join(tmpdir(), 'pantau-hls-')),
        ffmpegPath: this.options.ffmpegPath(),
        stallMs: this.options.stallMs,
        log: this.options.log,
      });
      session.on('output', (o: SessionOutput) => {
        if (o.kind === 'health') this.options.onHealth?.(o.health);
      });
      entry = { session, refs: 0, idleTimer: null };
      this.entries.set(key, entry);
      session.start();
    }
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = null;
    }
    entry.refs++;
    const held = entry;
    let released = false;
    return {
      session: held.session,
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        if (held.refs === 0 && !this.disposed) {
          held.idleTimer = setTimeout(() => {
            if (this.entries.get(key) === held && held.refs === 0) {
              this.entries.delete(key);
              void this.stop(held.session);
            }
          }, this.options.idleGraceMs ?? 5_000);
        }
      },
    };
  }

  get transcodeBudget(): number {
    return Math.max(0, Math.floor(this.options.transcodeBudget?.() ?? DEFAULT_TRANSCODE_BUDGET));
  }

  /**
   * Throws the budget's refusal when a new transcode of this stream could not start now; a stream
   * already being transcoded is always allowed (its viewers share the one transcode).
   */
  checkTranscodeBudget(cameraId: string, quality: StreamQuality): void {
    const { key } = this.resolve(cameraId, quality);
    if (this.transcodes.has(key)) return;
    const budget = this.transcodeBudget;
    if (this.transcodes.size >= budget) {
      throw new ApiError(
        'over_budget',
        `Batas transcode penuh (${this.transcodes.size}/${budget}): kodek kamera ini perlu transcode; tutup tile lain yang memakainya. ` +
          `Transcode budget full (${this.transcodes.size} of ${budget} in use): this camera's codec needs one; close another tile that uses one.`,
      );
    }
  }

  /**
   * The MPEG-1 transcode of a camera stream, for viewers whose browser can't decode its codec: one per
   * stream however many viewers, at most transcodeBudget at once, released like ingests (idle grace).
   */
  acquireTranscode(cameraId: string, quality: StreamQuality): TranscodeLease {
    if (this.disposed) throw new ApiError('unavailable', 'the stream gateway is shutting down');
    const { key } = this.resolve(cameraId, quality);
    let entry = this.transcodes.get(key);
    if (!entry) {
      this.checkTranscodeBudget(cameraId, quality);
      const transcode = new Mpeg1Transcode({ ingest: this.acquire(cameraId, quality), ffmpegPath: this.options.ffmpegPath(), log: this.options.log });
      entry = { transcode, refs: 0, idleTimer: null };
      this.transcodes.set(key, entry);
      transcode.start();
    }
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = null;
    }
    entry.refs++;
    const held = entry;
    let released = false;
    return {
      transcode: held.transcode,
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        if (held.refs === 0 && !this.disposed) {
          held.idleTimer = setTimeout(() => {
            if (this.transcodes.get(key) === held && held.refs === 0) {
              this.transcodes.delete(key);
              void this.stopTranscode(held.transcode);
            }
          }, this.options.idleGraceMs ?? 5_000);
        }
      },
    };
  }

  private async stopTranscode(t: Mpeg1Transcode): Promise<void> {
    this.transcodesStopping.add(t);
    await t.dispose();
    this.transcodesStopping.delete(t);
  }

  private async stop(session: IngestSession): Promise<void> {
    this.stopping.add(session);
    await session.dispose();
    this.stopping.delete(session);
  }

  /**
   * ffmpegProcesses = sessions with a running ffmpeg + stopping + transcodes (+ those stopping), at
   * every instant.
   */
  stats(): { sessions: number; live: number; stopping: number; transcodes: number; transcodesStopping: number; transcodeBudget: number; ffmpegProcesses: number } {
    let live = 0;
    for (const e of this.entries.values()) if (e.session.isLive) live++;
    return {
      sessions: this.entries.size,
      live,
      stopping: this.stopping.size,
      transcodes: this.transcodes.size,
      transcodesStopping: this.transcodesStopping.size,
      transcodeBudget: this.transcodeBudget,
      ffmpegProcesses: runningFfmpeg.size,
    };
  }

  sessions(): IngestSession[] {
    return [...this.entries.values()].map((e) => e.session);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const transcodes = [...this.transcodes.values()];
    this.transcodes.clear();
    for (const e of transcodes) if (e.idleTimer) clearTimeout(e.idleTimer);
    await Promise.all(transcodes.map((e) => this.stopTranscode(e.transcode)));
    await Promise.all([...this.transcodesStopping].map((t) => t.dispose()));
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) if (e.idleTimer) clearTimeout(e.idleTimer);
    await Promise.all(all.map((e) => this.stop(e.session)));
    await Promise.all([...this.stopping].map((session) => session.dispose()));
  }
}
