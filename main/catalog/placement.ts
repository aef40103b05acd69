/**
 * Where the demo catalog's cameras stand (runtime: anywhere). Deterministic: every machine places
 * every camera at the same spot. Each kelurahan gets an anchor inside its kecamatan's boundary, and
 * its cameras gather around the anchor (RT cameras close, ATCS and private cameras a little wider),
 * always inside the kecamatan. The data has no kelurahan boundaries, so anchors are the best honest
 * guess; an imported catalog brings real positions in its lat/lon columns.
 */
import type { DistrictShapes } from '../geo/districts.js';
import type { Camera } from './camera.js';
import { unit } from './demo-catalog.js';

const M_PER_DEG = 111_320;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** A point inside the kecamatan, drawn from the key; null when 400 draws all fell outside. */
function pointIn(shapes: DistrictShapes, kecamatan: string, key: string): [number, number] | null {
  const b = shapes.bounds(kecamatan);
  if (!b) return null;
  for (let k = 0; k < 400; k++) {
    const lon = b[0] + (b[2] - b[0]) * unit(`${key}/x/${k}`);
    const lat = b[1] + (b[3] - b[1]) * unit(`${key}/y/${k}`);
    if (shapes.contains(kecamatan, round6(lon), round6(lat))) return [lon, lat];
  }
  return null;
}

/** A point within radiusM of the anchor and inside the kecamatan; the anchor itself if none is found. */
function near(shapes: DistrictShapes, kecamatan: string, anchor: [number, number], radiusM: number, key: string): [number, number] {
  for (let k = 0; k < 12; k++) {
    const r = radiusM * Math.sqrt(unit(`${key}/r/${k}`));
    const a = 2 * Math.PI * unit(`${key}/a/${k}`);
    const lat = anchor[1] + (r * Math.sin(a)) / M_PER_DEG;
    const lon = anchor[0] + (r * Math.cos(a)) / (M_PER_DEG * Math.cos((anchor[1] * Math.PI) / 180));
    // Checked as stored (rounded to 6 decimals, about 0.1 m), so a point on the line stays inside.
    if (shapes.contains(kecamatan, round6(lon), round6(lat))) return [lon, lat];
  }
  return anchor;
}

/** Gives each camera a lat/lon inside its kecamatan, grouped by kelurahan (returns new records). */
export function placeCameras(cameras: readonly Camera[], shapes: DistrictShapes): Camera[] {
  const anchors = new Map<string, [number, number] | null>();
  const perKelurahan = new Map<string, number>();
  for (const c of cameras) perKelurahan.set(c.kelurahanCode, (perKelurahan.get(c.kelurahanCode) ?? 0) + 1);
  return cameras.map((c) => {
    let anchor = anchors.get(c.kelurahanCode);
    if (anchor === undefined) anchors.set(c.kelurahanCode, (anchor = pointIn(shapes, c.kecamatanCode, `anchor/${c.kelurahanCode}`)));
    if (!anchor) return { ...c, lat: null, lon: null };
    // About 60 RT cameras in a kelurahan stand within ~350 m; ATCS and private cameras within ~900 m.
    const radius = c.type === 'rt' ? 45 * Math.sqrt(perKelurahan.get(c.kelurahanCode)!) : 900;
    const [lon, lat] = near(shapes, c.kecamatanCode, anchor, radius, `cam/${c.id}`);
    return { ...c, lat: round6(lat), lon: round6(lon) };
  });
}
