/**
 * Where Pantau's files are (runtime: Node). Resources ship beside the app; data and caches go to the
 * user's directories unless overridden (PANTAU_RESOURCES, PANTAU_DATA_DIR, PANTAU_CACHE_DIR).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Walks up from each start directory to the first one holding resources/data. */
export function resourcesDir(...starts: string[]): string {
  if (process.env.PANTAU_RESOURCES) return resolve(process.env.PANTAU_RESOURCES);
  for (const start of [...starts, process.cwd()]) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'resources', 'data', 'semarang-wilayah.json'))) return join(dir, 'resources');
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error('Pantau resources not found (resources/data/semarang-wilayah.json); set PANTAU_RESOURCES');
}

export function dataDir(): string {
  return resolve(process.env.PANTAU_DATA_DIR ?? join(homedir(), '.config', 'pantau'));
}

export function cacheDir(): string {
  return resolve(process.env.PANTAU_CACHE_DIR ?? join(homedir(), '.cache', 'pantau'));
}
