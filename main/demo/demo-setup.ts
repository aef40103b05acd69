/**
 * Start-up shared by both shells (runtime: Node): the demo camera farm when wanted, then the catalog.
 */
import { loadCatalog, type LoadedCatalog } from '../catalog/load.js';
import { findFfmpeg } from '../streams/ffmpeg.js';
import { AlertSimulator, type SimCamera } from '../alerts/simulator.js';
import { CameraFarm } from './camera-farm.js';

export interface CatalogSetup {
  farm: CameraFarm | null;
  loaded: LoadedCatalog;
}

export async function setUpCatalog(o: {
  resources: string;
  cacheDir: string;
  demo: boolean;
  demoCameras?: number;
  catalogFile?: string;
  log: (scope: string, message: string) => void;
}): Promise<CatalogSetup> {
  let farm: CameraFarm | null = null;
  if (o.demo) {
    farm = new CameraFarm({ ffmpegPath: findFfmpeg(), resources: o.resources, cacheDir: o.cacheDir, cameras: o.demoCameras ?? 16, log: (m) => o.log('demo', m) });
    await farm.start();
  }
  const loaded = loadCatalog(o.resources, {
    file: o.catalogFile,
    rtspBase: farm?.rtspBase ?? 'rtsp://127.0.0.1:8554',
    demoStreams: farm?.cameraCount ?? 16,
  });
  for (const e of loaded.errors.slice(0, 50)) o.log('catalog', `${loaded.source} line ${e.line}, ${e.field}: ${e.message}`);
  if (loaded.errors.length) o.log('catalog', `${loaded.errors.length} bad row(s) skipped; ${loaded.catalog.size} cameras loaded`);
  return { farm, loaded };
}

/**
 * The cameras the simulated analytics watch: the catalog's first cameras (the demo wall starts on
 * them), plus ATCS traffic cameras for illegal parking and accidents.
 */
export function simulatedCameras(cameras: readonly { id: string; type: 'rt' | 'atcs' | 'private' }[], count = 50): SimCamera[] {
  const atcs = cameras.filter((c) => c.type === 'atcs').slice(0, Math.min(10, Math.floor(count / 5)));
  const rest = cameras.filter((c) => c.type !== 'atcs').slice(0, count - atcs.length);
  return [...rest, ...atcs].map((c) => ({ id: c.id, type: c.type }));
}

/** The demo's analytics backend: the simulator on loopback, for the demo cameras. */
export async function startDemoBackend(o: { cameras: readonly { id: string; type: 'rt' | 'atcs' | 'private' }[]; rate: number; port?: number; count?: number; log: (scope: string, message: string) => void }): Promise<AlertSimulator> {
  const sim = new AlertSimulator({ cameras: simulatedCameras(o.cameras, o.count), rate: o.rate, port: o.port });
  await sim.start();
  o.log('alerts', `simulated analytics backend on ${sim.url} (${o.rate} alerts/s)`);
  return sim;
}
