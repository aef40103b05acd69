/**
 * The JSMpeg fallback's transcode against real parts: GStreamer's RTSP server publishing real H.265,
 * real ffmpeg ingest, real ffmpeg transcode to MPEG-1, read back by ffprobe.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog.js';
import type { Camera } from '../catalog/camera.js';
import { loadWilayah } from '../catalog/wilayah.js';
import { CameraFarm } from '../demo/camera-farm.js';
import { cacheDir } from '../paths.js';
import { findFfmpeg } from './ffmpeg.js';
import { StreamGateway, type TranscodeLease } from './gateway.js';
import { runningFfmpeg } from './ingest-session.js';
import { startsPictureGroup, TS_PACKET, type TranscodeOutput } from './transcode.js';

const resources = join(__dirname, '..', '..', 'resources');
const wilayah = loadWilayah(join(resources, 'data', 'semarang-wilayah.json'));
const ffmpeg = findFfmpeg();

function camera(id: string, number: number, main: string): Camera {
  return {
    id,
    number,
    name: id,
    type: 'private',
    kecamatanCode: '33.74.01',
    kecamatanName: 'Semarang Tengah',
    kelurahanCode: '33.74.01.1001',
    kelurahanName: 'Miroto',
    rw: null,
    rt: null,
    hasSub: false,
    streams: { main, sub: null },
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<number> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

/** ffprobe's csv prints a line per stream and per program: the video stream's comes first. */
const firstLine = (b: Buffer) => b.toString().trim().split('\n')[0]!.trim();

/** Collects a transcode's MPEG-TS output, starting with what a joining viewer gets first (the cache). */
function collect(lease: TranscodeLease): { bytes: () => Buffer; chunks: number; stop: () => void } {
  const parts: Buffer[] = [...lease.transcode.cache];
  const r = { chunks: 0, bytes: () => Buffer.concat(parts), stop: () => lease.transcode.off('output', on) };
  const on = (o: TranscodeOutput) => {
    if (o.kind !== 'ts') return;
    parts.push(o.chunk.data);
    r.chunks++;
  };
  lease.transcode.on('output', on);
  return r;
}

let farm: CameraFarm;
let gateway: StreamGateway;
let budget = 1;

beforeAll(async () => {
  farm = new CameraFarm({ ffmpegPath: ffmpeg, resources, cacheDir: cacheDir(), cameras: 1, hlsCameras: 0, hevcCameras: 1 });
  await farm.start();
  const cams = [camera('cam-hevc', 1, `${farm.rtspBase}/hevc01/main`), camera('cam-h264', 2, `${farm.rtspBase}/demo01/sub`)];
  gateway = new StreamGateway({ catalog: new Catalog(cams, wilayah), ffmpegPath: () => ffmpeg, idleGraceMs: 300, transcodeBudget: () => budget });
});

afterAll(async () => {
  await gateway?.dispose();
  await farm?.stop();
  expect(runningFfmpeg.size).toBe(0);
});

describe('MPEG-1 transcode (JSMpeg fallback) with a real H.265 camera', () => {
  it('is one transcoder fed by the one ingest however many viewers, and its output is MPEG-1 that ffprobe reads', async () => {
    const a = gateway.acquireTranscode('cam-hevc', 'main');
    const b = gateway.acquireTranscode('cam-hevc', 'main');
    expect(b.transcode).toBe(a.transcode);
    const out = collect(a);
    await until('MPEG-TS from the transcoder', () => out.bytes().length > 60_000);
    // The ingest names the codec it copies: H.265, which Chromium's MSE can't play here.
    expect(gateway.sessions()[0]!.initSegment?.codec).toMatch(/^(hvc1|hev1)\./);
    // One ingest (the only RTSP session) and one transcoder reading its stdin: two ffmpegs, no more.
    expect(gateway.stats()).toMatchObject({ sessions: 1, transcodes: 1, ffmpegProcesses: 2 });
    const bytes = out.bytes();
    out.stop();
    expect(bytes[0]).toBe(0x47);
    expect(bytes.length % TS_PACKET).toBe(0);
    const probe = spawnSync('ffprobe', ['-hide_banner', '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', '-f', 'mpegts', '-i', 'pipe:0'], {
      input: bytes,
    });
    expect(firstLine(probe.stdout)).toBe('mpeg1video,640,360');
    a.release();
    b.release();
  });

  it('gives a joining viewer a cache that starts with a picture group, so its first frame decodes at once', async () => {
    const lease = gateway.acquireTranscode('cam-hevc', 'main');
    await until('a cached picture group', () => lease.transcode.cache.length > 0);
    expect(startsPictureGroup(lease.transcode.cache[0]!.subarray(0, TS_PACKET))).toBe(true);
    const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', '-f', 'mpegts', '-i', 'pipe:0'], {
      input: Buffer.concat(lease.transcode.cache),
    });
    expect(Number(firstLine(probe.stdout))).toBeGreaterThan(0);
    lease.release();
  });

  it('refuses a transcode over the budget with a reason that says so, and allows it once one is released, without waiting out its idle grace', async () => {
    const held = gateway.acquireTranscode('cam-hevc', 'main');
    expect(() => gateway.acquireTranscode('cam-h264', 'main')).toThrow(/transcode budget full \(1 of 1 in use\)/);
    // The operator's words come from the reason code, translated in the renderer.
    let refusal: unknown = null;
    try {
      gateway.acquireTranscode('cam-h264', 'main');
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toMatchObject({ code: 'over_budget', reason: { code: 'transcode_budget_full', params: { used: 1, budget: 1 } } });
    // A second viewer of the stream already transcoded shares it: never refused.
    const again = gateway.acquireTranscode('cam-hevc', 'main');
    again.release();
    held.release();
    // Released, it waits out its idle grace for a viewer coming back; a viewer asking for the budget
    // now has the better claim: the idle transcode stops at once and the new one starts.
    expect(gateway.stats().transcodes).toBe(1);
    const other = gateway.acquireTranscode('cam-h264', 'main');
    expect(gateway.stats()).toMatchObject({ transcodes: 1, transcodesStopping: 1 });
    other.release();
    budget = 0;
    expect(() => gateway.acquireTranscode('cam-hevc', 'main')).toThrow(/transcode budget full \(\d of 0 in use\)/);
    budget = 1;
    await until('everything stopped', () => gateway.stats().transcodes === 0 && gateway.stats().transcodesStopping === 0);
  });

  it('restarts a killed transcoder on its own, without touching the ingest', async () => {
    const lease = gateway.acquireTranscode('cam-hevc', 'main');
    const out = collect(lease);
    await until('first output', () => out.chunks > 10);
    const ingestPid = gateway.sessions().find((s) => s.health.cameraId === 'cam-hevc')!.pid;
    const pid = lease.transcode.pid!;
    process.kill(pid, 'SIGKILL');
    await until('a new transcoder', () => lease.transcode.pid !== null && lease.transcode.pid !== pid);
    const before = out.chunks;
    const ms = await until('output again', () => out.chunks > before + 10);
    expect(ms).toBeLessThan(5_000);
    expect(lease.transcode.restarts).toBe(1);
    expect(gateway.sessions().find((s) => s.health.cameraId === 'cam-hevc')!.pid).toBe(ingestPid);
    expect(gateway.stats().ffmpegProcesses).toBe(2);
    out.stop();
    lease.release();
  });

  it('stops the transcoder and then its ingest once the last viewer has gone: no ffmpeg left', async () => {
    const lease = gateway.acquireTranscode('cam-hevc', 'main');
    await until('output', () => lease.transcode.cache.length > 0);
    lease.release();
    await until('all stopped', () => {
      const s = gateway.stats();
      return s.sessions === 0 && s.stopping === 0 && s.transcodes === 0 && s.transcodesStopping === 0;
    });
    await until('no ffmpeg', () => runningFfmpeg.size === 0, 5_000);
  });
});
