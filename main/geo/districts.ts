/**
 * Kecamatan boundaries (runtime: anywhere; the loader reads a file in Node).
 *
 * The GeoJSON in resources/data is [lon, lat], kecamatan polygons without holes today, wound the
 * RFC 7946 way. A city is small enough to treat lon/lat as a plane here: point-in-polygon is planar
 * (d3-polygon), and the map draws with a planar projection (d3-geo's geoIdentity), so the winding
 * order, which spherical d3-geo would read as "the whole globe but this", does not matter.
 */
import { readFileSync } from 'node:fs';
import { polygonContains } from 'd3-polygon';
import { z } from 'zod';

const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const Ring = z.array(Position).min(4);
const Geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
]);
export const DistrictFeature = z.object({
  type: z.literal('Feature'),
  properties: z.object({ code: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/), name: z.string().min(1) }),
  geometry: Geometry,
});
export type DistrictFeature = z.infer<typeof DistrictFeature>;
const Collection = z.object({ type: z.literal('FeatureCollection'), attribution: z.string().optional(), features: z.array(DistrictFeature).min(1) });

type Pt = [number, number];
/** [west, south, east, north] */
export type Bounds = [number, number, number, number];

interface Shape {
  feature: DistrictFeature;
  /** Each polygon: its outer ring, then its holes. */
  polygons: Pt[][][];
  bounds: Bounds;
}

export class DistrictShapes {
  private readonly shapes = new Map<string, Shape>();

  constructor(features: DistrictFeature[]) {
    for (const f of features) {
      const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Pt[][][];
      const bounds: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of polygons.flatMap((p) => p[0]!)) {
        bounds[0] = Math.min(bounds[0], x);
        bounds[1] = Math.min(bounds[1], y);
        bounds[2] = Math.max(bounds[2], x);
        bounds[3] = Math.max(bounds[3], y);
      }
      this.shapes.set(f.properties.code, { feature: f, polygons, bounds });
    }
  }

  static load(file: string): DistrictShapes {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not readable JSON (${(e as Error).message})`, { cause: e });
    }
    const parsed = Collection.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `${file}: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => i.path.join('.') + ': ' + i.message)
          .join('; ')}`,
      );
    return new DistrictShapes(parsed.data.features);
  }

  get codes(): string[] {
    return [...this.shapes.keys()];
  }
  get features(): DistrictFeature[] {
    return [...this.shapes.values()].map((s) => s.feature);
  }
  bounds(code: string): Bounds | undefined {
    return this.shapes.get(code)?.bounds;
  }

  contains(code: string, lon: number, lat: number): boolean {
    const s = this.shapes.get(code);
    if (!s) return false;
    const [w, so, e, n] = s.bounds;
    if (lon < w || lon > e || lat < so || lat > n) return false;
    const p: Pt = [lon, lat];
    return s.polygons.some(([outer, ...holes]) => polygonContains(outer!, p) && !holes.some((h) => polygonContains(h, p)));
  }

  /** The kecamatan a point lies in, or null outside the city. */
  kecamatanAt(lon: number, lat: number): string | null {
    for (const code of this.shapes.keys()) if (this.contains(code, lon, lat)) return code;
    return null;
  }
}
