/**
 * The gateway against real parts: GStreamer's RTSP server publishing real H.264, real ffmpeg ingest.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamHealth } from '../../preload/contract.js';
import { Catalog } from '../catalog/catalog.js';
import { loadWilayah } from '../catalog/wilayah.js';
import { CameraFarm } from '../demo/camera-farm.js';
import { cacheDir } from '../paths.js';
import { findFfmpeg } from './ffmpeg.js';
import { StreamGateway } from './gateway.js';
import { type Fragment } from './fmp4.js';
import { runningFfmpeg, type IngestSession, type SessionOutput } from './ingest-session.js';
import { testCamera as camera } from './camera.test-support.js';
import { pictureRun } from './picture-run.test-support.js';
import { FREE_RETRIES, RETRIES_PER_SECOND } from './retry-pacer.js';

const resources = join(__dirname, '..', '..', 'resources');
const wilayah = loadWilayah(join(resources, 'data', 'semarang-wilayah.json'));
const ffmpeg = findFfmpeg();

function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const id = setInterval(() => {
      if (check()) {
        clearInterval(id);
        resolve(Date.now() - t0);
      } else if (Date.now() - t0 > timeoutMs) {
        clearInterval(id);
        reject(new Error(`timed out waiting for: ${what}`));
      }
    }, 50);
  });
}

let farm: CameraFarm;
let farmStarted = 0;
let locked: CameraFarm;
let looping: CameraFarm;
let gateway: StreamGateway;
const healths: StreamHealth[] = [];

beforeAll(async () => {
  farm = new CameraFarm({ ffmpegPath: ffmpeg, resources, cacheDir: cacheDir(), cameras: 2 });
  locked = new CameraFarm({ ffmpegPath: ffmpeg, resources, cacheDir: cacheDir(), cameras: 1, auth: { user: 'admin', password: 'right' } });
  // 3 s clips, so a test sees the publisher loop twice.
  looping = new CameraFarm({ ffmpegPath: ffmpeg, resources, cacheDir: cacheDir(), cameras: 1, clipSeconds: 3 });
  await Promise.all([farm.start(), locked.start(), looping.start()]);
  farmStarted = Date.now();
  const cams = [
    camera('cam-a', 1, `${farm.rtspBase}/demo01/sub`),
    camera('cam-b', 2, `${farm.rtspBase}/demo02/sub`),
    camera('cam-locked', 3, `rtsp://admin:wrong@127.0.0.1:${locked.port}/demo01/sub`),
    camera('cam-dead', 4, 'rtsp://127.0.0.1:9/nothing-listens-here'),
    camera('cam-loop', 5, `${looping.rtspBase}/demo01/main`),
    // A mount no other test plays: its first PLAY answers a Range starting at the farm's uptime.
    camera('cam-replay', 6, `${farm.rtspBase}/demo02/main`),
  ];
  gateway = new StreamGateway({ catalog: new Catalog(cams, wilayah), ffmpegPath: () => ffmpeg, idleGraceMs: 300, stallMs: 2_000, onHealth: (h) => healths.push(h) });
});

afterAll(async () => {
  await gateway?.dispose();
  await Promise.all([farm?.stop(), locked?.stop(), looping?.stop()]);
  expect(runningFfmpeg.size).toBe(0);
});

const fragmentsOf = (s: IngestSession) => s.fragments;

describe('stream gateway with a real RTSP server', () => {
  it('runs one ffmpeg per camera stream however many viewers it has, and stops it after the idle grace', async () => {
    const a1 = gateway.acquire('cam-a', 'sub');
    const a2 = gateway.acquire('cam-a', 'sub');
    const b = gateway.acquire('cam-b', 'main');
    expect(a1.session).toBe(a2.session);
    expect(gateway.stats()).toMatchObject({ sessions: 2, ffmpegProcesses: 2 });
    await until('cam-a live', () => a1.session.isLive && fragmentsOf(a1.session) > 15);
    expect(a1.session.initSegment!.codec).toMatch(/^avc1\./);
    a1.release();
    a1.release(); // a double release must not steal the other viewer's reference
    await new Promise((r) => setTimeout(r, 600));
    expect(gateway.stats().sessions).toBe(2);
    a2.release();
    b.release();
    // At every instant while they stop: one ffmpeg per session, counting those still stopping.
    let samples = 0;
    await until(
      'sessions stopped',
      () => {
        const s = gateway.stats();
        expect(s.ffmpegProcesses).toBe(s.sessions + s.stopping);
        samples++;
        return s.sessions === 0 && s.stopping === 0 && runningFfmpeg.size === 0;
      },
      5_000,
    );
    expect(samples).toBeGreaterThan(5);
  });

  it('delivers whole frames: one sample per frame, rising decode times, and a stream ffmpeg decodes without error', async () => {
    await expectIntactStream('cam-a', 45);
  });

  it('stays intact across the loop point of the demo publisher', async () => {
    // 8 s of a 3 s clip: two loop boundaries.
    await expectIntactStream('cam-loop', 120);
  });

  async function expectIntactStream(cameraId: string, frames: number): Promise<void> {
    const lease = gateway.acquire(cameraId, 'main');
    const frags: Fragment[] = [];
    let inits = 0; // one per ffmpeg run
    lease.session.on('output', (o: SessionOutput) => {
      if (o.kind === 'fragment') frags.push(o.fragment);
      if (o.kind === 'init') inits++;
    });
    const ms = await until(`${frames} frames`, () => frags.length >= frames, 20_000);
    // Real time, like a camera: 15 fps, allowing for a backlog of under a second at the start.
    expect(ms).toBeGreaterThan((frames / 15 - 1) * 1000);
    const init = lease.session.initSegment!;
    lease.release();
    const start = frags.findIndex((f) => f.keyframe);
    const run = frags.slice(start);
    const { times, keys, said: pictures } = pictureRun(run);
    for (let i = 1; i < times.length; i++) expect(times[i]!, `fragment ${i} decode time`).toBeGreaterThan(times[i - 1]! + 1);
    // A 1 s GOP at 15 fps: a keyframe every 15 frames, never two in a row (a split keyframe looks like that).
    // Once a keyframe came 9 pictures after the one before (fresh clone, three Vitest files at a
    // time); what a failure prints tells a lost picture from a restarted publisher or ingest.
    const said = `${pictures}; publisher restarts ${farm.publisherRestarts} + ${looping.publisherRestarts}; init segments seen ${inits}`;
    for (let i = 1; i < keys.length; i++) expect(keys[i]! - keys[i - 1]!, said).toBeGreaterThan(10);
    const decoded = spawnSync(ffmpeg, ['-v', 'error', '-f', 'mp4', '-i', 'pipe:0', '-f', 'null', '-'], { input: Buffer.concat([init.data, ...run.map((f) => f.data)]) });
    expect(decoded.status).toBe(0);
    expect(decoded.stderr.toString()).toBe('');
  }

  it('starts the replay window at the first frame of the camera, whatever Range the PLAY answer gives', async () => {
    // gst-rtsp-server answers the first PLAY of a running mount with npt=<its running time>-, as
    // many cameras answer their uptime; ffmpeg then gave the first frame 0 and the next one that
    // time, and the window's first segment lasted as long as the server had run.
    await new Promise((r) => setTimeout(r, Math.max(0, farmStarted + 6_000 - Date.now())));
    const lease = gateway.acquire('cam-replay', 'main');
    const playlist = (): string => {
      try {
        return readFileSync(join(lease.session.hlsDir!, 'index.m3u8'), 'utf8');
      } catch {
        return '';
      }
    };
    await until('3 replay segments', () => (playlist().match(/#EXTINF/g) ?? []).length >= 3, 15_000);
    const durations = [...playlist().matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
    lease.release();
    // 1 s segments (the GOP); the first one also holds the frames before the first keyframe's GOP ends.
    for (const d of durations) expect(d).toBeLessThan(2);
  });

  it('a viewer returning within the grace finds the ingest warm', async () => {
    const first = gateway.acquire('cam-b', 'sub');
    await until('live', () => first.session.isLive);
    const pid = first.session.pid;
    first.release();
    const again = gateway.acquire('cam-b', 'sub');
    expect(again.session).toBe(first.session);
    expect(again.session.pid).toBe(pid);
    again.release();
    await until('stopped', () => gateway.stats().sessions === 0, 5_000);
  });

  it('keeps the init segment through a moment of silence: a viewer joining after it plays', async () => {
    const first = gateway.acquire('cam-b', 'sub');
    await until('live', () => first.session.isLive);
    const pid = first.session.pid!;
    // Its ffmpeg stops reading (the camera falls silent, as the gateway sees it), and goes on with the
    // same stream once main has said "stalled", before the stall turns into a restart (2 x stallMs).
    process.kill(pid, 'SIGSTOP');
    try {
      await until('stalled', () => first.session.health.state === 'stalled', 10_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(first.session.health.reason?.code).toBe('camera_no_video');
    await until('live again', () => first.session.isLive, 10_000);
    expect(first.session.pid, 'the same ffmpeg run').toBe(pid);
    // A viewer joining now is sent the run's init segment (live-sockets sends what the session holds).
    const second = gateway.acquire('cam-b', 'sub');
    expect(second.session).toBe(first.session);
    expect(second.session.initSegment?.codec).toMatch(/^avc1\./);
    second.release();
    first.release();
    await until('stopped', () => gateway.stats().sessions === 0, 5_000);
  });

  it('recovers on its own when the RTSP server dies and comes back', async () => {
    const lease = gateway.acquire('cam-a', 'sub');
    await until('live', () => lease.session.isLive);
    await farm.stopServer();
    await until('not live', () => !lease.session.isLive, 10_000);
    expect(['stalled', 'reconnecting', 'offline']).toContain(lease.session.health.state);
    await farm.restartServer();
    const before = fragmentsOf(lease.session);
    const ms = await until('live again', () => lease.session.isLive && fragmentsOf(lease.session) > before + 5, 12_000);
    expect(ms).toBeLessThan(12_000);
    expect(gateway.stats().ffmpegProcesses).toBe(1);
    lease.release();
    await until('stopped', () => runningFfmpeg.size === 0, 5_000);
  });

  it('says camera_auth_failed ("wrong user name or password") for bad credentials, and never logs them', async () => {
    const lease = gateway.acquire('cam-locked', 'sub');
    await until('error', () => lease.session.health.state === 'error', 10_000);
    expect(lease.session.health.reason).toEqual({ code: 'camera_auth_failed' });
    expect(JSON.stringify(healths)).not.toContain('wrong@');
    lease.release();
  });

  it('reports a camera that refuses connections as reconnecting, then offline, with the next retry time', async () => {
    const lease = gateway.acquire('cam-dead', 'main');
    await until('offline', () => lease.session.health.state === 'offline', 15_000);
    expect(lease.session.health.reason).toEqual({ code: 'camera_refused' });
    expect(lease.session.health.retryAt).toBeGreaterThan(Date.now() - 100);
    expect(healths.some((h) => h.cameraId === 'cam-dead' && h.state === 'reconnecting')).toBe(true);
    lease.release();
  });

  it('paces the reconnect attempts of many dead cameras across all of them (two a second), retrying each in turn', async () => {
    // A district cut off: 16 cameras refuse at once. Each ingest alone would retry after 0.5, 1, 2
    // and 3 s, about 60 ffmpeg starts in these 8 s (0.1 s of CPU each); paced, 16 first attempts,
    // up to FREE_RETRIES retries on their own backoff, and past those at most two retries a second.
    const dead = Array.from({ length: 16 }, (_, i) => camera(`cam-cut-${i + 1}`, 100 + i, `rtsp://127.0.0.1:9/cut-off-${i + 1}`));
    const cut = new StreamGateway({ catalog: new Catalog(dead, wilayah), ffmpegPath: () => ffmpeg, idleGraceMs: 300, prestartedFfmpegs: 0 });
    try {
      const leases = dead.map((c) => cut.acquire(c.id, 'main'));
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 8_000));
      const seconds = (Date.now() - t0) / 1000;
      const attempts = leases.map((l) => l.session.attempts);
      const total = attempts.reduce((a, b) => a + b, 0);
      expect(total, `attempts per camera: ${attempts.join(', ')}`).toBeLessThanOrEqual(16 + FREE_RETRIES + Math.ceil(seconds * RETRIES_PER_SECOND) + 1);
      // Every camera had its turn, and each tile's countdown names the time its next try really comes.
      for (const [i, n] of attempts.entries()) expect(n, `cam-cut-${i + 1}`).toBeGreaterThanOrEqual(2);
      // (An ingest whose attempt is running has no retry time.)
      const next = leases.map((l) => l.session.health.retryAt).filter((t): t is number => t !== null);
      expect(next.length).toBeGreaterThan(0);
      for (const t of next) expect(t).toBeGreaterThan(Date.now() - 1_000);
      for (const l of leases) l.release();
    } finally {
      await cut.dispose();
    }
  }, 20_000);
});
