/**
 * Pantau leaves no process behind, however it dies: SIGKILL the whole web console while it ingests,
 * and every ffmpeg (ingests, the MPEG-1 fallback's transcoder, demo publishers) and the demo RTSP
 * server must exit on their own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawText } from '../streams/live-sockets.js';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { descendants } from '../../bench/lib/cpu';

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

async function call(ws: WebSocket, id: number, command: string, args: unknown): Promise<{ url: string }> {
  ws.send(JSON.stringify({ v: 1, id, command, args }));
  return new Promise((resolve) => {
    const on = (d: WebSocket.RawData) => {
      const m = JSON.parse(rawText(d)) as { id?: number; result: { url: string } };
      if (m.id === id) {
        ws.off('message', on);
        resolve(m.result);
      }
    };
    ws.on('message', on);
  });
}

describe('no orphans', () => {
  let started: ChildProcess | null = null;
  // A failed check must not leave a whole demo console running (it would load every later test).
  afterEach(() => {
    if (started && started.exitCode === null && started.signalCode === null) started.kill('SIGKILL');
  });

  it('every helper process exits when the console is SIGKILLed mid-stream', async () => {
    if (!existsSync('dist/main/web/cli.js')) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    const host = spawn(process.execPath, ['dist/main/web/cli.js', '--demo', '--port', '0'], {
      env: { ...process.env, PANTAU_DATA_DIR: mkdtempSync(join(tmpdir(), 'pantau-orphans-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started = host;
    let out = '';
    let err = '';
    host.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [url, token] = await new Promise<[string, string]>((resolve, reject) => {
      host.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Pantau web console: (http:\/\/127\.0\.0\.1:\d+)[\s\S]*API token: ([0-9a-f]{64})/.exec(out);
        if (m) resolve([m[1]!, m[2]!]);
      });
      // Say why it would not start (a fresh clone once saw "exited 1" with nothing more).
      host.on('close', (c) => reject(new Error(`console exited ${c}: ${err.slice(-1500)}`)));
    });
    const auth = { Authorization: `Bearer ${token}` };
    const api = new WebSocket(`${url.replace('http', 'ws')}/api/ws`, { headers: auth });
    await new Promise((r) => api.once('open', r));
    const viewers: WebSocket[] = [];
    for (const [i, cameraId] of ['rt-3374011001-01-01', 'rt-3374011001-01-02'].entries()) {
      const { url: live } = await call(api, i + 1, 'stream.open', { cameraId, quality: 'sub' });
      viewers.push(new WebSocket(live, { headers: auth }));
    }
    // The demo's H.265 camera through the MPEG-1 fallback: one more ingest, and its transcoder.
    const { url: mpeg1 } = await call(api, 3, 'stream.open', { cameraId: 'prv-011', quality: 'main', transcode: true });
    viewers.push(new WebSocket(mpeg1, { headers: auth }));
    // Wait until the three ingests deliver video, the transcode runs and prestarted ffmpegs wait.
    for (let t = 0; t < 100; t++) {
      const h = (await (await fetch(`${url}/api/health`, { headers: auth })).json()) as { sessionsLive: number; transcodes: number; ffmpegReady: number };
      if (h.sessionsLive === 3 && h.transcodes === 1 && h.ffmpegReady > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const helpers = descendants(host.pid!);
    const names = helpers.map((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim());
    // Three ingests and a transcoder; sixteen H.264 and one H.265 demo publishers; two demo HLS writers;
    // and the prestarted ffmpegs waiting for the next ingests (up to 16), which must not outlive it either.
    const ffmpegs = names.filter((n) => n === 'ffmpeg').length;
    expect(ffmpegs).toBeGreaterThanOrEqual(3 + 1 + 17 + 2);
    expect(ffmpegs).toBeLessThanOrEqual(3 + 1 + 17 + 2 + 16);
    expect(names).toContain('python3');
    host.kill('SIGKILL');
    for (const v of viewers) v.terminate();
    api.terminate();
    let left = helpers;
    for (let t = 0; t < 50 && left.length; t++) {
      await new Promise((r) => setTimeout(r, 100));
      left = left.filter(alive);
    }
    expect(left, 'helpers still running 5 s after the console died').toEqual([]);
  });
});
