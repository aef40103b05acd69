/**
 * The web-mode console a benchmark measures (runtime: Node): the built renderer, the demo catalog and
 * cameras, a fresh data directory and no log, unless the benchmark says otherwise.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcesDir } from '../../main/paths';
import { startWebHost, type WebHost, type WebHostOptions } from '../../main/web/host';
import { chromiumPids, comm, descendants } from './cpu';

export function startBenchHost(options: Partial<WebHostOptions> = {}): Promise<WebHost> {
  return startWebHost({
    resources: resourcesDir(process.cwd()),
    rendererDir: 'dist/renderer',
    demo: true,
    dataDir: mkdtempSync(join(tmpdir(), 'pantau-bench-')),
    log: () => undefined,
    ...options,
  });
}

/**
 * No alarm pops: by default a critical crime or incident alert (the demo's simulator sends some,
 * about one a minute) takes tile 1 of monitor 1 for a minute. That tile then shows another camera,
 * cold: a camera of no district in a district switch (two district-switch runs failed on it in
 * session 7), a window counted 0 in a wall's capacity (session 25). The alerts and their overlays
 * still come.
 */
export async function withoutAlarmPops(host: WebHost): Promise<void> {
  await host.console.dispatch('alerts.setConfig', { rules: [] }, { session: host.console.openSession().id });
}

/**
 * The processes of a demo console's machine, by part, for cpuByGroup: Chromium (all of it), the
 * console (this process: HTTP, gateway, WebSocket relay), its ingests (every ffmpeg under this
 * process that is not the farm's, the prestarted ones too) and the demo cameras (the farm's RTSP
 * server, publishers and HLS cameras, standing in for real cameras).
 */
export function machineParts(host: WebHost): Record<'chromium' | 'console' | 'ingests' | 'demoCameras', () => number[]> {
  const farm = () => host.farm?.pids ?? [];
  return {
    chromium: chromiumPids,
    console: () => [process.pid],
    ingests: () => descendants(process.pid).filter((p) => comm(p) === 'ffmpeg' && !farm().includes(p)),
    demoCameras: farm,
  };
}
