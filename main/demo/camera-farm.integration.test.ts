/**
 * The demo farm's watchdog against the real GStreamer RTSP server: a server that stops answering is
 * restarted on the same port, and its mounts answer again. And the mounts' RTP ports stay clear of
 * the ports the kernel hands out (the publishers' own sockets).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cacheDir } from '../paths.js';
import { findFfmpeg } from '../streams/ffmpeg.js';
import { CameraFarm, describeStatus, freeRtpPort } from './camera-farm.js';

const resources = join(__dirname, '..', '..', 'resources');
let farm: CameraFarm;

beforeAll(async () => {
  farm = new CameraFarm({ ffmpegPath: findFfmpeg(), resources, cacheDir: cacheDir(), cameras: 1, watchdogMs: 500 });
  await farm.start();
});
afterAll(async () => {
  await farm?.stop();
});

it('answers DESCRIBE with 200 on a mount and 404 elsewhere', async () => {
  expect(await describeStatus(farm.port, '/demo01/sub')).toBe(200);
  expect(await describeStatus(farm.port, '/nothing-here')).toBe(404);
});

it('restarts a server that stops answering, on the same port', async () => {
  const pid = farm.pids[0]!;
  process.kill(pid, 'SIGSTOP'); // the server hangs: DESCRIBE gets no answer
  const t0 = Date.now();
  let status: number | null = null;
  while (Date.now() - t0 < 30_000 && (farm.restarts === 0 || (status = await describeStatus(farm.port, '/demo01/sub')) !== 200)) await new Promise((r) => setTimeout(r, 200));
  expect(farm.restarts).toBe(1);
  expect(status).toBe(200);
  expect(farm.pids[0]).not.toBe(pid);
});

it("picks RTP ports below the kernel's ephemeral range, each with its RTCP port free, never one twice", async () => {
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  const taken = new Set<number>();
  const picks: number[] = [];
  for (let i = 0; i < 40; i++) picks.push(await freeRtpPort(taken));
  for (const p of picks) {
    expect(p).toBeLessThan(low - 1);
    expect(p % 2).toBe(0);
  }
  expect(new Set(picks.flatMap((p) => [p, p + 1])).size).toBe(80);
});
