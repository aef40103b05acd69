/**
 * `npm run backend:sim`: the simulated analytics backend on its own (runtime: Node), for the demo
 * catalog's cameras. Flags: --port N (default 4180), --rate N alerts/s (default 2), --cameras N
 * (default 50), --token T (require "Authorization: Bearer T"), --backfill DAYS (serve that many days of
 * past alerts on GET /alerts/history, for statistics; default 0), --backfill-rate N (past alerts per
 * second, default 0.05).
 * Point a console at it with `npm run start:web -- --alerts http://127.0.0.1:4180/`.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../catalog/load.js';
import { simulatedCameras } from '../demo/demo-setup.js';
import { resourcesDir } from '../paths.js';
import { AlertSimulator } from './simulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4180' },
    rate: { type: 'string', default: '2' },
    cameras: { type: 'string', default: '50' },
    token: { type: 'string' },
    backfill: { type: 'string', default: '0' },
    'backfill-rate': { type: 'string', default: '0.05' },
  },
});
const num = (name: string, text: string, lo: number, hi: number) => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < lo || n > hi) {
    process.stderr.write(`--${name} must be a number from ${lo} to ${hi}, not "${text}"\n`);
    process.exit(2);
  }
  return n;
};
const port = num('port', values.port, 0, 65535);
const rate = num('rate', values.rate, 0, 5000);
const count = num('cameras', values.cameras, 1, 20000);
const backfillDays = num('backfill', values.backfill, 0, 400);
const backfillRate = num('backfill-rate', values['backfill-rate'], 0.001, 50);

const { catalog } = loadCatalog(resourcesDir(dirname(fileURLToPath(import.meta.url))), { rtspBase: 'rtsp://127.0.0.1:8554', demoStreams: 16 });
const sim = new AlertSimulator({ cameras: simulatedCameras(catalog.cameras, count), rate, port, token: values.token ?? null, backfillDays, backfillRate });
try {
  await sim.start();
} catch (err) {
  process.stderr.write(`the simulator could not listen on 127.0.0.1:${port}: ${(err as Error).message}\n`);
  process.exit(1);
}
process.stdout.write(
  `Pantau analytics simulator: ${sim.url} (${rate} alerts/s over ${count} cameras${backfillDays ? `, ${backfillDays} days of history` : ''}${values.token ? ', bearer token required' : ''})\n`,
);
const stop = () => void sim.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
