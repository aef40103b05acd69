/**
 * Splits ffmpeg's fragmented-MP4 output into an init segment and media fragments (runtime: Node).
 *
 * ffmpeg writes `ftyp moov` once, then `moof mdat` pairs (one per frame with +frag_every_frame).
 * We need three facts from the bytes: where boxes end, whether a fragment starts with a sync sample
 * (a new viewer must start there), and the RFC 6381 codec string for MediaSource.isTypeSupported.
 */
export interface InitSegment {
  data: Buffer;
  codec: string;
}
export interface Fragment {
  data: Buffer;
  keyframe: boolean;
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
        out.push({ kind: 'fragment', fragment: { data: Buffer.concat([moof, box]), keyframe: moofStartsWithSync(moof) } });
      }
      // Other top-level boxes (styp, sidx, mfra) carry nothing a live viewer needs.
    }
    return out;
  }
}

/** Finds child boxes of a container; `start` skips the container's own header (and full-box fields). */
function* children(buf: Buffer, start: number, end: number): Generator<{ type: string; start: number; end: number }> {
  let p = start;
  while (p + 8 <= end) {
    const size = buf.readUInt32BE(p);
    if (size < 8 || p + size > end) return;
    yield { type: buf.toString('latin1', p + 4, p + 8), start: p, end: p + size };
    p += size;
  }
}

function find(buf: Buffer, start: number, end: number, type: string) {
  for (const c of children(buf, start, end)) if (c.type === type) return c;
  return undefined;
}

/** ISO/IEC 14496-12 sample flags: bit 16 is sample_is_non_sync_sample. */
function isSync(flags: number): boolean {
  return (flags & 0x0001_0000) === 0;
}

export function moofStartsWithSync(moof: Buffer): boolean {
  const traf = find(moof, 8, moof.length, 'traf');
  if (!traf) return false;
  let defaultFlags: number | null = null;
  const tfhd = find(moof, traf.start + 8, traf.end, 'tfhd');
  if (tfhd) {
    const tfFlags = moof.readUInt32BE(tfhd.start + 8) & 0xffffff;
    let p = tfhd.start + 16; // header(8) + version/flags(4) + track_ID(4)
    if (tfFlags & 0x01) p += 8;
    if (tfFlags & 0x02) p += 4;
    if (tfFlags & 0x08) p += 4;
    if (tfFlags & 0x10) p += 4;
    if (tfFlags & 0x20) defaultFlags = moof.readUInt32BE(p);
  }
  const trun = find(moof, traf.start + 8, traf.end, 'trun');
  if (!trun) return defaultFlags !== null && isSync(defaultFlags);
  const trFlags = moof.readUInt32BE(trun.start + 8) & 0xffffff;
  let p = trun.start + 16; // header(8) + version/flags(4) + sample_count(4)
  if (trFlags & 0x001) p += 4; // data_offset
  if (trFlags & 0x004) return isSync(moof.readUInt32BE(p)); // first_sample_flags
  if (trFlags & 0x400) {
    if (trFlags & 0x100) p += 4; // sample_duration
    if (trFlags & 0x200) p += 4; // sample_size
    return isSync(moof.readUInt32BE(p));
  }
  return defaultFlags !== null && isSync(defaultFlags);
}

/** baseMediaDecodeTime of the fragment's first track run (tfdt), in the track's timescale. */
export function decodeTime(fragment: Buffer): number | null {
  const moof = find(fragment, 0, fragment.length, 'moof');
  if (!moof) return null;
  const traf = find(fragment, moof.start + 8, moof.end, 'traf');
  const tfdt = traf && find(fragment, traf.start + 8, traf.end, 'tfdt');
  if (!tfdt) return null;
  const version = fragment[tfdt.start + 8];
  return version === 1 ? Number(fragment.readBigUInt64BE(tfdt.start + 12)) : fragment.readUInt32BE(tfdt.start + 12);
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

/** moov → trak → mdia → minf → stbl → stsd → the first sample entry. */
function sampleEntry(moov: Buffer): { type: string; start: number; end: number } | undefined {
  let box = { start: 0, end: moov.length };
  for (const type of ['trak', 'mdia', 'minf', 'stbl']) {
    const c = find(moov, box.start + 8, box.end, type);
    if (!c) return undefined;
    box = c;
  }
  const stsd = find(moov, box.start + 8, box.end, 'stsd');
  if (!stsd) return undefined;
  // stsd is a full box with an entry count: header(8) + version/flags(4) + count(4).
  return children(moov, stsd.start + 16, stsd.end).next().value ?? undefined;
}
