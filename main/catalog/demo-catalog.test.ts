import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { apportion, buildDemoCatalog, DEMO_COUNTS, DEMO_TOTAL } from './demo-catalog.js';
import { loadWilayah } from './wilayah.js';

const wilayah = loadWilayah(join(__dirname, '..', '..', 'resources', 'data', 'semarang-wilayah.json'));
const opts = { rtspBase: 'rtsp://127.0.0.1:8554', demoStreams: 16 };

describe('demo catalog', () => {
  const cameras = buildDemoCatalog(wilayah, opts);

  it('has 10,693 cameras: 10,293 RT, 160 ATCS, 240 private', () => {
    expect(DEMO_TOTAL).toBe(10_693);
    expect(cameras).toHaveLength(10_693);
    expect(cameras.filter((c) => c.type === 'rt')).toHaveLength(DEMO_COUNTS.rt);
    expect(cameras.filter((c) => c.type === 'atcs')).toHaveLength(160);
    expect(cameras.filter((c) => c.type === 'private')).toHaveLength(240);
  });

  it('covers all 16 kecamatan and all 177 kelurahan with RT cameras', () => {
    const rt = cameras.filter((c) => c.type === 'rt');
    expect(new Set(rt.map((c) => c.kecamatanCode)).size).toBe(16);
    expect(new Set(rt.map((c) => c.kelurahanCode)).size).toBe(177);
  });

  it('uses only real district names and codes from the data file', () => {
    const names = new Map(wilayah.kecamatan.flatMap((k) => k.kelurahan.map((l) => [l.code, { kel: l.name, kec: k.name, kecCode: k.code }] as const)));
    for (const c of cameras) {
      const real = names.get(c.kelurahanCode);
      expect(real, c.id).toBeDefined();
      expect(c.kelurahanName).toBe(real!.kel);
      expect(c.kecamatanName).toBe(real!.kec);
      expect(c.kecamatanCode).toBe(real!.kecCode);
    }
  });

  it('gives unique stable ids and numbers, and RW/RT numbers for RT cameras', () => {
    expect(new Set(cameras.map((c) => c.id)).size).toBe(cameras.length);
    expect(new Set(cameras.map((c) => c.number)).size).toBe(cameras.length);
    for (const c of cameras.filter((x) => x.type === 'rt')) {
      expect(c.rw).toBeGreaterThan(0);
      expect(c.rt).toBeGreaterThan(0);
      expect(c.name).toContain(c.kelurahanName);
    }
    expect(cameras[0]).toMatchObject({ id: 'rt-3374011001-01-01', number: 1, kelurahanName: 'Miroto', kecamatanName: 'Semarang Tengah' });
  });

  it('is deterministic', () => {
    expect(buildDemoCatalog(wilayah, opts)).toEqual(cameras);
  });

  it('points main and sub streams at the demo farm, spreading neighbours over different streams', () => {
    expect(cameras[0]!.streams).toEqual({ main: 'rtsp://127.0.0.1:8554/demo01/main', sub: 'rtsp://127.0.0.1:8554/demo01/sub' });
    expect(new Set(cameras.slice(0, 16).map((c) => c.streams.main)).size).toBe(16);
  });

  it('apportions exactly', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(10_293, [0.7, 1.3, 1]).reduce((a, b) => a + b)).toBe(10_293);
  });
});

describe('catalog index and search', () => {
  const catalog = new Catalog(buildDemoCatalog(wilayah, opts), wilayah);

  it('finds by number, name and district, case and punctuation blind', () => {
    expect(catalog.search('1', 5)[0]!.number).toBe(1);
    expect(catalog.search('20001', 5)[0]!.id).toBe('atcs-001');
    const tengah = catalog.search('semarang-TENGAH miroto', 50);
    expect(tengah.length).toBeGreaterThan(0);
    expect(tengah.every((c) => c.kelurahanName === 'Miroto')).toBe(true);
  });

  it('tolerates typos and old Indonesian spellings, ranking exact matches first', () => {
    const all = (q: string) => catalog.search(q, 500);
    const kel = (q: string) => new Set(all(q).map((c) => c.kelurahanName));
    const top = (q: string) => all(q)[0]?.kelurahanName;
    // Van Ophuijsen spelling; "Kidul" also names other kelurahan of kecamatan Pedurungan, which rank after.
    expect(top('Pedoeroengan Kidoel')).toBe('Pedurungan Kidul');
    expect(kel('Pedoeroengan Kidoel')).toContain('Penggaron Kidul');
    expect(kel('Djomblang')).toEqual(new Set(['Jomblang']));
    expect(kel('Tandjoeng Mas')).toEqual(new Set(['Tanjung Mas']));
    expect(kel('Tlogosary wetan')).toEqual(new Set(['Tlogosari Wetan'])); // one typo
    expect(kel('Gajahmugkur')).toContain('Gajahmungkur'); // one letter missing
    expect(kel('sronodl')).toEqual(new Set()); // a transposition in a 7-letter word is two edits: no match
    expect(kel('Srondl Kulon')).toEqual(new Set(['Srondol Kulon']));
    // While typing: a prefix already narrows the results.
    expect(kel('bendan dh')).toEqual(new Set(['Bendan Dhuwur']));
    expect(all('rt 05 rw 02 miroto')[0]!.name).toBe('RT 05/RW 02 Miroto');
    expect(all('atcs tembalang').every((c) => c.type === 'atcs' && c.kecamatanName === 'Tembalang')).toBe(true);
    // By official code.
    expect(top('33.74.01.1001')).toBe('Miroto');
    expect(kel('3374011001')).toEqual(new Set(['Miroto']));
    expect(catalog.search('zzzzqqq', 10)).toEqual([]);
  });

  it('browses the tree with counts that add up, and lists a district in wall order', () => {
    const status = (id: string) => (id === 'rt-3374011001-01-01' ? ('live' as const) : id === 'rt-3374011001-01-02' ? ('offline' as const) : undefined);
    const root = catalog.tree('root', status);
    expect(root.node).toMatchObject({ cameras: 10_693, live: 1, offline: 1 });
    expect(root.children).toHaveLength(18);
    // Every camera sits in one kecamatan; the ATCS and private nodes list theirs a second time, by type.
    expect(root.children.slice(0, 16).reduce((a, n) => a + n.cameras, 0)).toBe(10_693);
    expect(root.children.at(-2)).toMatchObject({ id: 'type:atcs', cameras: 160 });
    const kec = catalog.tree('kec:33.74.01', status);
    expect(kec.node.label).toBe('Semarang Tengah');
    expect(kec.children.reduce((a, n) => a + n.cameras, 0)).toBe(kec.node.cameras);
    const kel = catalog.tree('kel:33.74.01.1001', status);
    expect(kel.children[0]).toMatchObject({ id: 'rw:33.74.01.1001:1', kind: 'rw', live: 1, offline: 1 });
    const rw = catalog.tree('rw:33.74.01.1001:1', status);
    expect(rw.cameras.map((c) => c.rt)).toEqual(rw.cameras.map((_, i) => i + 1));
    const list = catalog.camerasOf('kec:33.74.01');
    expect(list.every((c) => c.kecamatanCode === '33.74.01')).toBe(true);
    const firstOther = list.findIndex((c) => c.type !== 'rt');
    expect(list.slice(firstOther).every((c) => c.type !== 'rt')).toBe(true); // RT cameras first, by kelurahan, RW, RT
    expect(() => catalog.tree('kec:33.74.99', status)).toThrow(/no district kec:33.74.99/);
    expect(() => catalog.camerasOf('kel:33.74.99.9999')).toThrow(/no district/);
  });

  it('browses a catalog that has no private (or ATCS) cameras: the missing type is left out of the tree', () => {
    const atcsOnly = new Catalog(
      catalog.cameras.filter((c) => c.type === 'atcs'),
      wilayah,
    );
    const root = atcsOnly.tree('root', () => undefined);
    expect(root.children.map((n) => n.id)).toContain('type:atcs');
    expect(root.children.map((n) => n.id)).not.toContain('type:private');
    expect(root.node.cameras).toBe(160);
  });

  it('finds catalog neighbours by number, wrapping at the ends', () => {
    expect(catalog.neighbour(1, 1).number).toBe(2);
    expect(catalog.neighbour(10_293, 1).number).toBe(20_001);
    expect(catalog.neighbour(1, -1).number).toBe(30_240);
    expect(catalog.neighbour(0, 1).number).toBe(1);
  });

  it('summarises districts with camera counts adding up to the catalog', () => {
    const d = catalog.districts();
    expect(d).toHaveLength(16);
    expect(d.reduce((a, k) => a + k.cameras, 0)).toBe(10_693);
    for (const k of d) expect(k.kelurahan.reduce((a, l) => a + l.cameras, 0)).toBe(k.cameras);
  });

  it('never hands out stream URLs in summaries', () => {
    const s = catalog.summary('rt-3374011001-01-01')!;
    expect(JSON.stringify(s)).not.toContain('rtsp');
    expect(s.hasSub).toBe(true);
  });
});
