/**
 * Chooses the catalog at start-up (runtime: Node): an imported file when one is given, else the demo.
 * A catalog file with bad rows still loads its good rows; the bad ones are reported with line and field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from './catalog.js';
import { DistrictShapes } from '../geo/districts.js';
import { buildDemoCatalog } from './demo-catalog.js';
import { placeCameras } from './placement.js';
import { importCatalogCsv, importCatalogJson, type RowError } from './import.js';
import { loadWilayah } from './wilayah.js';

export interface LoadedCatalog {
  catalog: Catalog;
  errors: RowError[];
  source: string;
}

export function loadCatalog(
  resources: string,
  opts: { file?: string; rtspBase: string; demoStreams: number; hls?: { base: string; count: number }; hevc?: { base: string; count: number } },
): LoadedCatalog {
  const wilayah = loadWilayah(join(resources, 'data', 'semarang-wilayah.json'));
  const shapes = DistrictShapes.load(join(resources, 'data', 'semarang-kecamatan.geojson'));
  if (!opts.file) return { catalog: new Catalog(placeCameras(buildDemoCatalog(wilayah, opts), shapes), wilayah, shapes), errors: [], source: 'demo' };
  const text = readFileSync(opts.file, 'utf8');
  const result = /\.csv$/i.test(opts.file) ? importCatalogCsv(text, wilayah) : importCatalogJson(text, wilayah);
  return { catalog: new Catalog(result.cameras, wilayah, shapes), errors: result.errors, source: opts.file };
}
