/**
 * Instant replay's files (runtime: Node): a camera stream's rolling HLS window, which its ingest
 * ffmpeg writes, served at /hls/<token>/ to hls.js. A replay token holds the ingest alive while hls.js
 * keeps fetching, and lets go 15 s after the last request. Only the playlist, the init segment and
 * numbered segments are served; no path is built from input but the file name the pattern allows.
 * The server in front has checked Host and Origin (access/request-guard.ts), and lets Electron's
 * pantau://app read: no wildcard CORS header here.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ApiError, type StreamQuality } from '../../preload/contract.js';
import type { Lease, StreamGateway } from './gateway.js';

/** Replay files: the playlist, the init segment and numbered segments. Nothing else is served. */
const HLS_PATH = /^\/hls\/([0-9a-f]{48})\/(index\.m3u8|init\.mp4|seg\d{5,9}\.m4s)$/;
const REPLAY_IDLE_MS = 15_000;

export class ReplayFiles {
  private readonly replays = new Map<string, { lease: Lease; timer: NodeJS.Timeout }>();

  constructor(
    private readonly gateway: StreamGateway,
    private readonly origin: () => string,
  ) {}

  /** A loopback URL for the rolling HLS window of this camera stream. */
  issue(cameraId: string, quality: StreamQuality): string {
    const lease = this.gateway.acquire(cameraId, quality);
    if (!lease.session.hlsDir) {
      lease.release();
      throw new ApiError('unavailable', `camera ${cameraId} has no replay window`);
    }
    const token = randomBytes(24).toString('hex');
    this.replays.set(token, { lease, timer: setTimeout(() => this.end(token), REPLAY_IDLE_MS) });
    return `${this.origin()}/hls/${token}/index.m3u8`;
  }

  /** Serves /hls/<token>/<file>; returns false for any other path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const match = HLS_PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return false;
    const token = match[1]!;
    const replay = this.replays.get(token);
    if (!replay || !replay.lease.session.hlsDir) {
      res.writeHead(403).end();
      return true;
    }
    clearTimeout(replay.timer);
    replay.timer = setTimeout(() => this.end(token), REPLAY_IDLE_MS);
    const file = join(replay.lease.session.hlsDir, match[2]!);
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return true;
    }
    const type = file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp4';
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
    return true;
  }

  private end(token: string): void {
    const r = this.replays.get(token);
    if (!r) return;
    clearTimeout(r.timer);
    this.replays.delete(token);
    r.lease.release();
  }

  close(): void {
    for (const token of [...this.replays.keys()]) this.end(token);
  }
}
