/**
 * Splits ffmpeg's fragmented-MP4 output into an init segment and media fragments (runtime: Node).
 *
 * ffmpeg writes `ftyp moov` once, then `moof mdat` pairs (one per frame with +frag_every_frame).
 * We need three facts from the bytes: where boxes end, whether a fragment starts with a sync sample
 * (a new viewer must start there), and the RFC 6381 codec string for MediaSource.isTypeSupported.
 * The box reading itself is shared with the renderer's WebCodecs feed (preload/mp4.ts).
 */
import { firstSampleDuration, moofStartsWithSync, sampleEntry } from '../../preload/mp4.js';

export { decodeTime, trackTimescale } from '../../preload/mp4.js';

export interface InitSegment {
  data: Buffer;
  codec: string;
}
export interface Fragment {
  data: Buffer;
  keyframe: boolean;
  /** Its picture's duration in the track's timescale (one picture per fragment: the time to the next); null if unsaid. */
  duration: number | null;
}

export type Mp4Output = { kind: 'init'; init: InitSegment } | { kind: 'fragment'; fragment: Fragment };

const MAX_BOX = 32 * 1024 * 1024;

export class Fmp4Splitter {
  private buffer: Buffer = Buffer.alloc(0);
  private pendingInit: Buffer[] = [];
  private pendingMoof: Buffer | null = null;

  /** Feeds bytes, returns whatever complete init segments and fragments they finish. */
  push(chunk: Buffer): Mp4Output[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: Mp4Output[] = [];
    while (this.buffer.length >= 8) {
      let size = this.buffer.readUInt32BE(0);
      let header = 8;
      if (size === 1) {
        if (this.buffer.length < 16) break;
        size = Number(this.buffer.readBigUInt64BE(8));
        header = 16;
      }
      if (size < header || size > MAX_BOX) throw new Error(`malformed MP4 box (size ${size})`);
      if (this.buffer.length < size) break;
      const type = this.buffer.toString('latin1', 4, 8);
      const box = this.buffer.subarray(0, size);
      this.buffer = this.buffer.subarray(size);
      if (type === 'ftyp') this.pendingInit = [Buffer.from(box)];
      else if (type === 'moov') {
        const data = Buffer.concat([...this.pendingInit, box]);
        this.pendingInit = [];
        out.push({ kind: 'init', init: { data, codec: codecFromMoov(box) } });
      } else if (type === 'moof') this.pendingMoof = Buffer.from(box);
      else if (type === 'mdat' && this.pendingMoof) {
        const moof = this.pendingMoof;
        this.pendingMoof = null;
        out.push({ kind: 'fragment', fragment: { data: Buffer.concat([moof, box]), keyframe: moofStartsWithSync(moof), duration: firstSampleDuration(moof) } });
      }
      // Other top-level boxes (styp, sidx, mfra) carry nothing a live viewer needs.
    }
    return out;
  }
}

/**
 * The RFC 6381 codec string of the first video sample entry, for MediaSource.isTypeSupported:
 * avc1.PPCCLL from avcC; hvc1/hev1.P.C.Lnn.B0 from hvcC; mp4v.6c for Motion JPEG (the esds object
 * type); otherwise the sample entry's own four letters, which no browser claims to play, so the
 * renderer falls back to the MPEG-1 transcode instead of feeding a decoder what it can't read.
 */
export function codecFromMoov(moov: Buffer): string {
  const hex = (b: number) => b.toString(16).padStart(2, '0').toUpperCase();
  const entry = sampleEntry(moov);
  const type = entry?.type ?? 'avc1';
  if (type === 'avc1' || type === 'avc3') {
    const avcC = moov.indexOf('avcC', entry?.start ?? 0, 'latin1');
    if (avcC > 0 && avcC + 8 <= moov.length) return `${type}.${hex(moov[avcC + 5]!)}${hex(moov[avcC + 6]!)}${hex(moov[avcC + 7]!)}`;
    return `${type}.42E01E`;
  }
  if (type === 'hvc1' || type === 'hev1') {
    const hvcC = moov.indexOf('hvcC', entry?.start ?? 0, 'latin1');
    // hvcC: version(1) profile_space(2b) tier(1b) profile_idc(5b), 4 bytes compat flags, 6 bytes constraints, level_idc.
    if (hvcC > 0 && hvcC + 4 + 13 <= moov.length) {
      const b = hvcC + 4;
      const profile = moov[b + 1]! & 0x1f;
      const tier = moov[b + 1]! & 0x20 ? 'H' : 'L';
      let compat = moov.readUInt32BE(b + 2);
      // The compatibility flags are written bit-reversed in the codec string (ISO/IEC 14496-15 E.3).
      let reversed = 0;
      for (let i = 0; i < 32; i++, compat >>>= 1) reversed = (reversed << 1) | (compat & 1);
      return `${type}.${profile}.${(reversed >>> 0).toString(16).toUpperCase()}.${tier}${moov[b + 12]!}.B0`;
    }
    return type;
  }
  if (type === 'mp4v') {
    // esds → DecoderConfigDescriptor (tag 4): objectTypeIndication; 0x6C is JPEG.
    const esds = moov.indexOf('esds', entry!.start, 'latin1');
    const tag4 = esds > 0 ? moov.indexOf(4, esds + 8) : -1;
    if (tag4 > 0 && tag4 < entry!.end) {
      let p = tag4 + 1;
      while (p < entry!.end && moov[p]! & 0x80) p++;
      return `mp4v.${(moov[p + 1] ?? 0).toString(16).padStart(2, '0')}`;
    }
    return 'mp4v';
  }
  return /^[a-zA-Z0-9]{4}$/.test(type) ? type : 'unknown';
}
