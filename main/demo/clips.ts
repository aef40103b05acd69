/**
 * Demo clip recipes and their cache (runtime: Node).
 *
 * Each demo camera has a main (1280x720) and a sub (320x180) clip: a moving test pattern in its own
 * hue, labelled with the camera and a running clock (clip time, mm:ss.cc, and frame number), and
 * carrying the frame number as a machine-readable code (FRAME_CODE) that a screenshot can read. They are
 * encoded once with x264 (no B-frames, 1 s GOP, SPS/PPS before every keyframe) and cached by recipe
 * hash, so publishing is a `-c copy` that costs almost no CPU.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface ClipSpec {
  camera: number;
  quality: 'main' | 'sub';
  width: number;
  height: number;
  fps: number;
  seconds: number;
  gopSeconds: number;
  bitrateK: number;
  /** H.265 for the cameras that exercise the JSMpeg fallback; H.264 otherwise. */
  codec?: 'h264' | 'hevc';
}

export const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export function clipSpecs(cameras: number, seconds = 30): ClipSpec[] {
  const specs: ClipSpec[] = [];
  for (let camera = 1; camera <= cameras; camera++) {
    specs.push({ camera, quality: 'main', width: 1280, height: 720, fps: 15, seconds, gopSeconds: 1, bitrateK: 900 });
    specs.push({ camera, quality: 'sub', width: 320, height: 180, fps: 15, seconds, gopSeconds: 1, bitrateK: 320 });
  }
  return specs;
}

/** H.265 cameras (MSE in Chromium can't play them without a hardware decoder): one 640x360 stream each. */
export function hevcClipSpecs(cameras: number, seconds = 30): ClipSpec[] {
  return Array.from({ length: cameras }, (_, i) => ({ camera: i + 1, quality: 'main' as const, width: 640, height: 360, fps: 15, seconds, gopSeconds: 1, bitrateK: 500, codec: 'hevc' as const }));
}

function codecArgs(spec: ClipSpec, gop: string): string[] {
  if (spec.codec === 'hevc') {
    return [
      '-c:v',
      'libx265',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-pix_fmt',
      'yuv420p',
      '-b:v',
      `${spec.bitrateK}k`,
      '-x265-params',
      `keyint=${gop}:min-keyint=${gop}:scenecut=0:bframes=0:repeat-headers=1:log-level=error`,
    ];
  }
  return [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-profile:v',
    'main',
    '-pix_fmt',
    'yuv420p',
    '-g',
    gop,
    '-keyint_min',
    gop,
    '-sc_threshold',
    '0',
    '-bf',
    '0',
    '-b:v',
    `${spec.bitrateK}k`,
    '-maxrate',
    `${spec.bitrateK * 1.5}k`,
    '-bufsize',
    `${spec.bitrateK}k`,
    '-x264-params',
    'repeat-headers=1',
  ];
}

/**
 * The frame code burned into every demo clip, so what the screen shows can be read from a screenshot
 * (bench/lib/screen-codes.ts): on a black strip at the picture's left edge, half-way down, a white
 * finder square, then the frame's number within the clip (`n`, which starts again when the clip
 * loops), lowest bit first, then a parity bit (their sum's lowest bit), each a square, white for 1 and
 * black for 0. Sizes are fractions of the picture's width, so the code scales with the stream: 8 px
 * squares 4 px apart on a 320x180 sub stream, 32 px on a 1280x720 main.
 */
export const FRAME_CODE = { bits: 9, cell: 1 / 40, pitch: 1.5 / 40, left: 2 / 40 } as const;

/** The drawbox filters that draw FRAME_CODE (no commas in their expressions: bit k of n is floor(n/2^k) - 2*floor(n/2^(k+1))). */
function frameCodeFilters(width: number, height: number): string[] {
  const [cell, pitch, left] = [FRAME_CODE.cell, FRAME_CODE.pitch, FRAME_CODE.left].map((f) => Math.round(width * f)) as [number, number, number];
  const top = Math.round(height / 2 - cell / 2);
  const margin = Math.round(cell / 2);
  const box = (i: number, enable?: string) => `drawbox=x=${left + pitch * i}:y=${top}:w=${cell}:h=${cell}:color=white:t=fill${enable ? `:enable=${enable}` : ''}`;
  const bits = Array.from({ length: FRAME_CODE.bits }, (_, k) => `(floor(n/${2 ** k})-2*floor(n/${2 ** (k + 1)}))`);
  const sum = `(${bits.join('+')})`;
  return [
    `drawbox=x=${left - margin}:y=${top - margin}:w=${pitch * (FRAME_CODE.bits + 1) + cell + 2 * margin}:h=${cell + 2 * margin}:color=black:t=fill`,
    box(0),
    ...bits.map((bit, k) => box(k + 1, bit)),
    box(FRAME_CODE.bits + 1, `${sum}-2*floor(${sum}/2)`),
  ];
}

export function encodeArgs(spec: ClipSpec, out: string): string[] {
  const label = `${spec.codec === 'hevc' ? 'H.265' : 'DEMO'} ${String(spec.camera).padStart(2, '0')}`;
  const size = spec.quality === 'main' ? (spec.width >= 1280 ? 44 : 24) : 14;
  const pad = spec.quality === 'main' ? (spec.width >= 1280 ? 24 : 12) : 6;
  const font = existsSync(FONT) ? `fontfile=${FONT}:` : '';
  const text = `${label} ${spec.quality.toUpperCase()}  %{pts\\:hms}  f%{n}`;
  const filter = [
    `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps}`,
    `hue=h=${(spec.camera * 47) % 360}`,
    `drawtext=${font}text='${text}':fontsize=${size}:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=${pad / 2}:x=(w-tw)/2:y=${pad * 2}`,
    ...frameCodeFilters(spec.width, spec.height),
  ].join(',');
  const gop = String(spec.fps * spec.gopSeconds);
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', filter, '-t', String(spec.seconds), ...codecArgs(spec, gop), '-f', 'mpegts', out];
}

export function clipFile(dir: string, spec: ClipSpec): string {
  const hash = createHash('sha1')
    .update(JSON.stringify(encodeArgs(spec, '')))
    .digest('hex')
    .slice(0, 10);
  return join(dir, `${spec.codec === 'hevc' ? 'hevc' : 'demo'}${String(spec.camera).padStart(2, '0')}-${spec.quality}-${hash}.ts`);
}

function run(ffmpeg: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg clip encode failed (${code}): ${err.slice(-400)}`))));
  });
}

/** Encodes whatever is not cached yet, two at a time; returns the file for each spec. */
export async function ensureClips(ffmpeg: string, dir: string, specs: ClipSpec[], log?: (m: string) => void): Promise<Map<ClipSpec, string>> {
  mkdirSync(dir, { recursive: true });
  const files = new Map(specs.map((s) => [s, clipFile(dir, s)] as const));
  const todo = specs.filter((s) => !existsSync(files.get(s)!));
  if (todo.length) log?.(`encoding ${todo.length} demo clips once into ${dir} …`);
  const workers = Array.from({ length: 2 }, async () => {
    for (let s = todo.shift(); s; s = todo.shift()) {
      const file = files.get(s)!;
      // Several farms (parallel tests, a demo beside a test) may encode the same clip at once: each
      // writes its own part file and the atomic rename lets the last one win harmlessly.
      const part = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
      await run(ffmpeg, encodeArgs(s, part));
      renameSync(part, file);
    }
  });
  await Promise.all(workers);
  return files;
}
