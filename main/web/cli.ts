/**
 * `npm run start:web`: Pantau in web mode (runtime: Node). Serves the console on 127.0.0.1 and prints
 * its URL. Flags: --demo (demo camera farm + Semarang catalog; --demo-cameras N distinct demo streams,
 * default 16, shared round the catalog's cameras), --port N, --catalog FILE (.json/.csv),
 * --monitors N (how many wall monitors, each a /wall/N window; default 2), --transcode-budget N (how
 * many MPEG-1 fallback transcodes may run at once; default the setting, 4).
 * Alerts: the demo starts the simulated analytics backend (--sim-rate N alerts/s, default 1; 0 makes
 * it publish only what is posted to /sim/alerts; --sim-backfill DAYS of past alerts for the
 * statistics, default 30, at --sim-backfill-rate N alerts per second of the past, default 0.05). --alerts URL uses a backend speaking Pantau's alert
 * protocol instead, --frigate URL a Frigate server (--frigate-cameras name=id,…); the bearer token,
 * if any, comes from PANTAU_ALERTS_TOKEN. --no-alerts runs without a backend.
 * Remote desks: --listen ADDR[:PORT] --tls-cert FILE --tls-key FILE also serves the room's network,
 * HTTPS and WSS only, to desks a supervisor made (desks.add); see listen.ts and access/desks.ts.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resourcesDir } from '../paths.js';
import { startWebHost } from './host.js';
import { ListenError, remoteListen } from './listen.js';
import type { RemoteListen } from './server.js';

const SHUTDOWN_MS = 15_000;
const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    'demo-cameras': { type: 'string', default: '16' },
    port: { type: 'string', default: process.env.PANTAU_PORT ?? '4173' },
    catalog: { type: 'string' },
    monitors: { type: 'string', default: '2' },
    alerts: { type: 'string' },
    frigate: { type: 'string' },
    'frigate-cameras': { type: 'string' },
    'sim-rate': { type: 'string', default: '1' },
    'sim-backfill': { type: 'string', default: '30' },
    'sim-backfill-rate': { type: 'string', default: '0.05' },
    'no-alerts': { type: 'boolean', default: false },
    'transcode-budget': { type: 'string' },
    kiosk: { type: 'string' },
    listen: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});

let remote: RemoteListen | null;
try {
  remote = remoteListen({ listen: values.listen, tlsCert: values['tls-cert'], tlsKey: values['tls-key'] });
} catch (e) {
  if (!(e instanceof ListenError)) throw e;
  process.stderr.write(`Pantau could not start: ${e.message}\n`);
  process.exit(2);
}
if (remote && values.kiosk) {
  process.stderr.write('Pantau could not start: a kiosk serves its own screen only; --listen and --kiosk do not go together\n');
  process.exit(2);
}

const simRate = Number(values['sim-rate']);
if (!Number.isFinite(simRate) || simRate < 0 || simRate > 5000) {
  process.stderr.write(`--sim-rate must be a number from 0 to 5000, not "${values['sim-rate']}"\n`);
  process.exit(2);
}

const simBackfillDays = Number(values['sim-backfill']);
if (!Number.isInteger(simBackfillDays) || simBackfillDays < 0 || simBackfillDays > 400) {
  process.stderr.write(`--sim-backfill must be a whole number of days from 0 to 400, not "${values['sim-backfill']}"\n`);
  process.exit(2);
}
const simBackfillRate = Number(values['sim-backfill-rate']);
if (!Number.isFinite(simBackfillRate) || simBackfillRate <= 0 || simBackfillRate > 50) {
  process.stderr.write(`--sim-backfill-rate must be a number of alerts per second above 0, at most 50, not "${values['sim-backfill-rate']}"\n`);
  process.exit(2);
}

const demoCameras = Number(values['demo-cameras']);
if (!Number.isInteger(demoCameras) || demoCameras < 1 || demoCameras > 64) {
  process.stderr.write(`--demo-cameras must be a whole number from 1 to 64, not "${values['demo-cameras']}"\n`);
  process.exit(2);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a number from 0 to 65535, not "${values.port}"\n`);
  process.exit(2);
}

const monitors = Number(values.monitors);
if (!Number.isInteger(monitors) || monitors < 1 || monitors > 16) {
  process.stderr.write(`--monitors must be a number from 1 to 16, not "${values.monitors}"\n`);
  process.exit(2);
}

const transcodeBudget = values['transcode-budget'] === undefined ? undefined : Number(values['transcode-budget']);
if (transcodeBudget !== undefined && (!Number.isInteger(transcodeBudget) || transcodeBudget < 0 || transcodeBudget > 64)) {
  process.stderr.write(`--transcode-budget must be a number from 0 to 64, not "${values['transcode-budget']}"\n`);
  process.exit(2);
}

let exitKiosk = () => undefined as void;
try {
  const host = await startWebHost({
    kiosk: values.kiosk ? { file: values.kiosk, onExit: () => exitKiosk() } : undefined,
    resources: resourcesDir(here),
    rendererDir: join(here, '..', '..', 'renderer'),
    port,
    demo: values.demo || !values.catalog,
    demoCameras,
    catalogFile: values.catalog,
    monitors,
    transcodeBudget,
    remote: remote ?? undefined,
    simRate: values['no-alerts'] ? null : simRate,
    simBackfillDays,
    simBackfillRate,
    alerts: { url: values.alerts, frigate: values.frigate, frigateCameras: values['frigate-cameras'], token: process.env.PANTAU_ALERTS_TOKEN ?? null },
  });
  const walls = host.console.wall
    .get()
    .monitors.map((m) => `  monitor ${m.monitor}: ${host.url}/wall/${m.monitor}\n`)
    .join('');
  const alerts = host.console.alerts.state;
  if (host.console.kiosk) {
    const view = host.console.kiosk.view('');
    process.stdout.write(
      `\nPantau kiosk: ${host.url}/\n  profile:   ${values.kiosk} (${view.name}; ${view.cameras.length} camera${view.cameras.length === 1 ? '' : 's'})\n  health:    ${host.url}/api/health\n  API token: ${host.apiToken} (also in ${host.apiTokenFile})\n  alerts:    ${alerts.kind === 'none' ? 'no backend' : alerts.source}\n\n`,
    );
    const probe = host.console.openSession();
    const pinSet = host.console.sessions.info(probe.id).pinSet;
    host.console.closeSession(probe.id);
    if (!pinSet) process.stderr.write('Pantau kiosk: no supervisor PIN is set, so maintenance cannot be unlocked; start once with PANTAU_SUPERVISOR_PIN to set one\n');
  } else
    process.stdout.write(
      `\nPantau web console: ${host.url}/\n${walls}  health:    ${host.url}/api/health\n  API token: ${host.apiToken} (also in ${host.apiTokenFile}; scripts send it as Authorization: Bearer <token>)\n${host.remoteUrl ? `  desks:     ${host.remoteUrl}/desk (HTTPS only; a supervisor makes each desk's token: Meja / Desks)\n` : ''}  alerts:    ${alerts.kind === 'none' ? 'no backend' : `${alerts.source} (${alerts.kind}${host.simulator ? ', simulated' : ''})`}\n\n`,
    );
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    // A shutdown never hangs: past the deadline it says which step it was stuck in and exits anyway
    // (child processes of the demo farm are killed with SIGKILL by then).
    let step = 'starting';
    const deadline = setTimeout(() => {
      process.stderr.write(`Pantau: shutdown stuck in "${step}" for ${SHUTDOWN_MS / 1000} s; exiting anyway\n`);
      process.exit(1);
    }, SHUTDOWN_MS);
    await host.close((s) => (step = s));
    clearTimeout(deadline);
    process.exit(0);
  };
  exitKiosk = () => void stop();
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (err) {
  process.stderr.write(`Pantau could not start: ${(err as Error).message}\n`);
  process.exit(1);
}
