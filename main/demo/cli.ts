/**
 * `npm run cameras`: the demo camera farm on its own (runtime: Node). A real RTSP server on 127.0.0.1
 * publishing looping H.264 demo cameras; prints every stream URL. Flags: --port N (default 8554),
 * --cameras N (default 16), --user U --password P (every stream then needs those credentials).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheDir, resourcesDir } from '../paths.js';
import { findFfmpeg } from '../streams/ffmpeg.js';
import { CameraFarm } from './camera-farm.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8554' }, cameras: { type: 'string', default: '16' }, user: { type: 'string' }, password: { type: 'string' } } });
const port = Number(values.port);
const cameras = Number(values.cameras);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not "${values.port}"`);
if (!Number.isInteger(cameras) || cameras < 1 || cameras > 64) throw new Error(`--cameras must be 1..64, not "${values.cameras}"`);

try {
  const farm = new CameraFarm({
    ffmpegPath: findFfmpeg(),
    resources: resourcesDir(dirname(fileURLToPath(import.meta.url))),
    cacheDir: cacheDir(),
    port,
    cameras,
    auth: values.user ? { user: values.user, password: values.password ?? '' } : undefined,
    log: (m) => process.stderr.write(`[demo] ${m}\n`),
  });
  await farm.start();
  for (let i = 1; i <= cameras; i++) {
    const n = String(i).padStart(2, '0');
    process.stdout.write(`camera ${n}: ${farm.rtspBase}/demo${n}/main (1280x720)  ${farm.rtspBase}/demo${n}/sub (320x180)\n`);
  }
  process.stdout.write('Ctrl+C stops the cameras.\n');
  const stop = () => void farm.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  process.stderr.write(`demo cameras could not start: ${(err as Error).message}\n`);
  process.exit(1);
}
