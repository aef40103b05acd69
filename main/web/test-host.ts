/**
 * A web-mode console for integration tests (runtime: Node): the built renderer, the demo catalog
 * without its camera farm, no alert backend, a fresh data folder and no log, unless `o` says otherwise.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcesDir } from '../paths.js';
import { startWebHost, type WebHost, type WebHostOptions } from './host.js';

export function startTestHost(o: Partial<WebHostOptions> = {}): Promise<WebHost> {
  return startWebHost({
    resources: resourcesDir(process.cwd()),
    rendererDir: 'dist/renderer',
    demo: false,
    simRate: null,
    dataDir: mkdtempSync(join(tmpdir(), 'pantau-test-')),
    log: () => undefined,
    ...o,
  });
}
