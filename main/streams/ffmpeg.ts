/**
 * Finding ffmpeg and building its argument arrays (runtime: Node).
 *
 * ffmpeg always runs from an argument array, never through a shell. The camera URL is one array element
 * after `-i` and has already passed checkSourceUrl, so no camera field can become an ffmpeg option.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export class FfmpegMissingError extends Error {
  constructor(tried: string[]) {
    super(
      `ffmpeg not found (looked at: ${tried.join(', ') || 'PATH'}). ` +
        'Install it (Debian/Ubuntu: sudo apt-get install ffmpeg) or set FFMPEG_PATH or the ffmpegPath setting. ' +
        'ffmpeg belum terpasang: pasang dengan "sudo apt-get install ffmpeg" atau atur FFMPEG_PATH.',
    );
    this.name = 'FfmpegMissingError';
  }
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Settings first, then FFMPEG_PATH, then PATH. */
export function findFfmpeg(configured?: string | null, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const tried: string[] = [];
  for (const candidate of [configured, env.FFMPEG_PATH]) {
    if (!candidate) continue;
    tried.push(candidate);
    if (executable(candidate)) return candidate;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    // Windows (the NSIS install): ffmpeg.exe on PATH; the packages don't carry ffmpeg (README, Installers).
    const file = join(dir, platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
    if (executable(file)) return file;
  }
  throw new FfmpegMissingError(tried);
}

export type RtspTransport = 'tcp' | 'udp';

/** Rolling HLS window written by the same ffmpeg: 1 s segments (the GOP), 120 of them: 2 minutes. */
export const HLS_WINDOW = { segmentSeconds: 1, segments: 120 } as const;

/**
 * Options for reading a camera (before `-i`, or per file in an ffconcat list). Short probing: the SDP
 * already carries SPS/PPS, so a long probe only delays the first frame (bench/README.md, first-frame).
 * Not `-fflags nobuffer`: it throws away the packets read while probing, and when the camera's
 * keyframe is among them the ingest waits a whole GOP for the next one (bench/README.md,
 * district-switch). It does not change the delay once video flows.
 */
function cameraInputOptions(transport: RtspTransport): [string, string][] {
  return [['rtsp_transport', transport], ['timeout', '5000000'], ...SHORT_PROBE];
}

const SHORT_PROBE: [string, string][] = [
  ['analyzeduration', '100000'],
  ['probesize', '32768'],
];

/**
 * ffmpeg's RTSP reader gives a camera's first frame no timestamp, and every later frame the
 * camera's time plus the start of the Range in the server's PLAY answer (`npt=226.5-` from a server
 * whose stream has been running for 226 s; many cameras answer their uptime). The muxers put the
 * first frame at 0, so the HLS window began with one keyframe lasting minutes, and a replay that
 * started inside it showed one still picture. This gives a frame without a timestamp the next
 * frame's, less 40 ms. It holds back one frame to read the next one's time, so it is on the replay
 * window only: the live output keeps its latency (the live player goes to the live edge anyway).
 */
const FIRST_FRAME_TIME = 'setts=ts=if(eq(PTS\\,NOPTS)\\,NEXT_PTS-0.04/TB\\,TS)';

/** What an ingest writes: the camera's own video as fragmented MP4 on stdout, and the HLS window. */
function ingestOutputArgs(hlsDir?: string): string[] {
  return [
    '-map',
    '0:v:0',
    '-an',
    '-c:v',
    'copy',
    '-f',
    'mp4',
    '-movflags',
    'empty_moov+default_base_moof+frag_every_frame',
    'pipe:1',
    ...(hlsDir
      ? [
          '-map',
          '0:v:0',
          '-an',
          '-c:v',
          'copy',
          '-bsf:v',
          FIRST_FRAME_TIME,
          '-f',
          'hls',
          '-hls_time',
          String(HLS_WINDOW.segmentSeconds),
          '-hls_list_size',
          String(HLS_WINDOW.segments),
          '-hls_flags',
          'delete_segments+independent_segments+omit_endlist',
          '-hls_segment_type',
          'fmp4',
          '-hls_fmp4_init_filename',
          'init.mp4',
          '-hls_segment_filename',
          `${hlsDir}/seg%05d.m4s`,
          `${hlsDir}/index.m3u8`,
        ]
      : []),
  ];
}

/**
 * Live ingest: RTSP in, the camera's own H.264 out as fragmented MP4 on stdout, no transcoding; with
 * `hlsDir`, the same packets also go to a rolling HLS window there (for instant replay).
 */
export function ingestArgs(url: string, transport: RtspTransport, hlsDir?: string): string[] {
  return ['-hide_banner', '-nostdin', '-loglevel', 'warning', ...cameraInputOptions(transport).flatMap(([k, v]) => [`-${k}`, v]), '-flags', 'low_delay', '-i', url, ...ingestOutputArgs(hlsDir)];
}

/**
 * A prestarted ingest (see ffmpeg-pool.ts): the same outputs as ingestArgs, but the camera is not
 * known yet. ffmpeg starts, loads its libraries (most of its start-up cost) and waits for an
 * ffconcat list on stdin naming the one camera to read (concatList). Only the protocols a camera
 * stream needs may be opened through that list: no files, no HTTP.
 */
export function prestartedIngestArgs(hlsDir: string): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'warning',
    '-flags',
    'low_delay',
    // The list's own reader probes its one camera as briefly.
    ...SHORT_PROBE.flatMap(([k, v]) => [`-${k}`, v]),
    '-f',
    'concat',
    '-safe',
    '0',
    '-protocol_whitelist',
    'pipe,rtsp,rtsps,rtp,srtp,tcp,udp,tls',
    '-i',
    'pipe:0',
    ...ingestOutputArgs(hlsDir),
  ];
}

/**
 * The ffconcat list that points a prestarted ingest at its camera: the URL as one quoted token (a
 * quote inside it is escaped the way ffconcat reads it) and the same input options as ingestArgs.
 * The URL has passed checkSourceUrl, so it has no spaces or line breaks; they are refused here too.
 */
export function concatList(url: string, transport: RtspTransport): string {
  if (/[\u0000-\u001f\u007f]/.test(url)) throw new Error('camera URL contains control characters');
  const quoted = `'${url.replaceAll("'", "'\\''")}'`;
  return ['ffconcat version 1.0', `file ${quoted}`, ...cameraInputOptions(transport).map(([k, v]) => `option ${k} ${v}`), ''].join('\n');
}

/** MPEG-1 for the JSMpeg fallback: 25 fps (MPEG-1 has no 15), a GOP of half a second, at most 640 wide. */
export const MPEG1_OUTPUT = { fps: 25, gopFrames: 12, maxWidth: 640, bitrateK: 700 } as const;

/**
 * The fallback transcode for codecs the browser can't decode (H.265, Motion JPEG): the ingest's own
 * fragmented MP4 in on stdin (so the camera still sees one RTSP session), MPEG-1 video in MPEG-TS out
 * on stdout, which is what JSMpeg decodes. No argument comes from the camera or the catalog.
 */
export function transcodeArgs(): string[] {
  const o = MPEG1_OUTPUT;
  return [
    '-hide_banner',
    '-loglevel',
    'warning',
    // The input is already a clean stream from our own ingest: no probing delay, no input buffering.
    '-fflags',
    'nobuffer',
    '-flags',
    'low_delay',
    '-probesize',
    '32768',
    '-analyzeduration',
    '0',
    '-f',
    'mp4',
    '-i',
    'pipe:0',
    '-map',
    '0:v:0',
    '-an',
    '-vf',
    `scale='min(${o.maxWidth},iw)':-2`,
    '-c:v',
    'mpeg1video',
    '-b:v',
    `${o.bitrateK}k`,
    '-r',
    String(o.fps),
    '-g',
    String(o.gopFrames),
    '-bf',
    '0',
    '-f',
    'mpegts',
    // One write per frame, so a viewer gets each frame as soon as it is encoded.
    '-flush_packets',
    '1',
    '-muxdelay',
    '0',
    'pipe:1',
  ];
}
