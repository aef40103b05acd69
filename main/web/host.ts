/**
 * Starts a whole web-mode console (runtime: Node): demo camera farm, catalog, Console, HTTP server.
 * Used by the CLI, the e2e tests and the benchmarks, so all three run the same composition.
 */
import { Console } from '../console.js';
import type { CameraFarm } from '../demo/camera-farm.js';
import { setUpCatalog } from '../demo/demo-setup.js';
import { cacheDir, dataDir } from '../paths.js';
import { WebServer } from './server.js';

export interface WebHostOptions {
  resources: string;
  rendererDir: string;
  port?: number;
  /** Start the demo camera farm (and use the demo catalog unless catalogFile is set). */
  demo?: boolean;
  demoCameras?: number;
  catalogFile?: string;
  dataDir?: string;
  cacheDir?: string;
  idleGraceMs?: number;
  /** Monitors the wall has at least (web mode: each is a /wall/N window). */
  monitors?: number;
  log?: (scope: string, message: string) => void;
}

export interface WebHost {
  url: string;
  console: Console;
  server: WebServer;
  farm: CameraFarm | null;
  close(): Promise<void>;
}

export async function startWebHost(o: WebHostOptions): Promise<WebHost> {
  const log = o.log ?? ((scope, m) => process.stderr.write(`[${scope}] ${m}\n`));
  const { farm, loaded } = await setUpCatalog({
    resources: o.resources,
    cacheDir: o.cacheDir ?? cacheDir(),
    demo: !!o.demo,
    demoCameras: o.demoCameras,
    catalogFile: o.catalogFile,
    log,
  });
  let server: WebServer | null = null;
  const consoleApp = new Console({
    shell: 'web',
    catalog: loaded.catalog,
    dataDir: o.dataDir ?? dataDir(),
    streamOrigin: () => server!.origin,
    initialCameras: loaded.catalog.cameras.slice(0, 4).map((c) => c.id),
    idleGraceMs: o.idleGraceMs,
    log,
  });
  consoleApp.wall.ensureMonitors(o.monitors ?? 2);
  server = new WebServer({ console: consoleApp, rendererDir: o.rendererDir, port: o.port ?? 0 });
  const url = await server.listen();
  return {
    url,
    console: consoleApp,
    server,
    farm,
    async close() {
      await server!.close();
      await consoleApp.dispose();
      await farm?.stop();
    },
  };
}
