import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog, parseCoordinates } from '../catalog/catalog.js';
import { buildDemoCatalog } from '../catalog/demo-catalog.js';
import { importCatalogCsv } from '../catalog/import.js';
import { placeCameras } from '../catalog/placement.js';
import { loadWilayah } from '../catalog/wilayah.js';
import { DistrictShapes } from './districts.js';
import { metresBetween, NearestIndex } from './nearest.js';

const data = join(__dirname, '..', '..', 'resources', 'data');
const wilayah = loadWilayah(join(data, 'semarang-wilayah.json'));
const shapes = DistrictShapes.load(join(data, 'semarang-kecamatan.geojson'));

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('kecamatan boundaries', () => {
  it('has the 16 kecamatan of the district data, and each holds its official centroid', () => {
    expect(shapes.codes.sort()).toEqual(wilayah.kecamatan.map((k) => k.code).sort());
    for (const k of wilayah.kecamatan) expect(shapes.kecamatanAt(k.centroid[1], k.centroid[0]), k.name).toBe(k.code);
  });

  it('puts a point at sea, or across the world, in no kecamatan', () => {
    expect(shapes.kecamatanAt(110.42, -6.9)).toBeNull(); // the Java Sea north of the port
    expect(shapes.kecamatanAt(-110.42, 6.98)).toBeNull();
  });

  it('refuses a boundary file that is not kecamatan polygons, naming what is wrong', () => {
    expect(() => DistrictShapes.load(join(data, 'semarang-wilayah.json'))).toThrow(/semarang-wilayah\.json: type/);
    expect(() => DistrictShapes.load(join(data, 'no-such.geojson'))).toThrow(/no-such\.geojson: not readable JSON/);
  });
});

describe('nearest-camera index', () => {
  it('answers like brute force on 5,000 random points, nearest first, with the same distances', () => {
    const next = random(19);
    const points = Array.from({ length: 5000 }, (_, i) => ({ id: `p${i}`, lat: -7.15 + 0.25 * next(), lon: 110.25 + 0.3 * next() }));
    const index = new NearestIndex(points);
    for (let q = 0; q < 200; q++) {
      const lat = -7.15 + 0.25 * next();
      const lon = 110.25 + 0.3 * next();
      const radius = q % 2 ? 1500 : undefined;
      const brute = points
        .map((p) => ({ id: p.id, d: metresBetween(lat, lon, p.lat, p.lon) }))
        .filter((p) => radius === undefined || p.d <= radius)
        .sort((a, b) => a.d - b.d)
        .slice(0, 25);
      const got = index.nearest(lat, lon, 25, radius);
      expect(got.length).toBe(brute.length);
      got.forEach((g, i) => expect(Math.abs(g.distanceM - brute[i]!.d)).toBeLessThan(1)); // same ranks (ties aside), same metres
      expect(new Set(got.map((g) => g.id))).toEqual(new Set(brute.map((b) => b.id)));
    }
  });

  it('skips cameras without a position and answers nothing for an empty catalog', () => {
    const index = new NearestIndex([{ id: 'a', lat: null, lon: null }, { id: 'b', lat: -7, lon: 110.4 }, { id: 'c' }]);
    expect(index.size).toBe(1);
    expect(index.nearest(-7, 110.4, 5).map((n) => n.id)).toEqual(['b']);
    expect(new NearestIndex([]).nearest(-7, 110.4, 5)).toEqual([]);
  });
});

describe('demo camera positions', () => {
  const cameras = placeCameras(buildDemoCatalog(wilayah, { rtspBase: 'rtsp://127.0.0.1:8554', demoStreams: 4 }), shapes);
  const catalog = new Catalog(cameras, wilayah, shapes);

  it('places every camera inside its own kecamatan, the same way every time', () => {
    const outside = cameras.filter((c) => typeof c.lat !== 'number' || !shapes.contains(c.kecamatanCode, c.lon!, c.lat));
    expect(outside.map((c) => c.id)).toEqual([]);
    const again = placeCameras(buildDemoCatalog(wilayah, { rtspBase: 'rtsp://127.0.0.1:8554', demoStreams: 4 }), shapes);
    expect(again.map((c) => [c.lat, c.lon])).toEqual(cameras.map((c) => [c.lat, c.lon]));
  });

  it('groups RT cameras by kelurahan: an RT camera stands nearer its own kelurahan than the kecamatan spreads', () => {
    const byKel = new Map<string, { lat: number; lon: number }[]>();
    for (const c of cameras) if (c.type === 'rt') (byKel.get(c.kelurahanCode) ?? byKel.set(c.kelurahanCode, []).get(c.kelurahanCode)!).push({ lat: c.lat!, lon: c.lon! });
    for (const [kel, list] of byKel) {
      const lat = list.reduce((s, p) => s + p.lat, 0) / list.length;
      const lon = list.reduce((s, p) => s + p.lon, 0) / list.length;
      const far = Math.max(...list.map((p) => metresBetween(lat, lon, p.lat, p.lon)));
      expect(far, kel).toBeLessThan(600);
    }
  });

  it("shows a kecamatan's own cameras first at its centroid", () => {
    for (const k of wilayah.kecamatan) {
      const near = catalog.nearest(k.centroid[0], k.centroid[1], 4);
      expect(near.length).toBe(4);
      expect(
        near.map((n) => catalog.get(n.id)!.kecamatanCode),
        k.name,
      ).toEqual(new Array(4).fill(k.code));
      expect(near.map((n) => n.distanceM)).toEqual([...near.map((n) => n.distanceM)].sort((a, b) => a - b));
    }
  });

  it('finds places for a 112 call: kelurahan, RW, RT, kecamatan and typed coordinates', () => {
    const kel = catalog.places('Pekunden', 5)[0]!;
    expect(kel).toMatchObject({ kind: 'kelurahan', label: 'Pekunden', detail: 'Semarang Tengah', node: expect.stringMatching(/^kel:/) });
    expect(shapes.contains('33.74.01', kel.lon, kel.lat)).toBe(true);
    expect(catalog.places('RW 02 Pekunden', 5)[0]).toMatchObject({ kind: 'rw', label: 'RW 02 Pekunden' });
    expect(catalog.places('RT 01 RW 02 Pekunden', 5)[0]).toMatchObject({ kind: 'rt', label: 'RT 01/RW 02 Pekunden', cameraId: expect.stringMatching(/^rt-\d{10}-02-01$/) });
    expect(catalog.places('Tembalang', 5).map((p) => p.kind)).toContain('kecamatan');
    expect(catalog.places('-6.98029, 110.42078', 5)).toEqual([{ kind: 'coordinates', label: '-6.98029, 110.42078', detail: '', lat: -6.98029, lon: 110.42078 }]);
    expect(catalog.places('   ', 5)).toEqual([]);
  });

  it('reads coordinates as lat, lon and refuses what is not on Earth', () => {
    expect(parseCoordinates('-6.98 110.42')).toEqual([-6.98, 110.42]);
    expect(parseCoordinates('-6.98;110.42')).toEqual([-6.98, 110.42]);
    expect(parseCoordinates('95, 110')).toBeNull();
    expect(parseCoordinates('Jalan Pemuda 12')).toBeNull();
  });
});

describe('imported positions and streets', () => {
  const header = 'id,number,name,type,kecamatanCode,kelurahanCode,rw,rt,mainUrl,lat,lon,street';
  it('keeps lat, lon and street, finds the street for a 112 call, and names a half position as an error', () => {
    const csv = [
      header,
      'a-1,1,Simpang Lima 1,atcs,33.74.01,33.74.01.1001,,,rtsp://10.0.0.5/a,-6.99040,110.42290,Jalan Pahlawan',
      'a-2,2,Simpang Lima 2,atcs,33.74.01,33.74.01.1001,,,rtsp://10.0.0.5/b,-6.99050,,Jalan Pahlawan',
      'a-3,3,Tugu Muda,atcs,33.74.01,33.74.01.1001,,,rtsp://10.0.0.5/c,north,110.4,',
      'a-4,4,Pemuda,atcs,33.74.01,33.74.01.1001,,,rtsp://10.0.0.5/d,,,',
    ].join('\n');
    const r = importCatalogCsv(csv, wilayah);
    expect(r.cameras.map((c) => [c.id, c.lat ?? null, c.lon ?? null, c.street ?? null])).toEqual([
      ['a-1', -6.9904, 110.4229, 'Jalan Pahlawan'],
      ['a-4', null, null, null],
    ]);
    expect(r.errors).toEqual([
      { line: 3, field: 'lon', message: 'a position needs both lat and lon' },
      { line: 4, field: 'lat', message: expect.stringMatching(/number/) },
    ]);
    const catalog = new Catalog(r.cameras, wilayah, shapes);
    expect(catalog.places('jalan pahlawan', 5)[0]).toMatchObject({ kind: 'street', label: 'Jalan Pahlawan', lat: -6.9904, lon: 110.4229 });
    expect(catalog.nearest(-6.99, 110.42, 5).map((n) => n.id)).toEqual(['a-1']);
  });
});
