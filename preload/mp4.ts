/**
 * ISO BMFF (fragmented MP4) boxes read over plain bytes (runtime: anywhere; Node's Buffer is a
 * Uint8Array). Shared by the gateway, which splits ffmpeg's output into init segment and fragments
 * (main/streams/fmp4.ts), and the renderer's WebCodecs feed, which takes each fragment's picture to
 * its decoder (renderer/src/players/webcodecs-feed.ts). Imports nothing.
 */

export interface Box {
  type: string;
  start: number;
  end: number;
}

export function u32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

function fourcc(b: Uint8Array, p: number): string {
  return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!);
}

/** The child boxes of a container; `start` skips the container's own header (and full-box fields). */
export function* children(b: Uint8Array, start: number, end: number): Generator<Box> {
  let p = start;
  while (p + 8 <= end) {
    const size = u32(b, p);
    if (size < 8 || p + size > end) return;
    yield { type: fourcc(b, p + 4), start: p, end: p + size };
    p += size;
  }
}

export function find(b: Uint8Array, start: number, end: number, type: string): Box | undefined {
  for (const c of children(b, start, end)) if (c.type === type) return c;
  return undefined;
}

/** ISO/IEC 14496-12 sample flags: bit 16 is sample_is_non_sync_sample. */
function isSync(flags: number): boolean {
  return (flags & 0x0001_0000) === 0;
}

/** Whether a moof's first sample is a sync sample (a picture a decoder can start at). */
export function moofStartsWithSync(moof: Uint8Array): boolean {
  const traf = find(moof, 8, moof.length, 'traf');
  if (!traf) return false;
  let defaultFlags: number | null = null;
  const tfhd = find(moof, traf.start + 8, traf.end, 'tfhd');
  if (tfhd) {
    const tfFlags = u32(moof, tfhd.start + 8) & 0xffffff;
    let p = tfhd.start + 16; // header(8) + version/flags(4) + track_ID(4)
    if (tfFlags & 0x01) p += 8;
    if (tfFlags & 0x02) p += 4;
    if (tfFlags & 0x08) p += 4;
    if (tfFlags & 0x10) p += 4;
    if (tfFlags & 0x20) defaultFlags = u32(moof, p);
  }
  const trun = find(moof, traf.start + 8, traf.end, 'trun');
  if (!trun) return defaultFlags !== null && isSync(defaultFlags);
  const trFlags = u32(moof, trun.start + 8) & 0xffffff;
  let p = trun.start + 16; // header(8) + version/flags(4) + sample_count(4)
  if (trFlags & 0x001) p += 4; // data_offset
  if (trFlags & 0x004) return isSync(u32(moof, p)); // first_sample_flags
  if (trFlags & 0x400) {
    if (trFlags & 0x100) p += 4; // sample_duration
    if (trFlags & 0x200) p += 4; // sample_size
    return isSync(u32(moof, p));
  }
  return defaultFlags !== null && isSync(defaultFlags);
}

/**
 * The duration of a moof's first sample, in the track's timescale (trun's per-sample duration, else
 * tfhd's default); null when neither says. With one picture per fragment (the gateway's), the time
 * from this picture to the next.
 */
export function firstSampleDuration(moof: Uint8Array): number | null {
  const traf = find(moof, 8, moof.length, 'traf');
  if (!traf) return null;
  const trun = find(moof, traf.start + 8, traf.end, 'trun');
  if (trun && u32(moof, trun.start + 8) & 0x100) {
    const trFlags = u32(moof, trun.start + 8) & 0xffffff;
    // header(8) + version/flags(4) + sample_count(4), then data_offset and first_sample_flags if present.
    return u32(moof, trun.start + 16 + (trFlags & 0x001 ? 4 : 0) + (trFlags & 0x004 ? 4 : 0));
  }
  const tfhd = find(moof, traf.start + 8, traf.end, 'tfhd');
  if (!tfhd) return null;
  const tfFlags = u32(moof, tfhd.start + 8) & 0xffffff;
  if (!(tfFlags & 0x08)) return null;
  // header(8) + version/flags(4) + track_ID(4), then base_data_offset and sample_description_index if present.
  return u32(moof, tfhd.start + 16 + (tfFlags & 0x01 ? 8 : 0) + (tfFlags & 0x02 ? 4 : 0));
}

/** The first track's timescale (mdhd) of an init segment (ftyp+moov); null when it has none. */
export function trackTimescale(init: Uint8Array): number | null {
  const moov = find(init, 0, init.length, 'moov');
  const trak = moov && find(init, moov.start + 8, moov.end, 'trak');
  const mdia = trak && find(init, trak.start + 8, trak.end, 'mdia');
  const mdhd = mdia && find(init, mdia.start + 8, mdia.end, 'mdhd');
  return mdhd ? u32(init, mdhd.start + (init[mdhd.start + 8] === 1 ? 28 : 20)) || null : null;
}

/** baseMediaDecodeTime of a fragment's (moof+mdat) first track run (tfdt), in the track's timescale. */
export function decodeTime(fragment: Uint8Array): number | null {
  const moof = find(fragment, 0, fragment.length, 'moof');
  if (!moof) return null;
  const traf = find(fragment, moof.start + 8, moof.end, 'traf');
  const tfdt = traf && find(fragment, traf.start + 8, traf.end, 'tfdt');
  if (!tfdt) return null;
  const version = fragment[tfdt.start + 8];
  return version === 1 ? u32(fragment, tfdt.start + 12) * 2 ** 32 + u32(fragment, tfdt.start + 16) : u32(fragment, tfdt.start + 12);
}

/** moov → trak → mdia → minf → stbl → stsd → the first sample entry. */
export function sampleEntry(moov: Uint8Array): Box | undefined {
  let box = { start: 0, end: moov.length };
  for (const type of ['trak', 'mdia', 'minf', 'stbl']) {
    const c = find(moov, box.start + 8, box.end, type);
    if (!c) return undefined;
    box = c;
  }
  const stsd = find(moov, box.start + 8, box.end, 'stsd');
  if (!stsd) return undefined;
  // stsd is a full box with an entry count: header(8) + version/flags(4) + count(4).
  const first = children(moov, stsd.start + 16, stsd.end).next();
  return first.done ? undefined : first.value;
}

/**
 * What a WebCodecs decoder needs from an init segment (ftyp+moov): the sample entry's decoder
 * configuration record (avcC or hvcC payload) as the description, and the track's timescale (mdhd).
 * Null when the init segment has no such record.
 */
export function decoderSetup(init: Uint8Array): { description: Uint8Array; timescale: number } | null {
  const moov = find(init, 0, init.length, 'moov');
  if (!moov) return null;
  const m = init.subarray(moov.start, moov.end);
  const entry = sampleEntry(m);
  if (!entry) return null;
  // A visual sample entry: header(8) + reserved(6) + index(2) + 70 bytes of fields, then its boxes.
  const record = [...children(m, entry.start + 86, entry.end)].find((c) => c.type === 'avcC' || c.type === 'hvcC');
  if (!record) return null;
  return { description: m.slice(record.start + 8, record.end), timescale: trackTimescale(init) ?? 90_000 };
}

/** The payload of a fragment's mdat: with one picture per fragment (the gateway's), that picture. */
export function mdatPayload(fragment: Uint8Array): Uint8Array | null {
  const mdat = find(fragment, 0, fragment.length, 'mdat');
  return mdat ? fragment.subarray(mdat.start + 8, mdat.end) : null;
}
