import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FfmpegMissingError, findFfmpeg, ingestArgs } from './ffmpeg.js';

function fakeBin(dir: string): string {
  const f = join(dir, 'ffmpeg');
  writeFileSync(f, '#!/bin/sh\n');
  chmodSync(f, 0o755);
  return f;
}

describe('finding ffmpeg', () => {
  const a = mkdtempSync(join(tmpdir(), 'ff-a-'));
  const b = mkdtempSync(join(tmpdir(), 'ff-b-'));
  const c = mkdtempSync(join(tmpdir(), 'ff-c-'));
  const inA = fakeBin(a);
  const inB = fakeBin(b);
  fakeBin(c);

  it('prefers the setting, then FFMPEG_PATH, then PATH', () => {
    expect(findFfmpeg(inA, { FFMPEG_PATH: inB, PATH: c })).toBe(inA);
    expect(findFfmpeg(null, { FFMPEG_PATH: inB, PATH: c })).toBe(inB);
    expect(findFfmpeg(null, { PATH: `/nonexistent:${c}` })).toBe(join(c, 'ffmpeg'));
    expect(findFfmpeg('/no/such/ffmpeg', { PATH: c })).toBe(join(c, 'ffmpeg'));
  });

  it('says how to install it when it is missing', () => {
    expect(() => findFfmpeg('/no/such/ffmpeg', { PATH: '/nonexistent' })).toThrow(FfmpegMissingError);
    expect(() => findFfmpeg(null, { PATH: '' })).toThrow(/apt-get install ffmpeg.*FFMPEG_PATH/s);
  });
});

describe('ingest arguments', () => {
  it('puts input options before -i, copies video, and passes a hostile URL as one argument', () => {
    const url = 'rtsp://h/x -f lavfi -i testsrc';
    const args = ingestArgs(url, 'tcp');
    expect(args.indexOf('-rtsp_transport')).toBeLessThan(args.indexOf('-i'));
    expect(args.indexOf('-timeout')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-i') + 1]).toBe(url);
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args.slice(args.indexOf('-c:v'), args.indexOf('-c:v') + 2)).toEqual(['-c:v', 'copy']);
  });
});
