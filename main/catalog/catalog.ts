/**
 * The camera catalog (runtime: Node): an indexed, read-only set of cameras with district summaries,
 * a browsable tree (kecamatan → kelurahan → RW → RT, plus ATCS and private) and typo-tolerant search.
 * Built once from the demo generator or an import; lookups are O(1) by id and number.
 */
import { ApiError, reason, type CameraSummary, type NodeId, type Place, type TreeNode } from '../../preload/contract.js';
import type { DistrictShapes } from '../geo/districts.js';
import { NearestIndex, type Near } from '../geo/nearest.js';
import { toSummary, type Camera } from './camera.js';
import { SearchIndex } from './search.js';
import type { Wilayah } from './wilayah.js';

export { normalise } from './search.js';

export interface KecamatanSummary {
  code: string;
  name: string;
  cameras: number;
  kelurahan: { code: string; name: string; cameras: number }[];
}

/** Last known picture state per camera, for live/offline counts in the tree. */
export type CameraStatus = 'live' | 'offline';
export type StatusOf = (cameraId: string) => CameraStatus | undefined;

const TYPE_LABEL = { atcs: 'ATCS', private: 'Privat / Private' } as const;

export class Catalog {
  private readonly byId = new Map<string, Camera>();
  private readonly byNumber = new Map<number, Camera>();
  private readonly index: SearchIndex;
  /** Camera positions per tree node, in catalog order: RT cameras in the tree proper. */
  private readonly members = new Map<string, number[]>();
  /** ATCS and private cameras per kecamatan and kelurahan node, listed after its RT cameras. */
  private readonly others = new Map<string, number[]>();
  private readonly labels = new Map<string, string>();
  private readonly sortedNumbers: number[];
  private readonly extra = new Map<string, Camera>();
  private nearIndex: NearestIndex | null = null;
  private placeList: Place[] | null = null;
  private placeIndex: SearchIndex | null = null;

  constructor(
    readonly cameras: readonly Camera[],
    private readonly wilayah: Wilayah,
    /** Kecamatan boundaries for the map; null when the console runs without them. */
    readonly shapes: DistrictShapes | null = null,
  ) {
    const add = (node: string, i: number, into = this.members) => {
      let list = into.get(node);
      if (!list) into.set(node, (list = []));
      list.push(i);
    };
    cameras.forEach((c, i) => {
      this.byId.set(c.id, c);
      this.byNumber.set(c.number, c);
      add('root', i);
      if (c.type === 'rt') {
        add(`kec:${c.kecamatanCode}`, i);
        add(`kel:${c.kelurahanCode}`, i);
        if (c.rw !== null) add(`rw:${c.kelurahanCode}:${c.rw}`, i);
      } else {
        add(`type:${c.type}`, i);
        add(`kec:${c.kecamatanCode}`, i, this.others);
        add(`kel:${c.kelurahanCode}`, i, this.others);
      }
    });
    for (const k of wilayah.kecamatan) {
      this.labels.set(`kec:${k.code}`, k.name);
      for (const l of k.kelurahan) this.labels.set(`kel:${l.code}`, l.name);
    }
    this.index = new SearchIndex(cameras.map((c) => `${c.number} ${c.name} ${c.kelurahanName} ${c.kecamatanName} ${c.kecamatanCode} ${c.kelurahanCode} ${c.id} ${c.type} ${c.street ?? ''}`));
    this.sortedNumbers = cameras.map((c) => c.number).sort((a, b) => a - b);
  }

  get size(): number {
    return this.cameras.length;
  }
  get(id: string): Camera | undefined {
    return this.byId.get(id) ?? this.extra.get(id);
  }

  /**
   * Cameras from outside the catalog file (a kiosk's cameras the residents added by URL): found by id
   * only, never listed, searched, numbered or in the tree. Replaces the previous set.
   */
  setExtra(cameras: readonly Camera[]): void {
    this.extra.clear();
    for (const c of cameras) if (!this.byId.has(c.id)) this.extra.set(c.id, c);
  }
  getByNumber(n: number): Camera | undefined {
    return this.byNumber.get(n);
  }
  summary(id: string): CameraSummary | undefined {
    const c = this.get(id);
    return c ? toSummary(c) : undefined;
  }

  /** The camera numbered just after (or before) `number`, wrapping around the catalog. */
  neighbour(number: number, direction: 1 | -1): Camera {
    const list = this.sortedNumbers;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < number) lo = mid + 1;
      else hi = mid;
    }
    // lo: first position with a number >= `number`.
    const at = direction === 1 ? (list[lo] === number ? lo + 1 : lo) : lo - 1;
    const wrapped = (at + list.length) % list.length;
    return this.byNumber.get(list[wrapped]!)!;
  }

  /**
   * The cameras a tree node stands for, in the order a wall shows them: a kecamatan's RT cameras by
   * kelurahan, RW and RT, then its ATCS and private cameras.
   */
  camerasOf(node: NodeId): Camera[] {
    if (!this.members.has(node) && !this.labels.has(node)) throw new ApiError('not_found', `no district ${node} in the catalog`, reason('district_unknown', { district: node }));
    return [...(this.members.get(node) ?? []), ...(this.others.get(node) ?? [])].map((i) => this.cameras[i]!);
  }

  /** Whether the catalog has this tree node (a kecamatan, kelurahan or RW with cameras, or a type). */
  hasNode(node: NodeId): boolean {
    return this.members.has(node) || this.labels.has(node);
  }

  label(node: NodeId): string {
    if (node === 'root') return 'Kota Semarang';
    if (node === 'type:atcs' || node === 'type:private') return TYPE_LABEL[node.slice(5) as 'atcs' | 'private'];
    if (node.startsWith('rw:')) {
      const [, kel, rw] = node.split(':');
      return `RW ${rw!.padStart(2, '0')} ${this.labels.get(`kel:${kel}`) ?? ''}`.trim();
    }
    const name = this.labels.get(node);
    if (!name) throw new ApiError('not_found', `no district ${node} in the catalog`, reason('district_unknown', { district: node }));
    return name;
  }

  private nodeOf(id: NodeId, kind: TreeNode['kind'], status: StatusOf, cameras: readonly Camera[] = this.camerasOf(id)): TreeNode {
    let live = 0;
    let offline = 0;
    for (const c of cameras) {
      const s = status(c.id);
      if (s === 'live') live++;
      else if (s === 'offline') offline++;
    }
    return { id, label: this.label(id), kind, cameras: cameras.length, live, offline };
  }

  /** One level of the tree: the node, its child nodes, and (at RW and type level) its cameras. */
  tree(node: NodeId, status: StatusOf): { node: TreeNode; children: TreeNode[]; cameras: CameraSummary[] } {
    if (node === 'root') {
      const children: TreeNode[] = [
        ...this.wilayah.kecamatan.map((k) => this.nodeOf(`kec:${k.code}`, 'kecamatan', status)),
        // A catalog without ATCS or private cameras has no such node: it is left out, not an error.
        ...(['type:atcs', 'type:private'] as const).filter((n) => this.hasNode(n)).map((n) => this.nodeOf(n, 'type', status)),
      ];
      return { node: this.nodeOf('root', 'root', status, this.cameras), children, cameras: [] };
    }
    if (node.startsWith('kec:')) {
      const k = this.wilayah.kecamatan.find((x) => `kec:${x.code}` === node);
      if (!k) throw new ApiError('not_found', `no district ${node} in the catalog`, reason('district_unknown', { district: node }));
      return { node: this.nodeOf(node, 'kecamatan', status), children: k.kelurahan.map((l) => this.nodeOf(`kel:${l.code}`, 'kelurahan', status)), cameras: [] };
    }
    if (node.startsWith('kel:')) {
      const code = node.slice(4);
      const rws = [...new Set((this.members.get(node) ?? []).map((i) => this.cameras[i]!.rw).filter((rw): rw is number => rw !== null))].sort((a, b) => a - b);
      const others = (this.others.get(node) ?? []).map((i) => toSummary(this.cameras[i]!));
      return { node: this.nodeOf(node, 'kelurahan', status), children: rws.map((rw) => this.nodeOf(`rw:${code}:${rw}`, 'rw', status)), cameras: others };
    }
    const cameras = this.camerasOf(node);
    return { node: this.nodeOf(node, node.startsWith('rw:') ? 'rw' : 'type', status, cameras), children: [], cameras: cameras.map(toSummary) };
  }

  /** A kecamatan's or kelurahan's official name by code. */
  districtName(code: string): string | undefined {
    return this.labels.get(`kec:${code}`) ?? this.labels.get(`kel:${code}`);
  }

  /** The official kecamatan list (codes, names, centroids as [lat, lon]). */
  wilayahKecamatan(): { code: string; name: string; centroid: [number, number] }[] {
    return this.wilayah.kecamatan.map((k) => ({ code: k.code, name: k.name, centroid: k.centroid }));
  }

  districts(): KecamatanSummary[] {
    const counts = new Map<string, number>();
    for (const c of this.cameras) {
      counts.set(c.kecamatanCode, (counts.get(c.kecamatanCode) ?? 0) + 1);
      counts.set(c.kelurahanCode, (counts.get(c.kelurahanCode) ?? 0) + 1);
    }
    return this.wilayah.kecamatan.map((k) => ({
      code: k.code,
      name: k.name,
      cameras: counts.get(k.code) ?? 0,
      kelurahan: k.kelurahan.map((l) => ({ code: l.code, name: l.name, cameras: counts.get(l.code) ?? 0 })),
    }));
  }

  /**
   * Typo- and spelling-tolerant search over number, name, district names and codes. An exact camera
   * number ranks first; an empty query lists the catalog from the start.
   */
  search(query: string, limit: number): CameraSummary[] {
    const trimmed = query.trim();
    if (trimmed === '') return this.cameras.slice(0, limit).map(toSummary);
    const exact = /^\d+$/.test(trimmed) ? this.byNumber.get(Number(trimmed)) : undefined;
    const hits = this.index.search(trimmed, limit + 1).map((i) => this.cameras[i]!);
    const out = exact ? [exact, ...hits.filter((c) => c !== exact)] : hits;
    return out.slice(0, limit).map(toSummary);
  }

  /** Up to `limit` cameras with a position, nearest to (lat, lon) first (a k-d tree, built on first use). */
  nearest(lat: number, lon: number, limit: number, radiusM?: number): Near[] {
    this.nearIndex ??= new NearestIndex(this.cameras);
    return this.nearIndex.nearest(lat, lon, limit, radiusM);
  }

  /** Cameras of a kecamatan that have a position (for the map's points). */
  positioned(kecamatanCode: string): Camera[] {
    return this.camerasOf(`kec:${kecamatanCode}`).filter((c) => typeof c.lat === 'number' && typeof c.lon === 'number');
  }

  /**
   * Places a 112 caller may name: kecamatan, kelurahan, RW, RT (its camera), streets the catalog
   * knows, or "lat, lon" typed as numbers. Each place stands where its cameras stand on average (a
   * kecamatan at its official centroid); places without positioned cameras are left out.
   */
  places(query: string, limit: number): Place[] {
    const coords = parseCoordinates(query);
    if (coords) return [{ kind: 'coordinates', label: `${coords[0].toFixed(5)}, ${coords[1].toFixed(5)}`, detail: '', lat: coords[0], lon: coords[1] }];
    const trimmed = query.trim();
    if (!trimmed) return [];
    if (!this.placeList) {
      this.placeList = this.buildPlaces();
      this.placeIndex = new SearchIndex(this.placeList.map((p) => `${p.label} ${p.detail}`));
    }
    const places = this.placeIndex!.search(trimmed, limit).map((i) => this.placeList![i]!);
    // An RT is a camera: the camera search finds "RT 02 RW 03 Pekunden" better than a place list could.
    const rt = /\brt\b/i.test(trimmed)
      ? this.search(trimmed, limit)
          .filter((c) => c.type === 'rt' && typeof c.lat === 'number' && typeof c.lon === 'number')
          .map((c): Place => ({ kind: 'rt', label: c.name, detail: c.kecamatanName, lat: c.lat!, lon: c.lon!, cameraId: c.id }))
      : [];
    return [...rt, ...places].slice(0, limit);
  }

  private buildPlaces(): Place[] {
    const sums = new Map<string, { lat: number; lon: number; n: number; label: string; detail: string; kind: Place['kind']; node?: NodeId }>();
    const add = (key: string, c: Camera, init: () => { label: string; detail: string; kind: Place['kind']; node?: NodeId }) => {
      let s = sums.get(key);
      if (!s) sums.set(key, (s = { lat: 0, lon: 0, n: 0, ...init() }));
      s.lat += c.lat!;
      s.lon += c.lon!;
      s.n++;
    };
    for (const c of this.cameras) {
      if (typeof c.lat !== 'number' || typeof c.lon !== 'number') continue;
      add(`kel:${c.kelurahanCode}`, c, () => ({ kind: 'kelurahan', label: c.kelurahanName, detail: c.kecamatanName, node: `kel:${c.kelurahanCode}` }));
      if (c.rw !== null)
        add(`rw:${c.kelurahanCode}:${c.rw}`, c, () => ({
          kind: 'rw',
          label: `RW ${String(c.rw).padStart(2, '0')} ${c.kelurahanName}`,
          detail: c.kecamatanName,
          node: `rw:${c.kelurahanCode}:${c.rw}`,
        }));
      if (c.street) add(`street:${c.street.toLowerCase()}`, c, () => ({ kind: 'street', label: c.street!, detail: c.kelurahanName }));
    }
    const kecamatan: Place[] = this.wilayah.kecamatan
      .filter((k) => this.members.has(`kec:${k.code}`) || this.others.has(`kec:${k.code}`))
      .map((k) => ({ kind: 'kecamatan', label: k.name, detail: 'Kota Semarang', lat: k.centroid[0], lon: k.centroid[1], node: `kec:${k.code}` }));
    const rest = [...sums.values()].map(({ lat, lon, n, ...p }): Place => ({ ...p, lat: Math.round((lat / n) * 1e6) / 1e6, lon: Math.round((lon / n) * 1e6) / 1e6 }));
    return [...kecamatan, ...rest];
  }
}

/** "-6.98, 110.42" or "-6.98 110.42" (lat first, as a caller reads them off a phone), inside the world. */
export function parseCoordinates(text: string): [number, number] | null {
  const m = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lat, lon] : null;
}
