/**
 * Prestarted ingest ffmpegs (runtime: Node).
 *
 * Starting Debian's ffmpeg costs CPU before it reads a byte, nearly all of it the dynamic loader
 * binding some 200 shared libraries, and Node's spawn holds main's event loop while it forks a large
 * process. A district switch starts 16 ingests at once, so on 2 cores those starts alone took most of
 * a second, on the path between the operator's action and the pictures (bench/README.md,
 * district-switch, has the figures).
 *
 * The pool pays that cost ahead of time, while the console is idle: it keeps `size` ffmpegs started
 * with the ingest's outputs and nothing to read yet (prestartedIngestArgs). An ingest takes one and
 * writes it an ffconcat list naming its camera on stdin; ffmpeg then opens the camera as a fresh one
 * would. Still one ffmpeg per camera stream, supervised and counted the same way once taken.
 *
 * Refills wait until no ingest has been taken for 3 s, then start one every 0.4 s, so they do not
 * compete with the switch that emptied the pool. An idle ffmpeg costs ~9 MiB of private
 * memory and no CPU. The pool stays off for ffmpeg older than 5.0 (the concat demuxer's per-file
 * options are newer), and turns itself off if prestarted processes keep dying unused.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTied, stopChild } from './child-process.js';
import { concatList, prestartedIngestArgs, type RtspTransport } from './ffmpeg.js';

export interface PoolOptions {
  ffmpegPath: () => string;
  /** Idle ffmpegs to keep ready. 0 turns the pool off. */
  size: number;
  refillDelayMs?: number;
  refillGapMs?: number;
  log?: (message: string) => void;
}

/** A prestarted ffmpeg handed to an ingest: its process, its HLS directory, and how to aim it. */
export interface PrestartedIngest {
  readonly child: ChildProcess;
  readonly hlsDir: string;
  /** Writes the camera's ffconcat list and closes stdin: ffmpeg opens the camera now. */
  aim(url: string, transport: RtspTransport): void;
}

interface Idle {
  child: ChildProcess;
  hlsDir: string;
  ffmpegPath: string;
  /** Stopped by the pool itself (setting changed, shutdown): not a death that counts against it. */
  discarded: boolean;
}

/** The major version in `ffmpeg -version`'s first line; null for builds that don't say (git builds). */
export function ffmpegMajor(versionText: string): number | null {
  const m = /^ffmpeg version n?(\d+)\.\d+/m.exec(versionText);
  return m ? Number(m[1]) : null;
}

/**
 * Refills start this long after the last take and come this far apart: each start costs CPU and
 * blocks main's event loop for a moment, and right after a switch the machine is busy starting the
 * tiles it asked for.
 */
const REFILL_DELAY_MS = 3_000;
const REFILL_GAP_MS = 400;

/** Prestarted processes that die unused this many times in a row turn the pool off. */
const MAX_EARLY_DEATHS = 3;

export class FfmpegPool {
  private readonly idle: Idle[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private off: string | null = null;
  /** Per ffmpeg path: why it can't be prestarted, or null when it can; asked once per path. */
  private readonly checked = new Map<string, Promise<string | null>>();
  private earlyDeaths = 0;
  /** Prestarted ffmpegs handed to ingests since start, and ingests started without one (pool empty). */
  taken = 0;
  missed = 0;

  private readonly options: PoolOptions;
  private readonly refillDelayMs: number;
  private readonly refillGapMs: number;

  constructor(options: PoolOptions) {
    this.options = { ...options };
    this.refillDelayMs = options.refillDelayMs ?? REFILL_DELAY_MS;
    this.refillGapMs = options.refillGapMs ?? REFILL_GAP_MS;
    if (options.size > 0) this.schedule(this.refillDelayMs);
  }

  /** The ffmpeg the console is set to use now; null while there is none (an ingest will say so). */
  private currentPath(): string | null {
    try {
      return this.options.ffmpegPath();
    } catch {
      return null;
    }
  }

  /** Idle ffmpegs ready now. */
  get ready(): number {
    return this.idle.length;
  }

  /** Why the pool is off, or null while it works. */
  get disabled(): string | null {
    return this.options.size <= 0 ? 'pool size 0' : this.off;
  }

  /** Ready, taken and missed, for health and benchmarks. */
  stats(): { ready: number; taken: number; missed: number; off: string | null } {
    return { ready: this.idle.length, taken: this.taken, missed: this.missed, off: this.disabled };
  }

  /** Changes how many to keep ready: extra idle ones stop now, missing ones start after the refill delay. */
  resize(size: number): void {
    this.options.size = Math.max(0, Math.floor(size));
    for (const extra of this.idle.splice(this.options.size)) void this.discard(extra);
    if (this.idle.length < this.options.size) this.schedule(this.refillDelayMs);
  }

  /** An idle ffmpeg for an ingest, or null (pool empty or off): the caller then spawns its own. */
  take(): PrestartedIngest | null {
    if (this.closed || this.options.size <= 0) return null;
    const current = this.currentPath();
    if (current === null) return null;
    let item: Idle | undefined;
    while ((item = this.idle.shift())) {
      // A process started with another ffmpeg (the setting changed) or already gone is not handed out.
      if (item.ffmpegPath === current && item.child.exitCode === null && item.child.signalCode === null) break;
      void this.discard(item);
    }
    this.schedule(this.refillDelayMs);
    if (!item) {
      this.missed++;
      return null;
    }
    this.taken++;
    const child = item.child;
    child.removeAllListeners('close');
    child.stderr!.removeAllListeners('data');
    return {
      child,
      hlsDir: item.hlsDir,
      aim: (url, transport) => {
        child.stdin!.on('error', () => undefined);
        child.stdin!.end(concatList(url, transport));
      },
    };
  }

  async dispose(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const all = this.idle.splice(0);
    await Promise.all(all.map((i) => this.discard(i)));
  }

  private discard(item: Idle): Promise<void> {
    item.discarded = true;
    return stopChild(item.child).then(() => rmSync(item.hlsDir, { recursive: true, force: true }));
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.off) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refill(), delayMs);
    this.timer.unref();
  }

  /** Why this ffmpeg can't be prestarted (older than 5.0, or won't run), or null when it can. */
  private unusable(ffmpegPath: string): Promise<string | null> {
    let check = this.checked.get(ffmpegPath);
    if (!check) {
      check = new Promise((resolve) =>
        execFile(ffmpegPath, ['-hide_banner', '-version'], { timeout: 10_000 }, (err, stdout) => {
          const major = err ? null : ffmpegMajor(stdout);
          const why = err ? `ffmpeg -version failed: ${err.message}` : major !== null && major < 5 ? `ffmpeg ${major}.x is older than 5.0` : null;
          if (why) this.options.log?.(`prestarted ffmpegs are off for ${ffmpegPath}: ${why}`);
          resolve(why);
        }),
      );
      this.checked.set(ffmpegPath, check);
    }
    return check;
  }

  private async refill(): Promise<void> {
    this.timer = null;
    if (this.closed || this.off || this.idle.length >= this.options.size) return;
    const ffmpegPath = this.currentPath();
    if (ffmpegPath === null) return this.schedule(30_000); // no ffmpeg yet: look again later
    if ((await this.unusable(ffmpegPath)) || this.closed) return;
    this.startOne(ffmpegPath);
    if (this.idle.length < this.options.size) this.schedule(this.refillGapMs);
  }

  private startOne(ffmpegPath: string): void {
    const hlsDir = mkdtempSync(join(tmpdir(), 'pantau-hls-'));
    const child = spawnTied(ffmpegPath, prestartedIngestArgs(hlsDir), { stdio: ['pipe', 'pipe', 'pipe'] });
    const item: Idle = { child, hlsDir, ffmpegPath, discarded: false };
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-1024)));
    child.stdout!.resume();
    child.stdin!.on('error', () => undefined);
    child.on('error', () => undefined);
    // Only while idle: take() removes this listener before the ingest adds its own.
    child.on('close', (code, signal) => {
      const i = this.idle.indexOf(item);
      if (i >= 0) this.idle.splice(i, 1);
      rmSync(hlsDir, { recursive: true, force: true });
      if (this.closed || item.discarded) return;
      if (++this.earlyDeaths >= MAX_EARLY_DEATHS) {
        this.off = `prestarted ffmpegs keep exiting unused (${code ?? signal}): ${stderr.trim().split('\n').pop() ?? ''}`;
        this.options.log?.(`prestarted ffmpegs are off: ${this.off}`);
        return;
      }
      this.schedule(this.refillDelayMs);
    });
    this.idle.push(item);
    // A process that lives a while unused counts as healthy again.
    setTimeout(() => {
      if (this.idle.includes(item)) this.earlyDeaths = 0;
    }, 5_000).unref();
  }
}
