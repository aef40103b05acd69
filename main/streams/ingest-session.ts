/**
 * One ingest: one ffmpeg reading one camera stream, supervised (runtime: Node).
 *
 * Lifecycle lives here, decisions live in ingest-policy.ts. The session keeps the init segment and the
 * fragments since the last keyframe, so a new viewer starts decoding at once instead of waiting a GOP.
 * Stopping sends SIGTERM, then SIGKILL after a grace; dispose() resolves only once the process is gone.
 * If main itself dies, ffmpeg's stdout pipe breaks and ffmpeg exits on its next write: no orphans.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnTied } from './child-process.js';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamHealth, StreamQuality } from '../../preload/contract.js';
import { ingestArgs } from './ffmpeg.js';
import type { FfmpegPool } from './ffmpeg-pool.js';
import { Fmp4Splitter, trackTimescale, type Fragment, type InitSegment } from './fmp4.js';
import { classifyFfmpegError, healthOf, initialIngest, next, type IngestEvent, type IngestState } from './ingest-policy.js';
import type { RetryPacer } from './retry-pacer.js';
import { redactUrl } from './source-url.js';

export interface IngestOptions {
  cameraId: string;
  quality: StreamQuality;
  url: string;
  ffmpegPath: string;
  /** No output for this long while live → stalled; twice as long → ffmpeg is killed and restarted. */
  stallMs?: number;
  /** No first fragment within this long → the attempt is abandoned. */
  connectTimeoutMs?: number;
  killGraceMs?: number;
  log?: (message: string) => void;
  /** Also write a rolling HLS window (for instant replay), into a private directory per ffmpeg run. */
  hls?: boolean;
  /** Prestarted ffmpegs: an attempt takes one when there is one ready, else spawns its own. */
  pool?: FfmpegPool;
  /** Spaces this ingest's retries from every other ingest's (retry-pacer.ts); none: its own backoff only. */
  pacer?: RetryPacer;
}

export type SessionOutput = { kind: 'init'; init: InitSegment } | { kind: 'fragment'; fragment: Fragment } | { kind: 'health'; health: StreamHealth };

const MAX_GOP_FRAGMENTS = 600;
/**
 * How a run of ffmpeg starts its media (see IngestSession.runStart). A step of this much between two pictures'
 * times means that what came before it was not live: a relay's held keyframe and backlog, then the
 * live stream (gst-rtsp-server, the demo's, does that for a mount nobody watched).
 */
const STALE_JUMP_S = 1;
/** Output this close after the previous output came in one burst (ffmpeg's probe buffer), not live. */
const BURST_MS = 25;

/** Every ffmpeg this process has spawned and not yet seen exit: the figure health reports. */
export const runningFfmpeg = new Set<number>();

/**
 * Spawns a gateway ffmpeg (ingest or transcode) counted in runningFfmpeg until it has exited;
 * `exited` resolves then. Its own 'close' listener runs first, so the count is right in the caller's.
 */
export function spawnCountedFfmpeg(ffmpegPath: string, args: string[], stdin: 'ignore' | 'pipe'): { child: ChildProcess; exited: Promise<void> } {
  return countFfmpeg(spawnTied(ffmpegPath, args, { stdio: [stdin, 'pipe', 'pipe'] }));
}

/** Counts a gateway ffmpeg (spawned now, or prestarted and just taken) until it has exited. */
function countFfmpeg(child: ChildProcess): { child: ChildProcess; exited: Promise<void> } {
  const pid = child.pid;
  if (pid !== undefined) runningFfmpeg.add(pid);
  const exited = new Promise<void>((resolve) =>
    child.on('close', () => {
      if (pid !== undefined) runningFfmpeg.delete(pid);
      resolve();
    }),
  );
  return { child, exited };
}

export class IngestSession extends EventEmitter {
  private state: IngestState = initialIngest;
  private child: ChildProcess | null = null;
  private childExit: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private lastOutputAt = 0;
  private attemptStartedAt = 0;
  private stderrTail = '';
  private retryAt: number | null = null;
  /** The retry time the pacer granted this ingest: held while it waits for it and while that attempt runs. */
  private paced: number | null = null;
  private splitter = new Fmp4Splitter();
  /**
   * A run's first media, held until it is known to be live: it must start at a keyframe, and what
   * ffmpeg hands over at once (the packets it read while probing) is held until a picture arrives at
   * the stream's own pace. A jump of more than STALE_JUMP_S in between drops everything before it, so
   * a tile never shows an old picture as live. null once this run's media flows.
   */
  private runStart: Fragment[] | null = [];
  private timescale = 90_000;
  /** Pictures dropped because a jump showed they were not live, since start (for tests and logs). */
  staleDropped = 0;
  /** The current ffmpeg run's HLS window; each run writes its own (a restart starts a new window anyway). */
  private hlsPath: string | null = null;
  initSegment: InitSegment | null = null;
  gop: Fragment[] = [];
  /** Fragments delivered since start, for health and benchmarks. */
  fragments = 0;
  /** ffmpeg runs since start (the first and every retry), for tests and benchmarks. */
  attempts = 0;

  constructor(private readonly options: IngestOptions) {
    super();
  }

  get health(): StreamHealth {
    return {
      cameraId: this.options.cameraId,
      quality: this.options.quality,
      state: healthOf(this.state),
      reason: this.state.reason,
      retryAt: this.retryAt,
    };
  }
  get cameraId(): string {
    return this.options.cameraId;
  }
  get quality(): StreamQuality {
    return this.options.quality;
  }
  get pid(): number | null {
    return this.child?.pid ?? null;
  }
  get hlsDir(): string | null {
    return this.hlsPath;
  }
  get isLive(): boolean {
    return this.state.phase === 'live';
  }

  start(): void {
    if (this.state.phase !== 'stopped') return;
    this.dispatch({ type: 'start' });
    this.spawnFfmpeg();
    const stallMs = this.options.stallMs ?? 4_000;
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 10_000;
    this.watchdog = setInterval(() => {
      const now = Date.now();
      if (this.state.phase === 'live' && now - this.lastOutputAt > stallMs) this.dispatch({ type: 'silence' });
      else if (this.state.phase === 'stalled' && now - this.lastOutputAt > 2 * stallMs) this.killChild('stalled: no output');
      else if (this.state.phase === 'connecting' && this.child && now - this.attemptStartedAt > connectTimeoutMs) this.killChild('camera does not answer');
    }, 500);
  }

  /**
   * The camera's URL changed (its credentials were set or removed): the next attempt uses the new one,
   * and it comes now. A running ffmpeg is stopped (its exit starts the next attempt, as after any
   * exit); one waiting to retry (a refused password) retries at once.
   */
  retarget(url: string): void {
    if (url === this.options.url) return;
    this.options.url = url;
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.killChild('the camera URL changed');
    } else if (this.retryTimer && this.state.phase === 'waiting') {
      clearTimeout(this.retryTimer);
      this.giveBackSlot();
      this.retryNow();
    }
  }

  /** This ingest's paced retry time, done with (the attempt ended, it stopped, or it retried at once): another camera may have it. */
  private giveBackSlot(): void {
    if (this.paced !== null) this.options.pacer?.release(this.paced);
    this.paced = null;
  }

  private retryNow(): void {
    this.retryTimer = null;
    this.dispatch({ type: 'retry' });
    if (this.state.phase === 'connecting') this.spawnFfmpeg();
  }

  async dispose(): Promise<void> {
    this.dispatch({ type: 'stop' });
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    this.killChild(null);
    await this.childExit;
    this.dropHlsDir();
    this.removeAllListeners();
  }

  private dispatch(event: IngestEvent): void {
    const before = healthOf(this.state);
    const beforeReason = this.state.reason;
    const beforeRetryAt = this.retryAt;
    this.state = next(this.state, event);
    // Cached frames are only worth sending while they are current: once the camera is silent or
    // gone, a new viewer must not be shown them as live video. The init segment belongs to the ffmpeg
    // run: a camera silent for a moment (stalled) comes back on the same stream, which sends no new
    // one, so it is kept until the run ends. Dropped at the stall, every viewer joining after was
    // sent no init and never played (tiles "reconnecting: no picture" beside a live ingest).
    if (this.state.phase !== 'live') this.gop = [];
    if (this.state.phase !== 'live' && this.state.phase !== 'stalled') this.initSegment = null;
    if (this.state.phase !== 'waiting') this.retryAt = null;
    // The pacer counts this camera as retrying while it waits and while its attempt connects; live,
    // stalled or stopped, it is not (a failure asks for the next time below, giving this one back).
    if (this.state.phase !== 'waiting' && this.state.phase !== 'connecting') this.giveBackSlot();
    if (this.state.phase === 'waiting' && this.state.retryInMs !== null) {
      // The backoff's time, or later when other cameras' retries are due then (the pacer): the
      // tile's countdown shows the time the attempt will really come.
      const now = Date.now();
      this.giveBackSlot();
      const pacer = this.options.pacer;
      this.retryAt = pacer ? pacer.slot(now + this.state.retryInMs, now) : now + this.state.retryInMs;
      if (pacer) this.paced = this.retryAt;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.retryNow(), this.retryAt - now);
    }
    // The retry time is news too: a tile's countdown must not sit at "0 s" while an attempt runs.
    if (healthOf(this.state) !== before || this.state.reason !== beforeReason || this.retryAt !== beforeRetryAt) this.emit('output', { kind: 'health', health: this.health } satisfies SessionOutput);
  }

  private dropHlsDir(): void {
    if (this.hlsPath) rmSync(this.hlsPath, { recursive: true, force: true });
    this.hlsPath = null;
  }

  /** This attempt's ffmpeg: a prestarted one aimed at the camera when the pool has one, else a new one. */
  private startChild(): { child: ChildProcess; exited: Promise<void> } {
    const { url, hls, pool, ffmpegPath } = this.options;
    this.dropHlsDir();
    const prestarted = hls ? pool?.take() : null;
    if (prestarted) {
      this.hlsPath = prestarted.hlsDir;
      const counted = countFfmpeg(prestarted.child);
      prestarted.aim(url, this.state.transport);
      return counted;
    }
    if (hls) this.hlsPath = mkdtempSync(join(tmpdir(), 'pantau-hls-'));
    return spawnCountedFfmpeg(ffmpegPath, ingestArgs(url, this.state.transport, this.hlsPath ?? undefined), 'ignore');
  }

  private spawnFfmpeg(): void {
    this.splitter = new Fmp4Splitter();
    this.runStart = [];
    this.stderrTail = '';
    this.attemptStartedAt = Date.now();
    this.attempts++;
    const { child, exited } = this.startChild();
    this.child = child;
    this.childExit = exited;
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4096);
    });
    child.on('error', (err) => {
      this.stderrTail += `\n${err.message}`;
    });
    child.on('close', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.state.phase === 'stopped') return;
      const verdict = classifyFfmpegError(this.stderrTail, { elapsedMs: Date.now() - this.attemptStartedAt, gotOutput: this.lastOutputAt >= this.attemptStartedAt });
      this.options.log?.(
        `ffmpeg for ${this.options.cameraId}/${this.options.quality} (${redactUrl(this.options.url)}) exited (${code ?? signal}): ${verdict.reason.code}${verdict.reason.detail ? ` (${verdict.reason.detail})` : ''}`,
      );
      this.dispatch({ type: 'exited', ...verdict });
    });
  }

  /** The fragments of a run's start that may go out now (see runStart); the rest wait or are dropped. */
  private admitAtStart(fragment: Fragment, sincePrevious: number): Fragment[] {
    const held = this.runStart!;
    if (fragment.duration !== null && fragment.duration > STALE_JUMP_S * this.timescale) {
      this.staleDropped += held.length + 1;
      this.options.log?.(
        `${this.options.cameraId}/${this.options.quality}: dropped ${held.length + 1} picture(s) before a ${(fragment.duration / this.timescale).toFixed(1)} s jump to the live stream`,
      );
      this.runStart = [];
      return [];
    }
    if (!held.length && !fragment.keyframe) return [];
    held.push(fragment);
    const paceMs = fragment.duration !== null ? (fragment.duration / this.timescale) * 1_000 : 0;
    if (sincePrevious < Math.max(BURST_MS, 0.4 * paceMs)) return [];
    this.runStart = null;
    return held;
  }

  private onStdout(chunk: Buffer): void {
    // Start-up warnings are not why a stream later fails: once video flows, forget them.
    if (this.lastOutputAt < this.attemptStartedAt) this.stderrTail = '';
    const now = Date.now();
    // Since this run's previous output, or its start.
    const sincePrevious = now - Math.max(this.lastOutputAt, this.attemptStartedAt);
    this.lastOutputAt = now;
    let outputs;
    try {
      outputs = this.splitter.push(chunk);
    } catch (err) {
      this.stderrTail += `\ninvalid data: ${(err as Error).message}`;
      this.killChild('invalid data from ffmpeg');
      return;
    }
    // Only the first box of a chunk can tell the stream's pace; the rest came with it.
    let since = sincePrevious;
    for (const o of outputs) {
      const gap = since;
      since = 0;
      if (o.kind === 'init') {
        this.initSegment = o.init;
        this.timescale = trackTimescale(o.init.data) ?? 90_000;
        this.gop = [];
        this.emit('output', o satisfies SessionOutput);
        continue;
      }
      for (const fragment of this.runStart ? this.admitAtStart(o.fragment, gap) : [o.fragment]) {
        if (fragment.keyframe) this.gop = [];
        if (this.gop.length < MAX_GOP_FRAGMENTS) this.gop.push(fragment);
        this.fragments++;
        if (this.state.phase !== 'live') this.dispatch({ type: 'frames' });
        this.emit('output', { kind: 'fragment', fragment } satisfies SessionOutput);
      }
    }
  }

  private killChild(reason: string | null): void {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (reason) this.stderrTail += `\n${reason}`;
    child.kill('SIGTERM');
    const grace = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, this.options.killGraceMs ?? 2_000);
    child.once('close', () => clearTimeout(grace));
  }
}
