/**
 * A "clock camera" for latency measurements (runtime: Node): ffmpeg encodes live, stamps each frame
 * with the wall clock when it is captured, and draws that epoch time in milliseconds (mod 2^32) as
 * 32 blocks, least significant bit at the left, white = 1. A page reads the blocks back from each
 * presented frame; now minus the value is the glass-to-glass latency, both on this machine's clock.
 */
export const CLOCK_BITS = 32;
export const CLOCK_BLOCK = { width: 10, height: 20 } as const;

export function clockCameraArgs(gopFrames: number, rtpUrl: string, fps = 15): string[] {
  const boxes = Array.from(
    { length: CLOCK_BITS },
    (_, i) => `drawbox=x=${i * CLOCK_BLOCK.width}:y=0:w=${CLOCK_BLOCK.width}:h=${CLOCK_BLOCK.height}:color=white:t=fill:enable='eq(mod(floor(t*1000/${2 ** i})\\,2)\\,1)'`,
  ).join(',');
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    // Timestamps are the wall clock at capture, so `t` in the filters is epoch seconds.
    '-use_wallclock_as_timestamps',
    '1',
    '-copyts',
    '-f',
    'lavfi',
    '-i',
    `color=c=0x202020:s=320x180:r=${fps},realtime`,
    '-vf',
    boxes,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-pix_fmt',
    'yuv420p',
    '-g',
    String(gopFrames),
    '-keyint_min',
    String(gopFrames),
    '-sc_threshold',
    '0',
    '-bf',
    '0',
    '-x264-params',
    'repeat-headers=1',
    '-b:v',
    '300k',
    '-f',
    'rtp',
    rtpUrl,
  ];
}

/** Decodes the clock from a row of RGBA pixels sampled at the blocks' centres. */
export function decodeClock(luma: (bit: number) => number): number {
  let v = 0;
  for (let i = 0; i < CLOCK_BITS; i++) if (luma(i) > 128) v += 2 ** i;
  return v;
}
