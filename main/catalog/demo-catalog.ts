/**
 * The built-in Semarang demo catalog (runtime: Node).
 *
 * Generated deterministically from resources/data: 10,293 RT cameras spread over all 177 kelurahan
 * (one camera per RT, grouped in RWs), plus 160 ATCS traffic cameras and 240 private cameras:
 * 10,693 in all. Only real kecamatan and kelurahan names and codes are used; RW and RT numbers are
 * generated. Every camera's streams point at one of the demo farm's looping RTSP streams, except every
 * 20th private camera, whose only stream is one of the farm's HLS playlists when it has them, and every
 * 20th from the 11th, whose only stream is one of its H.265 cameras.
 */
import type { Camera } from './camera.js';
import type { Wilayah } from './wilayah.js';

export const DEMO_COUNTS = { rt: 10_293, atcs: 160, private: 240 } as const;
export const DEMO_TOTAL = DEMO_COUNTS.rt + DEMO_COUNTS.atcs + DEMO_COUNTS.private;
/** Camera numbers: RT cameras from 1, ATCS from 20001, private from 30001 (as on a CCTV keyboard). */
export const ATCS_NUMBER_BASE = 20_000;
export const PRIVATE_NUMBER_BASE = 30_000;

export interface DemoCatalogOptions {
  /** e.g. rtsp://127.0.0.1:8554 — the demo camera farm. */
  rtspBase: string;
  /** How many distinct demo streams the farm publishes (demo01..demoNN). */
  demoStreams: number;
  /**
   * The farm's HLS cameras (e.g. http://user:pass@127.0.0.1:PORT, playlists camNN/index.m3u8):
   * every 20th private camera, from the first, gets one of them as its only stream.
   */
  hls?: { base: string; count: number };
  /**
   * The farm's H.265 cameras (streams hevcNN/main): every 20th private camera from the 11th gets one
   * as its only stream. Chromium's MSE can't play H.265 here, so these show the JSMpeg fallback.
   */
  hevc?: { base: string; count: number };
}

/** FNV-1a, so the same code always yields the same numbers on every machine. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
/** The same text always gives the same number in [0, 1): the demo's stand-in for randomness. */
export function unit(text: string): number {
  return hash(text) / 0x1_0000_0000;
}

interface KelurahanRef {
  kecamatanCode: string;
  kecamatanName: string;
  kelurahanCode: string;
  kelurahanName: string;
}

/** Splits `total` over weights with the largest-remainder method, so the parts add up exactly. */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) parts[order[k % order.length]!.i]! += 1;
  return parts;
}

export function buildDemoCatalog(wilayah: Wilayah, options: DemoCatalogOptions): Camera[] {
  const kel: KelurahanRef[] = [];
  for (const kc of wilayah.kecamatan) {
    for (const kl of kc.kelurahan) {
      kel.push({ kecamatanCode: kc.code, kecamatanName: kc.name, kelurahanCode: kl.code, kelurahanName: kl.name });
    }
  }
  const base = options.rtspBase.replace(/\/+$/, '');
  let streamIndex = 0;
  const streamsFor = () => {
    const n = String((streamIndex++ % options.demoStreams) + 1).padStart(2, '0');
    return { main: `${base}/demo${n}/main`, sub: `${base}/demo${n}/sub` };
  };
  const cameras: Camera[] = [];
  const perKelurahan = apportion(
    DEMO_COUNTS.rt,
    kel.map((k) => 0.6 + 0.8 * unit(k.kelurahanCode)),
  );
  let number = 1;
  kel.forEach((k, i) => {
    const n = perKelurahan[i]!;
    const rwCount = Math.max(1, Math.min(30, Math.round(n / (7 + 5 * unit(k.kelurahanCode + '/rw')))));
    const rtPerRw = apportion(n, new Array<number>(rwCount).fill(1));
    const compact = k.kelurahanCode.replace(/\./g, '');
    rtPerRw.forEach((rts, r) => {
      const rw = r + 1;
      for (let rt = 1; rt <= rts; rt++) {
        const rwTxt = String(rw).padStart(2, '0');
        const rtTxt = String(rt).padStart(2, '0');
        cameras.push({
          id: `rt-${compact}-${rwTxt}-${rtTxt}`,
          number: number++,
          name: `RT ${rtTxt}/RW ${rwTxt} ${k.kelurahanName}`,
          type: 'rt',
          ...k,
          rw,
          rt,
          hasSub: true,
          streams: streamsFor(),
        });
      }
    });
  });
  const others = [
    { type: 'atcs' as const, count: DEMO_COUNTS.atcs, base: ATCS_NUMBER_BASE, prefix: 'atcs', label: 'ATCS', step: 37, offset: 0 },
    { type: 'private' as const, count: DEMO_COUNTS.private, base: PRIVATE_NUMBER_BASE, prefix: 'prv', label: 'Privat', step: 53, offset: 11 },
  ];
  for (const o of others) {
    for (let i = 0; i < o.count; i++) {
      const k = kel[(i * o.step + o.offset) % kel.length]!;
      const seq = String(i + 1).padStart(3, '0');
      const hls = o.type === 'private' && options.hls && options.hls.count > 0 && i % 20 === 0 ? options.hls : null;
      const hevc = o.type === 'private' && options.hevc && options.hevc.count > 0 && i % 20 === 10 ? options.hevc : null;
      const hevcUrl = hevc && `${hevc.base.replace(/\/+$/, '')}/hevc${String((Math.floor(i / 20) % hevc.count) + 1).padStart(2, '0')}/main`;
      cameras.push({
        id: `${o.prefix}-${seq}`,
        number: o.base + i + 1,
        name: `${o.label} ${seq} ${k.kelurahanName}`,
        type: o.type,
        ...k,
        rw: null,
        rt: null,
        hasSub: !hls && !hevcUrl,
        streams: hevcUrl
          ? { main: hevcUrl, sub: null }
          : hls
            ? { main: `${hls.base.replace(/\/+$/, '')}/cam${String(((i / 20) % hls.count) + 1).padStart(2, '0')}/index.m3u8`, sub: null }
            : streamsFor(),
      });
    }
  }
  return cameras;
}
