/**
 * The camera catalog (runtime: Node): an indexed, read-only set of cameras with district summaries
 * and search. Built once from the demo generator or an import; lookups are O(1) by id and number.
 */
import type { CameraSummary } from '../../preload/contract.js';
import { toSummary, type Camera } from './camera.js';
import type { Wilayah } from './wilayah.js';

export interface KecamatanSummary {
  code: string;
  name: string;
  cameras: number;
  kelurahan: { code: string; name: string; cameras: number }[];
}

/** Lower-case, strip accents and punctuation: "Semarang-Tengah" and "semarang tengah" match. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export class Catalog {
  private readonly byId = new Map<string, Camera>();
  private readonly byNumber = new Map<number, Camera>();
  private readonly haystack: string[];

  constructor(
    readonly cameras: readonly Camera[],
    private readonly wilayah: Wilayah,
  ) {
    for (const c of cameras) {
      this.byId.set(c.id, c);
      this.byNumber.set(c.number, c);
    }
    this.haystack = cameras.map((c) => normalise(`${c.number} ${c.name} ${c.kelurahanName} ${c.kecamatanName} ${c.kelurahanCode} ${c.id}`));
  }

  get size(): number {
    return this.cameras.length;
  }
  get(id: string): Camera | undefined {
    return this.byId.get(id);
  }
  getByNumber(n: number): Camera | undefined {
    return this.byNumber.get(n);
  }
  summary(id: string): CameraSummary | undefined {
    const c = this.byId.get(id);
    return c ? toSummary(c) : undefined;
  }

  /** Cameras of a kecamatan or kelurahan code, in catalog order (RW, then RT). */
  inDistrict(code: string): Camera[] {
    return this.cameras.filter((c) => c.kecamatanCode === code || c.kelurahanCode === code);
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

  /** Every word of the query must occur in the camera's text; an exact number ranks first. */
  search(query: string, limit: number): CameraSummary[] {
    const words = normalise(query).split(' ').filter(Boolean);
    if (words.length === 0) return this.cameras.slice(0, limit).map(toSummary);
    const out: Camera[] = [];
    const exact = /^\d+$/.test(query.trim()) ? this.byNumber.get(Number(query.trim())) : undefined;
    if (exact) out.push(exact);
    for (let i = 0; i < this.cameras.length && out.length < limit; i++) {
      const hay = this.haystack[i]!;
      if (words.every((w) => hay.includes(w)) && this.cameras[i] !== exact) out.push(this.cameras[i]!);
    }
    return out.map(toSummary);
  }
}
