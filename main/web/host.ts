/**
 * Starts a whole web-mode console (runtime: Node): demo camera farm, catalog, Console, HTTP server.
 * Used by the CLI, the e2e tests and the benchmarks, so all three run the same composition.
 */
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { RateLimit } from '../access/rate-limit.js';
import { newApiToken } from '../access/request-guard.js';
import type { AlertBackendOptions } from '../alerts/configure.js';
import type { AlertSimulator } from '../alerts/simulator.js';
import { Console } from '../console.js';
import type { CameraFarm } from '../demo/camera-farm.js';
import { setUpAlerts, setUpCatalog } from '../demo/demo-setup.js';
import { cacheDir, dataDir } from '../paths.js';
import { WebServer, type RemoteListen } from './server.js';
import { readKioskProfile } from '../kiosk/profile.js';

export interface WebHostOptions {
  resources: string;
  rendererDir: string;
  port?: number;
  /** Start the demo camera farm (and use the demo catalog unless catalogFile is set). */
  demo?: boolean;
  demoCameras?: number;
  /**
   * Keep the demo's main streams flowing while nobody watches them, as a camera's encoder runs
   * (default true). The wall benchmarks, which watch only sub streams, turn it off: on this machine
   * it costs about 12 % of a core that a control room's cameras spend on their own hardware.
   */
  demoKeepMainStreams?: boolean;
  catalogFile?: string;
  dataDir?: string;
  cacheDir?: string;
  idleGraceMs?: number;
  /** How many MPEG-1 fallback transcodes may run at once (default: the setting, 4). */
  transcodeBudget?: number;
  /** Monitors the wall has at least (web mode: each is a /wall/N window). */
  monitors?: number;
  /** An alert backend to use; without one, the demo starts its simulator (at simRate alerts/s). */
  alerts?: AlertBackendOptions;
  /** The demo simulator's alerts per second (0: only what tests inject); null: no simulator. */
  simRate?: number | null;
  /** Days of past alerts the demo simulator serves (default 30; 0: none), and how many per second of the past. */
  simBackfillDays?: number;
  simBackfillRate?: number;
  log?: (scope: string, message: string) => void;
  /** The supervisor PIN to set when none is stored (default: PANTAU_SUPERVISOR_PIN). */
  supervisorPin?: string;
  /** The API token for clients that are not browsers (default: PANTAU_API_TOKEN, else a new one). */
  apiToken?: string;
  /**
   * Kiosk mode: the whole server is a kiosk for this profile file (every session a kiosk session
   * scoped to its cameras); `onExit` runs when maintenance closes the kiosk.
   */
  kiosk?: { file: string; onExit: () => void };
  /** Commands one session may send (default access/rate-limit.ts); a benchmark that hammers one command lifts it. */
  rateLimit?: RateLimit;
  /** Serve remote operator desks too: HTTPS and WSS on this address (listen.ts checks the flags). */
  remote?: RemoteListen;
}

export interface WebHost {
  url: string;
  /** The remote desk listener (https://addr:port), when there is one. */
  remoteUrl: string | null;
  console: Console;
  server: WebServer;
  farm: CameraFarm | null;
  /** What clients that are not browsers present (`Authorization: Bearer …`), and the file holding it. */
  apiToken: string;
  apiTokenFile: string;
  /** The demo's simulated analytics backend, when it runs. */
  simulator: AlertSimulator | null;
  /** Stops everything, in order; `onStep` hears each step as it starts (a stuck shutdown names its step). */
  close(onStep?: (step: string) => void): Promise<void>;
}

export async function startWebHost(o: WebHostOptions): Promise<WebHost> {
  const log = o.log ?? ((scope, m) => process.stderr.write(`[${scope}] ${m}\n`));
  const { farm, loaded } = await setUpCatalog({
    resources: o.resources,
    cacheDir: o.cacheDir ?? cacheDir(),
    demo: !!o.demo,
    demoCameras: o.demoCameras,
    keepMainStreams: o.demoKeepMainStreams,
    catalogFile: o.catalogFile,
    log,
  });
  // A bad profile stops the start here, with every problem named, before anything is served.
  const kioskProfile = o.kiosk ? readKioskProfile(o.kiosk.file) : null;
  // The demo's simulated analytics watch a kiosk's own catalog cameras first, so its alerts show.
  const own = new Set(kioskProfile?.cameras.flatMap((c) => ('catalogId' in c ? [c.catalogId] : [])) ?? []);
  const watched = own.size ? [...loaded.catalog.cameras.filter((c) => own.has(c.id)), ...loaded.catalog.cameras.filter((c) => !own.has(c.id))] : loaded.catalog.cameras;
  const { simulator, source: alertSource } = await setUpAlerts({
    demo: !!o.demo,
    backend: o.alerts ?? {},
    simRate: o.simRate === undefined ? 1 : o.simRate,
    backfillDays: o.simBackfillDays,
    backfillRate: o.simBackfillRate,
    cameras: watched,
    log,
  });
  const dir = o.dataDir ?? dataDir();
  const apiToken = o.apiToken ?? process.env.PANTAU_API_TOKEN ?? newApiToken();
  const apiTokenFile = writeApiToken(dir, apiToken);
  let server: WebServer | null = null;
  const consoleApp = new Console({
    alertSource,
    shell: 'web',
    catalog: loaded.catalog,
    dataDir: dir,
    streamOrigin: () => server!.origin,
    initialCameras: loaded.catalog.cameras.slice(0, 4).map((c) => c.id),
    idleGraceMs: o.idleGraceMs,
    transcodeBudget: o.transcodeBudget,
    rateLimit: o.rateLimit,
    checkResults: process.env.PANTAU_CHECK_RESULTS === '1',
    // A fleet or a test provisions the supervisor PIN on a first start; otherwise the UI asks for one.
    supervisorPin: o.supervisorPin ?? process.env.PANTAU_SUPERVISOR_PIN,
    kiosk: kioskProfile && o.kiosk ? { profile: kioskProfile, file: o.kiosk.file, onExit: o.kiosk.onExit } : undefined,
    log,
  });
  consoleApp.wall.ensureMonitors(o.monitors ?? 2);
  server = new WebServer({ console: consoleApp, rendererDir: o.rendererDir, port: o.port ?? 0, apiToken, remote: o.remote });
  const url = await server.listen();
  return {
    url,
    remoteUrl: server.remoteUrl,
    console: consoleApp,
    server,
    farm,
    apiToken,
    apiTokenFile,
    simulator,
    async close(onStep = () => undefined) {
      onStep('web server');
      await server.close();
      onStep('console (alerts, streams)');
      await consoleApp.dispose();
      onStep('alert simulator');
      await simulator?.stop();
      onStep('demo camera farm');
      await farm?.stop();
    },
  };
}

/** Writes the API token where only this user can read it (mode 0600, replaced on every start). */
function writeApiToken(dir: string, token: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'api-token');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
