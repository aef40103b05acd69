/**
 * Demo cameras whose source is an HLS playlist (runtime: Node): what a city gets from some private
 * cameras, NVRs and video platforms. One ffmpeg per camera loops a cached clip (`-c copy`) into a live
 * HLS window of 1 s MPEG-TS segments; a plain HTTP server on 127.0.0.1 serves them behind Basic
 * authentication, so the demo shows that the camera's credentials stay in main.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFile, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTied, stopChild } from '../streams/child-process.js';

export const DEMO_HLS_AUTH = { user: 'pantau', password: 'demo-hls' } as const;
const FILE = /^\/cam(\d{2})\/(index\.m3u8|seg\d{5}\.ts)$/;

/** ffmpeg arguments: the clip in a loop at real time, into a rolling HLS window in `dir`. */
export function hlsWriterArgs(clip: string, dir: string): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-re',
    '-stream_loop',
    '-1',
    '-i',
    clip,
    '-map',
    '0:v:0',
    '-c',
    'copy',
    '-f',
    'hls',
    '-hls_time',
    '1',
    '-hls_list_size',
    '6',
    '-hls_flags',
    'delete_segments+independent_segments+omit_endlist',
    '-hls_segment_filename',
    join(dir, 'seg%05d.ts'),
    join(dir, 'index.m3u8'),
  ];
}

export class DemoHlsCameras {
  private readonly dir = mkdtempSync(join(tmpdir(), 'pantau-demo-hls-'));
  private readonly writers: ChildProcess[] = [];
  private readonly http: Server;
  private port = 0;

  constructor(
    private readonly ffmpegPath: string,
    /** One clip (MPEG-TS, H.264) per camera. */
    private readonly clips: string[],
  ) {
    const expected = `Basic ${Buffer.from(`${DEMO_HLS_AUTH.user}:${DEMO_HLS_AUTH.password}`).toString('base64')}`;
    this.http = createServer((req, res) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="demo camera"' }).end();
        return;
      }
      const m = FILE.exec(new URL(req.url ?? '/', 'http://x').pathname);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > this.clips.length) {
        res.writeHead(404).end();
        return;
      }
      readFile(join(this.dir, `cam${m[1]}`, m[2]!), (err, data) => {
        if (err) res.writeHead(404).end();
        else res.writeHead(200, { 'Content-Type': m[2]!.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t', 'Cache-Control': 'no-cache' }).end(data);
      });
    });
  }

  get count(): number {
    return this.clips.length;
  }

  /** e.g. http://pantau:demo-hls@127.0.0.1:PORT; camera n's playlist is `${base}/camNN/index.m3u8`. */
  get base(): string {
    return `http://${DEMO_HLS_AUTH.user}:${DEMO_HLS_AUTH.password}@127.0.0.1:${this.port}`;
  }

  get pids(): number[] {
    return this.writers.map((w) => w.pid).filter((p): p is number => typeof p === 'number');
  }

  async start(): Promise<void> {
    this.clips.forEach((clip, i) => {
      const dir = join(this.dir, `cam${String(i + 1).padStart(2, '0')}`);
      mkdirSync(dir, { recursive: true });
      this.writers.push(spawnTied(this.ffmpegPath, hlsWriterArgs(clip, dir), { stdio: ['ignore', 'ignore', 'inherit'] }));
    });
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(0, '127.0.0.1', () => resolve());
    });
    const a = this.http.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
  }

  async stop(): Promise<void> {
    this.http.closeAllConnections();
    await Promise.all([new Promise((r) => this.http.close(() => r(undefined))), ...this.writers.map(stopChild)]);
    this.writers.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
