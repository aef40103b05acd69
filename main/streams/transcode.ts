/**
 * The JSMpeg fallback's transcode (runtime: Node): one ffmpeg per camera stream turning the ingest's
 * fragmented MP4 into MPEG-1 video in MPEG-TS, for codecs the browser's MSE can't play (H.265 on most
 * Chromium builds, Motion JPEG). However many tiles show it, there is one transcode, fed from the one
 * ingest: the camera still sees a single RTSP session.
 *
 * Supervised like the ingest: a transcoder that exits or goes quiet while its ingest is live is
 * restarted with capped backoff; stopping sends SIGTERM, then SIGKILL; every process is counted in
 * runningFfmpeg until it has exited. The output is cut into whole 188-byte TS packets, and the packets
 * since the last picture-group start are kept, so a new viewer decodes its first frame at once.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { reason, type Reason, type StreamHealth } from '../../preload/contract.js';
import { stopChild } from './child-process.js';
import { transcodeArgs } from './ffmpeg.js';
import type { Lease } from './gateway.js';
import { spawnCountedFfmpeg, type SessionOutput } from './ingest-session.js';

export const TS_PACKET = 188;
/** Bytes queued on the transcoder's stdin before fragments are dropped (until the next keyframe). */
const MAX_STDIN_BYTES = 4 * 1024 * 1024;
/** The cache for joining viewers; a picture group of 640x360 MPEG-1 is ~50 KB. */
const MAX_CACHE_BYTES = 2 * 1024 * 1024;

export interface TsChunk {
  data: Buffer;
  /** Starts with a sequence header: a decoder can start here. */
  gopStart: boolean;
}

export type TranscodeOutput = { kind: 'ts'; chunk: TsChunk } | { kind: 'health'; health: StreamHealth };

/**
 * Whether this TS packet starts a PES whose payload holds an MPEG-1 sequence header (00 00 01 B3):
 * ffmpeg writes one before every picture group, and a decoder can start there.
 */
export function startsPictureGroup(packet: Buffer): boolean {
  if (packet.length < TS_PACKET || packet[0] !== 0x47) return false;
  if (!(packet[1]! & 0x40)) return false; // payload_unit_start_indicator
  const afc = (packet[3]! >> 4) & 0x3;
  if (!(afc & 0x1)) return false; // no payload
  let p = 4;
  if (afc & 0x2) p += 1 + packet[4]!;
  // PES: 00 00 01, stream id (video 0xE0-0xEF), length(2), flags(2), header length(1), header.
  if (p + 9 > TS_PACKET || packet[p] !== 0 || packet[p + 1] !== 0 || packet[p + 2] !== 1) return false;
  if ((packet[p + 3]! & 0xf0) !== 0xe0) return false;
  const payload = p + 9 + packet[p + 8]!;
  for (let i = payload; i + 3 < TS_PACKET; i++) {
    if (packet[i] === 0 && packet[i + 1] === 0 && packet[i + 2] === 1) return packet[i + 3] === 0xb3;
  }
  return false;
}

/** Cuts a byte stream into whole TS packets, marking the chunks that start a picture group. */
export class TsPacketizer {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): TsChunk[] {
    let buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    // Resynchronise on the sync byte if the stream ever slips (it should not: ffmpeg writes whole packets).
    if (buf.length && buf[0] !== 0x47) {
      const at = buf.indexOf(0x47);
      buf = at < 0 ? Buffer.alloc(0) : buf.subarray(at);
    }
    const whole = buf.length - (buf.length % TS_PACKET);
    this.rest = Buffer.from(buf.subarray(whole));
    const out: TsChunk[] = [];
    let start = 0;
    for (let p = 0; p < whole; p += TS_PACKET) {
      if (p > start && startsPictureGroup(buf.subarray(p, p + TS_PACKET))) {
        out.push({ data: Buffer.from(buf.subarray(start, p)), gopStart: startsPictureGroup(buf.subarray(start, start + TS_PACKET)) });
        start = p;
      }
    }
    if (whole > start) out.push({ data: Buffer.from(buf.subarray(start, whole)), gopStart: startsPictureGroup(buf.subarray(start, start + TS_PACKET)) });
    return out;
  }
}

export interface TranscodeOptions {
  /** The ingest this transcode reads; released on dispose. */
  ingest: Lease;
  ffmpegPath: string;
  /** No output for this long while the ingest is live → the transcoder is restarted. */
  stallMs?: number;
  log?: (message: string) => void;
}

export class Mpeg1Transcode extends EventEmitter {
  private child: ChildProcess | null = null;
  /** Exits of every transcoder this one started and has not seen end (a restart leaves one stopping). */
  private readonly exits = new Set<Promise<void>>();
  private packetizer = new TsPacketizer();
  private needKeyframe = true;
  private disposed = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private lastOutputAt = 0;
  private startedAt = 0;
  private stderrTail = '';
  /** TS since the last picture-group start: what a joining viewer gets first. */
  cache: Buffer[] = [];
  private cacheBytes = 0;
  /** Restarts after the transcoder exited or went quiet (for health and tests). */
  restarts = 0;
  private problem: Reason | null = null;

  constructor(private readonly o: TranscodeOptions) {
    super();
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }
  get cameraId(): string {
    return this.o.ingest.session.health.cameraId;
  }

  /** The ingest's health, unless the transcoder itself is the problem. */
  get health(): StreamHealth {
    const h = this.o.ingest.session.health;
    if (h.state === 'live' && this.problem) return { ...h, state: 'reconnecting', reason: this.problem, retryAt: null };
    return h;
  }

  start(): void {
    const session = this.o.ingest.session;
    session.on('output', this.onIngest);
    if (session.initSegment) this.spawn();
    const stallMs = this.o.stallMs ?? 5_000;
    this.watchdog = setInterval(() => {
      if (this.child && session.isLive && Date.now() - Math.max(this.lastOutputAt, this.startedAt) > stallMs) {
        this.stderrTail += '\nno output from the transcoder';
        void stopChild(this.child);
      }
    }, 500);
  }

  private readonly onIngest = (o: SessionOutput): void => {
    if (this.disposed) return;
    if (o.kind === 'health') this.emit('output', { kind: 'health', health: this.health } satisfies TranscodeOutput);
    else if (o.kind === 'init') {
      // A new stream from the ingest (a camera or ffmpeg restart): a new transcoder reads it from its start.
      this.restart();
    } else if (this.child?.stdin?.writable) {
      const stdin = this.child.stdin;
      if (stdin.writableLength > MAX_STDIN_BYTES) this.needKeyframe = true;
      if (this.needKeyframe && !o.fragment.keyframe) return;
      this.needKeyframe = false;
      stdin.write(o.fragment.data);
    }
  };

  private spawn(): void {
    const session = this.o.ingest.session;
    const init = session.initSegment;
    if (this.disposed || !init) return;
    this.packetizer = new TsPacketizer();
    this.stderrTail = '';
    this.startedAt = Date.now();
    const { child, exited } = spawnCountedFfmpeg(this.o.ffmpegPath, transcodeArgs(), 'pipe');
    this.child = child;
    this.exits.add(exited);
    // A transcoder that dies mid-write closes its stdin under us: that is its exit, not ours.
    child.stdin!.on('error', () => undefined);
    child.stdout!.on('data', (chunk: Buffer) => this.onOutput(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2048);
    });
    child.on('error', (err) => (this.stderrTail += `\n${err.message}`));
    child.on('close', (code, signal) => {
      if (this.child === child) this.child = null;
      this.exits.delete(exited);
      if (this.disposed || this.child) return;
      const why = this.stderrTail.trim().split('\n').pop() || `exit ${code ?? signal}`;
      this.o.log?.(`transcoder for ${this.cameraId} exited (${code ?? signal}): ${why}`);
      this.setProblem(reason('transcode_failed', undefined, why.slice(0, 120)));
      this.scheduleRestart();
    });
    // The stream from its start: the init segment, then the picture group so far.
    child.stdin!.write(init.data);
    this.needKeyframe = true;
    const gop = session.gop;
    if (gop.length && gop[0]!.keyframe) {
      for (const f of gop) child.stdin!.write(f.data);
      this.needKeyframe = false;
    }
  }

  private onOutput(chunk: Buffer): void {
    this.lastOutputAt = Date.now();
    if (this.problem) this.setProblem(null);
    this.failures = 0;
    for (const c of this.packetizer.push(chunk)) {
      if (c.gopStart) {
        this.cache = [];
        this.cacheBytes = 0;
      }
      if (this.cacheBytes + c.data.length <= MAX_CACHE_BYTES) {
        this.cache.push(c.data);
        this.cacheBytes += c.data.length;
      }
      this.emit('output', { kind: 'ts', chunk: c } satisfies TranscodeOutput);
    }
  }

  private setProblem(problem: Reason | null): void {
    this.problem = problem;
    this.emit('output', { kind: 'health', health: this.health } satisfies TranscodeOutput);
  }

  private scheduleRestart(): void {
    if (this.disposed || this.retryTimer) return;
    this.failures++;
    const delay = Math.min(3_000, 250 * 2 ** (this.failures - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.restarts++;
      this.spawn();
    }, delay);
  }

  /** Replaces the running transcoder (new ingest stream); the cache of the old one is stale. */
  private restart(): void {
    this.cache = [];
    this.cacheBytes = 0;
    const old = this.child;
    this.child = null;
    if (old) void stopChild(old);
    this.spawn();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.o.ingest.session.off('output', this.onIngest);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    const child = this.child;
    this.child = null;
    if (child) await stopChild(child);
    await Promise.all([...this.exits]);
    this.o.ingest.release();
    this.removeAllListeners();
  }
}
