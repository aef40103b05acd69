/**
 * Gateway CPU per stream: Pantau's ingest (-c copy remux to fMP4, plus the rolling HLS window) against
 * node-rtsp-stream's MPEG-1 transcode of the same camera, in the same run. Each process's CPU is read
 * from /proc over 15 s while a viewer is attached.
 */
import { join } from 'node:path';
import Stream from 'node-rtsp-stream';
import WebSocket from 'ws';
import { Catalog } from '../main/catalog/catalog';
import { loadWilayah } from '../main/catalog/wilayah';
import { CameraFarm, freeTcpPort } from '../main/demo/camera-farm';
import { cacheDir, resourcesDir } from '../main/paths';
import { findFfmpeg } from '../main/streams/ffmpeg';
import { testCamera } from '../main/streams/camera.test-support';
import { StreamGateway } from '../main/streams/gateway';
import { cpuPercent, descendants } from './lib/cpu';
import { report } from './lib/report';

const MS = 15_000;
const resources = resourcesDir(process.cwd());
const ffmpeg = findFfmpeg();
const farm = new CameraFarm({ ffmpegPath: ffmpeg, resources, cacheDir: cacheDir(), cameras: 1, hlsCameras: 0, hevcCameras: 1, log: () => undefined });
await farm.start();
const wilayah = loadWilayah(join(resources, 'data', 'semarang-wilayah.json'));
const demo01 = { main: `${farm.rtspBase}/demo01/main`, sub: `${farm.rtspBase}/demo01/sub` };
const camera = testCamera('cam', 1, demo01.main, demo01.sub);
// The demo's H.265 camera, 640x360: the size of the goal, and the codec the MPEG-1 fallback is for.
const hevc = testCamera('hevc', 2, `${farm.rtspBase}/hevc01/main`);
const gateway = new StreamGateway({ catalog: new Catalog([camera, hevc], wilayah), ffmpegPath: () => ffmpeg, idleGraceMs: 300 });
const figures: Record<string, unknown> = {};

for (const [id, quality, label] of [
  ['cam', 'main', '1280x720'],
  ['hevc', 'main', '640x360 H.265'],
  ['cam', 'sub', '320x180'],
] as const) {
  const url = id === 'hevc' ? hevc.streams.main : demo01[quality];
  // Pantau: one ingest with a viewer.
  const lease = gateway.acquire(id, quality);
  await new Promise((r) => setTimeout(r, 3_000));
  let frames = 0;
  lease.session.on('output', (o: { kind: string }) => o.kind === 'fragment' && frames++);
  const copy = await cpuPercent(() => [lease.session.pid!], MS);
  figures[`${label}: pantau -c copy ingest (% of a core)`] = Math.round(copy * 10) / 10;
  figures[`${label}: pantau frames delivered in ${MS / 1000} s`] = frames;
  // Pantau's MPEG-1 fallback (for codecs MSE can't play): the transcoder alone, fed by the ingest.
  const t = gateway.acquireTranscode(id, quality);
  await new Promise((r) => setTimeout(r, 3_000));
  const fallback = await cpuPercent(() => [t.transcode.pid!], MS);
  figures[`${label}: pantau MPEG-1 fallback transcoder (% of a core)`] = Math.round(fallback * 10) / 10;
  t.release();
  lease.release();
  // Baseline: node-rtsp-stream, the same camera, with one JSMpeg viewer. -r 25: MPEG-1 has no 15 fps.
  const wsPort = await freeTcpPort();
  const stream = new Stream({ name: 'bench', streamUrl: url, wsPort, ffmpegOptions: { '-r': 25 } });
  const viewer = new WebSocket(`ws://127.0.0.1:${wsPort}`);
  viewer.on('error', () => undefined);
  await new Promise((r) => setTimeout(r, 3_000));
  // node-rtsp-stream's ffmpeg: our children that are neither the demo farm nor Pantau's ingest.
  const mine = () => descendants(process.pid).filter((p) => !gateway.sessions().some((s) => s.pid === p) && p !== t.transcode.pid && !farm.pids.includes(p));
  const transcode = await cpuPercent(mine, MS);
  figures[`${label}: node-rtsp-stream MPEG-1 transcode (% of a core)`] = Math.round(transcode * 10) / 10;
  viewer.terminate();
  stream.stop();
  await new Promise((r) => setTimeout(r, 2_000));
}
await gateway.dispose();
await farm.stop();
report('gateway-cpu', figures, [
  'Same camera (demo01 H.264, or the H.265 camera hevc01 at 640x360; 15 fps, 1 s GOP), one viewer each. Pantau also writes the 2-minute HLS window. node-rtsp-stream 0.0.9 defaults, -r 25.',
  "Pantau's fallback transcoder reads the ingest's output (no second RTSP session) and writes MPEG-1 at 25 fps, at most 640 wide; its ingest is counted in the copy figure.",
  'The demo farm process is excluded from both figures; the farm is measured in first-frame.',
  'Goal (issue 3): <= 2 % of one core per 640x360 stream for copy.',
]);
process.exit(0);
