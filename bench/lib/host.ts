/**
 * The web-mode console a benchmark measures (runtime: Node): the built renderer, the demo catalog and
 * cameras, a fresh data directory and no log, unless the benchmark says otherwise.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcesDir } from '../../main/paths';
import { startWebHost, type WebHost, type WebHostOptions } from '../../main/web/host';

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
