import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatList, FfmpegMissingError, findFfmpeg, ingestArgs, prestartedIngestArgs } from './ffmpeg.js';
import { ffmpegMajor } from './ffmpeg-pool.js';

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

  it('looks for ffmpeg.exe on PATH on Windows', () => {
    const w = mkdtempSync(join(tmpdir(), 'ff-w-'));
    writeFileSync(join(w, 'ffmpeg.exe'), '');
    chmodSync(join(w, 'ffmpeg.exe'), 0o755);
    expect(findFfmpeg(null, { PATH: `${c}:${w}` }, 'win32')).toBe(join(w, 'ffmpeg.exe'));
    expect(findFfmpeg(null, { PATH: `${c}:${w}` }, 'linux')).toBe(join(c, 'ffmpeg'));
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

describe('prestarted ingests', () => {
  it('start with the ingest outputs and no camera: the input is an ffconcat list on stdin, through camera protocols only', () => {
    const args = prestartedIngestArgs('/tmp/pantau-hls-x');
    expect(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2)).toEqual(['-i', 'pipe:0']);
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 2)).toEqual(['-f', 'concat']);
    const whitelist = args[args.indexOf('-protocol_whitelist') + 1]!.split(',');
    expect(whitelist).toContain('rtsp');
    for (const p of ['file', 'http', 'https', 'data', 'subfile', 'concat']) expect(whitelist).not.toContain(p);
    // The same outputs as a fresh ingest's.
    const fresh = ingestArgs('rtsp://h/x', 'tcp', '/tmp/pantau-hls-x');
    expect(args.slice(args.indexOf('-map'))).toEqual(fresh.slice(fresh.indexOf('-map')));
  });

  it('are aimed by a list holding the URL as one quoted token and the fresh ingest input options', () => {
    const list = concatList("rtsp://u:p'w@h:554/a b?c=1", 'udp');
    expect(list.split('\n')).toEqual([
      'ffconcat version 1.0',
      "file 'rtsp://u:p'\\''w@h:554/a b?c=1'",
      'option rtsp_transport udp',
      'option timeout 5000000',
      'option analyzeduration 100000',
      'option probesize 32768',
      '',
    ]);
    // A line break would start a new directive (another file): refused, whatever checked the URL before.
    expect(() => concatList('rtsp://h/x\nfile /etc/passwd', 'tcp')).toThrow(/control characters/);
  });

  it('need ffmpeg 5.0 or newer (per-file options in ffconcat); builds that do not say are tried', () => {
    expect(ffmpegMajor('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026')).toBe(5);
    expect(ffmpegMajor('ffmpeg version n7.1 Copyright')).toBe(7);
    expect(ffmpegMajor('ffmpeg version 4.4.2-0ubuntu0.22.04.1')).toBe(4);
    expect(ffmpegMajor('ffmpeg version N-112233-gabcdef Copyright')).toBeNull();
  });
});
