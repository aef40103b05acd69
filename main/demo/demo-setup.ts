/**
 * Start-up shared by both shells (runtime: Node): the demo camera farm when wanted, then the catalog.
 */
import { loadCatalog, type LoadedCatalog } from '../catalog/load.js';
import { findFfmpeg } from '../streams/ffmpeg.js';
import { alertSourceFrom, type AlertBackendOptions } from '../alerts/configure.js';
import { AlertSimulator, type SimCamera } from '../alerts/simulator.js';
import type { AlertSource } from '../alerts/source.js';
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
  /** Keep the demo's main streams flowing while nobody watches them (default true; CameraFarm.keepMainStreams). */
  keepMainStreams?: boolean;
  catalogFile?: string;
  log: (scope: string, message: string) => void;
}): Promise<CatalogSetup> {
  let farm: CameraFarm | null = null;
  if (o.demo) {
    // Main streams kept flowing, as cameras' are: a long-idle main mount stalled its first client
    // (CameraFarm.keepMainStreams).
    farm = new CameraFarm({
      ffmpegPath: findFfmpeg(),
      resources: o.resources,
      cacheDir: o.cacheDir,
      cameras: o.demoCameras ?? 16,
      keepMainStreams: o.keepMainStreams ?? true,
      log: (m) => o.log('demo', m),
    });
    await farm.start();
  }
  const loaded = loadCatalog(o.resources, {
    file: o.catalogFile,
    rtspBase: farm?.rtspBase ?? 'rtsp://127.0.0.1:8554',
    demoStreams: farm?.cameraCount ?? 16,
    hls: farm?.hlsCameras ?? undefined,
    hevc: farm?.hevcCameras ?? undefined,
  });
  for (const e of loaded.errors.slice(0, 50)) o.log('catalog', `${loaded.source} line ${e.line}, ${e.field}: ${e.message}`);
  if (loaded.errors.length) o.log('catalog', `${loaded.errors.length} bad row(s) skipped; ${loaded.catalog.size} cameras loaded`);
  return { farm, loaded };
}

/**
 * The cameras the demo's history covers, spread over the city: the first RT camera of every
 * kelurahan, and every 4th ATCS traffic camera (illegal parking, accidents).
 */
export function cityCameras(cameras: readonly { id: string; type: 'rt' | 'atcs' | 'private'; kelurahanCode?: string }[]): SimCamera[] {
  const seen = new Set<string>();
  const rt = cameras.filter((c) => c.type === 'rt' && c.kelurahanCode !== undefined && !seen.has(c.kelurahanCode) && seen.add(c.kelurahanCode));
  const atcs = cameras.filter((c) => c.type === 'atcs').filter((_, i) => i % 4 === 0);
  return [...rt, ...atcs].map((c) => ({ id: c.id, type: c.type }));
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

/**
 * Where alerts come from, shared by both shells: the backend the options name, else (in the demo,
 * unless simRate is null) the simulator on loopback for the demo cameras, else none.
 */
export async function setUpAlerts(o: {
  demo: boolean;
  backend: AlertBackendOptions;
  /** The demo simulator's alerts per second; null: no simulator. */
  simRate: number | null;
  /** Days of past alerts the demo simulator serves for statistics (default 30), and at what rate. */
  backfillDays?: number;
  backfillRate?: number;
  cameras: readonly { id: string; type: 'rt' | 'atcs' | 'private' }[];
  log: (scope: string, message: string) => void;
}): Promise<{ simulator: AlertSimulator | null; source: AlertSource | null }> {
  if (o.backend.url || o.backend.frigate || !o.demo || o.simRate === null) return { simulator: null, source: alertSourceFrom(o.backend) };
  const backfillDays = o.backfillDays ?? 30;
  const simulator = new AlertSimulator({ cameras: simulatedCameras(o.cameras), rate: o.simRate, backfillDays, backfillRate: o.backfillRate, historyCameras: cityCameras(o.cameras) });
  await simulator.start();
  o.log('alerts', `simulated analytics backend on ${simulator.url} (${o.simRate} alerts/s${backfillDays ? `, ${backfillDays} days of history` : ''})`);
  return { simulator, source: alertSourceFrom({ url: simulator.url }) };
}
