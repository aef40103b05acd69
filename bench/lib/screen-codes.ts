/**
 * What the screen shows, read from screenshots (runtime: Node, Playwright): every demo clip carries
 * its frame number as a code of squares (main/demo/clips.ts, FRAME_CODE). At a low rate this takes a
 * screenshot of the window as composited, reads each live tile's code where its picture is drawn, and
 * says how far each tile's picture advanced on the screen against how far its camera did. A tile whose
 * pictures are drawn but never reach the screen, or reach it late and in bursts, shows here and not in
 * the media worker's counts.
 */
import type { Page } from 'playwright-core';
import { FRAME_CODE } from '../../main/demo/clips';

export interface ScreenCodes {
  keys: string[];
  /**
   * Per tile: frames the on-screen code advanced, as % of what the camera sent over the same time
   * (between its first and last readable sample); null for a tile read fewer than twice.
   */
  advancePct: (number | null)[];
  /** Per tile: samples whose code had not changed since the one before (no new picture on screen). */
  repeated: number[];
  /** Per tile: samples whose code could not be read (no picture, covered, a damaged code or a misread). */
  unreadable: number[];
  samples: number;
  /** How long a screenshot took, on average (ms). */
  shotMs: number;
}

/** Each live tile's key and the rectangle its picture fills (16:9 fitted inside the front element). */
function pictureRects(page: Page) {
  return page.locator('[data-tile][data-state="live"]').evaluateAll((els) =>
    els.flatMap((t) => {
      const el = t.querySelector<HTMLElement>('canvas[data-front="1"]:not([hidden]), video[data-front="1"]:not([hidden])');
      if (!el) return [];
      const r = el.getBoundingClientRect();
      const v = el instanceof HTMLVideoElement && el.videoWidth ? el.videoWidth / el.videoHeight : 16 / 9;
      const w = Math.min(r.width, r.height * v);
      const h = w / v;
      return [
        { key: `${(t as HTMLElement).dataset.monitor}:${(t as HTMLElement).dataset.tile}`, rect: [r.left + (r.width - w) / 2, r.top + (r.height - h) / 2, w, h] as [number, number, number, number] },
      ];
    }),
  );
}

/**
 * Reads the codes in one screenshot: a frame number per rectangle, or -1 where none can be read. It is
 * decoded in `reader`, a blank page of its own, so the wall's own main thread does none of the work.
 */
function readCodes(reader: Page, jpeg: Buffer, cssWidth: number, rects: [number, number, number, number][]): Promise<number[]> {
  return reader.evaluate(
    async ({ b64, cssWidth, rects, code }) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }));
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const scale = bitmap.width / cssWidth;
      const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const luma = (x: number, y: number) => {
        const at = (Math.round(y * scale) * bitmap.width + Math.round(x * scale)) * 4;
        return 0.299 * px[at]! + 0.587 * px[at + 1]! + 0.114 * px[at + 2]!;
      };
      return rects.map(([x, y, w, h]) => {
        const cy = y + h / 2;
        const centre = (i: number) => x + w * (code.left + code.pitch * i + code.cell / 2);
        // A square is white or black; anything between is a blurred or covered code.
        const bit = (i: number) => {
          const l = luma(centre(i), cy);
          return l >= 160 ? 1 : l <= 96 ? 0 : -1;
        };
        if (bit(0) !== 1) return -1; // no finder: no code here
        let n = 0;
        let ones = 0;
        for (let k = 0; k < code.bits; k++) {
          const b = bit(k + 1);
          if (b < 0) return -1;
          n += b * 2 ** k;
          ones += b;
        }
        if (bit(code.bits + 1) !== ones % 2) return -1; // the parity bit disagrees: misread
        return n;
      });
    },
    { b64: jpeg.toString('base64'), cssWidth, rects, code: FRAME_CODE },
  );
}

/**
 * Samples the window every `gapMs` for `ms`. `framesPerLoop`: the clips' length in frames (their code
 * starts again at 0 when they loop); `fps`: the cameras' rate.
 */
export async function screenCodes(page: Page, ms: number, gapMs: number, fps: number, framesPerLoop: number): Promise<ScreenCodes> {
  const tiles = await pictureRects(page);
  const cssWidth = await page.evaluate(() => innerWidth);
  // Taken first, read after: reading between shots would load the machine while the next is taken.
  const shots: { at: number; jpeg: Buffer; ms: number }[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t0 = Date.now();
    // JPEG: a PNG of a 1600x900 window took the loaded machine over a second to encode and slowed the
    // wall it measured; the code's black and white squares read the same through JPEG.
    const jpeg = await page.screenshot({ type: 'jpeg', quality: 85 });
    // When it was asked for: the window is captured at its next frame, and most of the call's time is
    // the encoding and the transfer that follow.
    shots.push({ at: t0, jpeg, ms: Date.now() - t0 });
    await page.waitForTimeout(Math.max(0, gapMs - (Date.now() - t0)));
  }
  const reader = await page.context().browser()!.newPage();
  const seen: { at: number; codes: number[] }[] = [];
  for (const shot of shots)
    seen.push({
      at: shot.at,
      codes: await readCodes(
        reader,
        shot.jpeg,
        cssWidth,
        tiles.map((t) => t.rect),
      ),
    });
  await reader.close();
  const out: ScreenCodes = {
    keys: tiles.map((t) => t.key),
    advancePct: [],
    repeated: [],
    unreadable: [],
    samples: seen.length,
    shotMs: Math.round(shots.reduce((a, x) => a + x.ms, 0) / Math.max(1, shots.length)),
  };
  tiles.forEach((_, i) => {
    // The tile's frame numbers unwrapped (a clip that looped goes on counting), against time.
    const points: { t: number; f: number }[] = [];
    let repeated = 0;
    let misread = 0;
    let last: { at: number; code: number } | null = null;
    for (const sample of seen) {
      const code = sample.codes[i]!;
      if (code < 0) continue;
      if (last !== null) {
        const step = (code - last.code + framesPerLoop) % framesPerLoop;
        // A code half hidden by an alert's box can pass its parity and read as any number: a step
        // more than 4 times what the camera sent in the time (or backwards, which wraps to a big one)
        // is a misread, not a picture, and is left out.
        if (step > 4 * fps * ((sample.at - last.at) / 1000) + fps) {
          misread++;
          continue;
        }
        if (step === 0) repeated++;
        points.push({ t: sample.at / 1000, f: points.at(-1)!.f + step });
      } else points.push({ t: sample.at / 1000, f: 0 });
      last = { at: sample.at, code };
    }
    // The rate is the least-squares slope over every sample, not the first and last alone: when a
    // screenshot is captured within its call varies by a few hundred ms, which two points would carry
    // whole into the figure.
    out.advancePct.push(points.length >= 2 ? Math.round((slope(points) / fps) * 100) : null);
    out.repeated.push(repeated);
    out.unreadable.push(seen.filter((x) => x.codes[i]! < 0).length + misread);
  });
  return out;
}

/** Least-squares slope of f over t. */
function slope(points: { t: number; f: number }[]): number {
  const mt = points.reduce((a, p) => a + p.t, 0) / points.length;
  const mf = points.reduce((a, p) => a + p.f, 0) / points.length;
  const cov = points.reduce((a, p) => a + (p.t - mt) * (p.f - mf), 0);
  const vt = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return vt > 0 ? cov / vt : 0;
}
