import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from './ffmpeg.js';
import { decodeTime, decoderSetup, mdatPayload, u32 } from '../../preload/mp4.js';
import { codecFromMoov, Fmp4Splitter, type Mp4Output } from './fmp4.js';

// Real ffmpeg output, made the way the gateway makes it: 2 s of H.264 with a keyframe every 5 frames.
function ffmpegFmp4(codec: string[] = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '5', '-bf', '0', '-profile:v', 'main']): Buffer {
  const r = spawnSync(findFfmpeg(), [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=160x90:rate=10',
    '-t',
    '2',
    ...codec,
    '-f',
    'mp4',
    '-movflags',
    'empty_moov+default_base_moof+frag_every_frame',
    'pipe:1',
  ]);
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('fMP4 splitter', () => {
  const bytes = ffmpegFmp4();

  it('finds the init segment, the codec string and one fragment per frame, however the bytes are chunked', () => {
    for (const chunk of [bytes.length, 4096, 7]) {
      const s = new Fmp4Splitter();
      const out: Mp4Output[] = [];
      for (let i = 0; i < bytes.length; i += chunk) out.push(...s.push(bytes.subarray(i, i + chunk)));
      expect(out[0]!.kind).toBe('init');
      expect(out[0]!.kind === 'init' && out[0]!.init.codec).toMatch(/^avc1\.[0-9A-F]{6}$/);
      const frags = out.filter((o) => o.kind === 'fragment');
      expect(frags).toHaveLength(20);
      // A keyframe every 5 frames, starting with the first.
      expect(frags.map((f) => (f.kind === 'fragment' && f.fragment.keyframe ? 'K' : '.')).join('')).toBe('K....K....K....K....');
    }
  });

  it('rejects garbage with a clear error instead of buffering forever', () => {
    const s = new Fmp4Splitter();
    expect(() => s.push(Buffer.from('\x00\x00\x00\x03junkjunkjunk', 'latin1'))).toThrow(/malformed MP4 box/);
  });

  it('falls back to a safe codec string when avcC is missing', () => {
    expect(codecFromMoov(Buffer.from('moov'))).toBe('avc1.42E01E');
  });

  // The renderer asks MediaSource.isTypeSupported with this string and falls back to the MPEG-1
  // transcode when the answer is no: H.265 and Motion JPEG must be named as what they are.
  it('names H.265 and Motion JPEG as such, not as H.264', () => {
    const initOf = (b: Buffer) => {
      const first = new Fmp4Splitter().push(b)[0]!;
      return first.kind === 'init' ? first.init.codec : '';
    };
    expect(initOf(ffmpegFmp4(['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1']))).toMatch(/^hvc1\.1\.6\.L\d+\.B0$/);
    expect(initOf(ffmpegFmp4(['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error']))).toMatch(/^hev1\.1\.6\.L\d+\.B0$/);
    expect(initOf(ffmpegFmp4(['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p']))).toBe('mp4v.6c');
  });
});

// The renderer's WebCodecs feed reads the same bytes with preload/mp4.ts: the decoder's description
// and timescale from the init segment, one picture and its time from each fragment.
describe('what a WebCodecs decoder gets from the gateway stream (preload/mp4.ts)', () => {
  const out = new Fmp4Splitter().push(ffmpegFmp4());
  const init = out[0]!.kind === 'init' ? out[0]!.init : null;
  const frags = out.flatMap((o) => (o.kind === 'fragment' ? [o.fragment.data] : []));

  it('takes the avcC record as the description (its profile and level match the codec string) and the track timescale', () => {
    const setup = decoderSetup(init!.data)!;
    expect(setup).not.toBeNull();
    expect(setup.description[0]).toBe(1); // configurationVersion
    const hex = [...setup.description.subarray(1, 4)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
    expect(init!.codec).toBe(`avc1.${hex}`);
    expect(setup.timescale).toBeGreaterThan(0);
    expect(decoderSetup(new Uint8Array(16))).toBeNull();
  });

  it("takes each fragment's mdat as one picture, an IDR first, with increasing times", () => {
    const nalTypes = (au: Uint8Array) => {
      const types: number[] = [];
      for (let p = 0; p + 4 < au.length; p += 4 + u32(au, p)) types.push(au[p + 4]! & 0x1f);
      return types;
    };
    expect(nalTypes(mdatPayload(frags[0]!)!)).toContain(5);
    expect(nalTypes(mdatPayload(frags[1]!)!)).not.toContain(5);
    const times = frags.map((f) => decodeTime(f)!);
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    expect(mdatPayload(new Uint8Array(8))).toBeNull();
  });
});
