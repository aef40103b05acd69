/**
 * Prestarted ffmpegs against real parts (GStreamer's RTSP server, real ffmpeg): an ingest that takes
 * one plays like a fresh one, the pool refills, dies with nothing left behind, and stays off for an
 * ffmpeg too old to be aimed. Also why cold-start benchmarks keep the demo's mounts streaming.
 */
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraFarm } from '../demo/camera-farm.js';
import { cacheDir } from '../paths.js';
import { findFfmpeg } from './ffmpeg.js';
import { FfmpegPool } from './ffmpeg-pool.js';
import { type Fragment } from './fmp4.js';
import { IngestSession, runningFfmpeg, type SessionOutput } from './ingest-session.js';
import { pictureRun } from './picture-run.test-support.js';

const resources = join(__dirname, '..', '..', 'resources');
const ffmpeg = findFfmpeg();
const alive = (pid: number) => existsSync(`/proc/${pid}`);

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let farm: CameraFarm;
beforeAll(async () => {
  // No watchdog: a server it restarts prepares every mount afresh, which would undo an idle mount.
  farm = new CameraFarm({ ffmpegPath: ffmpeg, resources, cacheDir: cacheDir(), cameras: 2, hlsCameras: 0, hevcCameras: 0, watchdogMs: 0 });
  await farm.start();
});
afterAll(async () => {
  await farm?.stop();
  expect(runningFfmpeg.size).toBe(0);
});

/** An ingest session's media until it is live with `n` fragments: its first fragment and codec. */
async function play(session: IngestSession, n = 10): Promise<{ first: { keyframe: boolean }; codec: string }> {
  let first: { keyframe: boolean } | null = null;
  session.on('output', (o: SessionOutput) => {
    if (o.kind === 'fragment' && !first) first = { keyframe: o.fragment.keyframe };
  });
  session.start();
  await until('live', () => session.isLive && session.fragments >= n);
  return { first: first!, codec: session.initSegment!.codec };
}

describe('prestarted ffmpegs', () => {
  it('are taken by ingests, which then play like fresh ones, and are refilled; nothing is left after dispose', async () => {
    const pool = new FfmpegPool({ ffmpegPath: () => ffmpeg, size: 2, refillDelayMs: 100, refillGapMs: 50 });
    await until('pool full', () => pool.ready === 2);
    const session = new IngestSession({ cameraId: 'cam-a', quality: 'sub', url: `${farm.rtspBase}/demo01/sub`, ffmpegPath: ffmpeg, hls: true, pool });
    const { first, codec } = await play(session);
    expect(pool.stats()).toMatchObject({ taken: 1, missed: 0 });
    expect(codec).toMatch(/^avc1\./);
    // Media starts at a keyframe, and the camera's ffmpeg is counted like any ingest's.
    expect(first.keyframe).toBe(true);
    expect(runningFfmpeg.has(session.pid!)).toBe(true);
    // Its HLS window (instant replay) is written where the prestarted ffmpeg was told.
    await until('replay window', () => existsSync(join(session.hlsDir!, 'index.m3u8')), 5_000);
    await until('refilled', () => pool.ready === 2);
    const hlsDir = session.hlsDir!;
    await session.dispose();
    expect(existsSync(hlsDir)).toBe(false);

    const idle = (pool as unknown as { idle: { child: { pid: number }; hlsDir: string }[] }).idle.map((i) => ({ pid: i.child.pid, dir: i.hlsDir }));
    expect(idle).toHaveLength(2);
    await pool.dispose();
    for (const i of idle) {
      expect(alive(i.pid)).toBe(false);
      expect(existsSync(i.dir)).toBe(false);
    }
    expect(pool.take()).toBeNull();
  });

  it('hand out nothing when empty (the ingest spawns its own) and replace one that dies while waiting', async () => {
    const pool = new FfmpegPool({ ffmpegPath: () => ffmpeg, size: 1, refillDelayMs: 100, refillGapMs: 50 });
    try {
      await until('pool full', () => pool.ready === 1);
      const idle = (pool as unknown as { idle: { child: { pid: number; kill(s: string): void } }[] }).idle[0]!.child;
      idle.kill('SIGKILL');
      await until('replaced', () => pool.ready === 1 && (pool as unknown as { idle: { child: { pid: number } }[] }).idle[0]!.child.pid !== idle.pid);
      expect(pool.disabled).toBeNull();
      const a = pool.take();
      const b = pool.take();
      expect(a).not.toBeNull();
      expect(b).toBeNull();
      expect(pool.stats()).toMatchObject({ taken: 1, missed: 1 });
      a!.child.kill('SIGKILL');
    } finally {
      await pool.dispose();
    }
  });

  it('stay off for an ffmpeg older than 5.0, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-old-ffmpeg-'));
    const old = join(dir, 'ffmpeg');
    // Only its version is asked; a real ffmpeg 4.4 would answer the same first line.
    writeFileSync(old, '#!/bin/sh\necho "ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021 the FFmpeg developers"\n');
    chmodSync(old, 0o755);
    const logs: string[] = [];
    const pool = new FfmpegPool({ ffmpegPath: () => old, size: 2, refillDelayMs: 50, log: (m) => logs.push(m) });
    await until('checked', () => logs.length > 0, 5_000);
    expect(logs[0]).toMatch(/older than 5\.0/);
    expect(pool.ready).toBe(0);
    expect(pool.take()).toBeNull();
    await pool.dispose();
  });
});

describe('a demo mount nobody watches', () => {
  /** A fresh ingest's first 30 pictures: the largest step between their times (s), and what it dropped. */
  async function firstPictures(path: string): Promise<{ largestStep: number; dropped: number; firstIsKey: boolean; said: string }> {
    const fragments: Fragment[] = [];
    const logs: string[] = [];
    const session = new IngestSession({ cameraId: 'cam-b', quality: 'sub', url: `${farm.rtspBase}${path}`, ffmpegPath: ffmpeg, log: (m) => logs.push(m) });
    session.on('output', (o: SessionOutput) => {
      if (o.kind === 'fragment') fragments.push(o.fragment);
    });
    session.start();
    await until('30 pictures', () => fragments.length >= 30);
    await session.dispose();
    const pictures = pictureRun(fragments);
    // What a failure prints: the ingest's own log, and the first pictures' keyframes and steps.
    const said = `ingest log: ${JSON.stringify(logs)}; ${pictures.said}`;
    return { largestStep: Math.max(...pictures.steps), dropped: session.staleDropped, firstIsKey: fragments[0]!.keyframe, said };
  }

  it('hands its first client an old held keyframe and a jump; the ingest drops them and starts at a live keyframe', async () => {
    // Nobody has watched demo02 since the farm started: gst-rtsp-server sends the keyframe it held
    // when it prepared the mount, and the few pictures after it that the kernel kept, then a jump to
    // the live stream (here 5 pictures, then a jump as long as the mount was idle).
    // That is the premise, and twice (a fresh clone here, then CI, both of 32696af) the mount handed no
    // stale picture at all (0 dropped; the cause is not known). So the test makes sure of its premise:
    // when a first client got nothing stale, the server is restarted (which prepares every mount
    // afresh) and the mount left idle again, up to three times. Every try must start at a keyframe
    // with no jump; at least one must have had stale pictures to drop.
    const tries: Awaited<ReturnType<typeof firstPictures>>[] = [];
    for (let i = 0; i < 3 && !tries.some((t) => t.dropped > 0); i++) {
      if (i > 0) {
        await farm.stopServer();
        await farm.restartServer();
      }
      await new Promise((r) => setTimeout(r, 5_000));
      const idle = await firstPictures('/demo02/sub');
      expect(idle.firstIsKey, idle.said).toBe(true);
      expect(idle.largestStep, idle.said).toBeLessThan(0.2);
      tries.push(idle);
    }
    expect(
      tries.some((t) => t.dropped > 0),
      tries.map((t) => t.said).join('\n'),
    ).toBe(true);
    // Kept streaming, as a camera is, a new client joins live frames: nothing to drop.
    await farm.keepStreaming();
    await new Promise((r) => setTimeout(r, 1_000));
    const kept = await firstPictures('/demo02/main');
    expect(kept.dropped, kept.said).toBe(0);
    expect(kept.firstIsKey, kept.said).toBe(true);
    expect(kept.largestStep, kept.said).toBeLessThan(0.2);
  });
});
