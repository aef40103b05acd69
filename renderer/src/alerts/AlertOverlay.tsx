/**
 * A camera's alerts drawn over its live video (runtime: browser): boxes with label and score, a
 * count badge for crowds and market traders, severity colours, and a fade over the last third of
 * the overlay time. Boxes are placed on the video's real picture area (object-fit: contain leaves
 * letterbox or pillarbox bars), measured from the tile's front <video>. The layer never takes
 * pointer events and sits below the tile's name and state. Critical alerts flash the tile.
 *
 * Boxes, labels and badges are drawn on one <canvas> per tile, not built from DOM boxes: on a wall
 * without a GPU, repainting DOM overlays over dozens of software-decoded videos cost many times the
 * frames a canvas costs under an alert flood (bench/README.md, alert-flood, has the figures). What
 * is drawn is also described in a hidden list (data-alert-id, -type, -severity, -count, -boxes) for
 * tests, benchmarks and inspection. Labels are drawn as text with fillText: nothing in an alert is
 * ever parsed as HTML.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AlertView } from '../../../preload/contract';
import { useCameraAlerts } from './store';

export interface PictureRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where a video of videoW×videoH lands inside a box of boxW×boxH with object-fit: contain. */
export function containRect(boxW: number, boxH: number, videoW: number, videoH: number): PictureRect {
  if (!videoW || !videoH || !boxW || !boxH) return { x: 0, y: 0, w: boxW, h: boxH };
  const scale = Math.min(boxW / videoW, boxH / videoH);
  const w = videoW * scale;
  const h = videoH * scale;
  return { x: (boxW - w) / 2, y: (boxH - h) / 2, w, h };
}

/** The newest alert of each type still within the overlay time, newest first. */
export function drawable(alerts: readonly AlertView[], now: number, overlayMs: number): AlertView[] {
  const seen = new Set<string>();
  const out: AlertView[] = [];
  for (const a of alerts) {
    if (now - a.receivedAt >= overlayMs || seen.has(a.type)) continue;
    seen.add(a.type);
    out.push(a);
  }
  return out;
}

/** The size of the picture the tile shows: its front canvas's (WebCodecs, MPEG-1) or its front video's. */
function pictureSize(tile: Element): [number, number] {
  // The front one; while a new stream's first picture is reported it is not front yet (it becomes
  // so when the tile goes live), and is the only canvas with a picture.
  const canvas = tile.querySelector<HTMLCanvasElement>('canvas[data-front="1"][data-picture-size]:not([hidden])') ?? tile.querySelector<HTMLCanvasElement>('canvas[data-picture-size]:not([hidden])');
  const size = canvas?.dataset.pictureSize?.match(/^(\d+)x(\d+)$/);
  if (size) return [Number(size[1]), Number(size[2])];
  const v = tile.querySelector<HTMLVideoElement>('video[data-front="1"]:not([hidden])');
  return [v?.videoWidth ?? 0, v?.videoHeight ?? 0];
}

function usePictureRect(layer: React.RefObject<HTMLDivElement | null>): PictureRect | null {
  const [rect, setRect] = useState<PictureRect | null>(null);
  useLayoutEffect(() => {
    const tile = layer.current?.parentElement;
    if (!tile) return;
    const measure = () => {
      const [w, h] = pictureSize(tile);
      const next = containRect(tile.clientWidth, tile.clientHeight, w, h);
      setRect((cur) => (cur && cur.x === next.x && cur.y === next.y && cur.w === next.w && cur.h === next.h ? cur : next));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(tile);
    // Media events don't bubble, but the capture phase passes through the tile.
    tile.addEventListener('resize', measure, true);
    tile.addEventListener('loadedmetadata', measure, true);
    return () => {
      ro.disconnect();
      tile.removeEventListener('resize', measure, true);
      tile.removeEventListener('loadedmetadata', measure, true);
    };
  }, [layer]);
  return rect;
}

const FLASH_MS = 6_000;
const FLASH_HALF_MS = 500;
/** Fade steps and expiries are redrawn on these wall-clock boundaries, all tiles together. */
const TICK_MS = 250;
const FLASH_WIDTH = 6;

/**
 * The fade: full for the first two thirds of the overlay time, then four steps down. Stepped in
 * JS rather than a CSS animation: a wall without a GPU would otherwise repaint every overlay on
 * every frame, which the alert-flood benchmark showed costs the videos' frames.
 */
const FADE_STEPS = 4;
export function fadeOf(elapsed: number, overlayMs: number): number {
  const start = (overlayMs * 2) / 3;
  if (elapsed < start) return 1;
  const step = Math.floor(((elapsed - start) / (overlayMs - start)) * FADE_STEPS) + 1;
  return Math.max(0, 1 - step / (FADE_STEPS + 1));
}
function nextFadeStep(elapsed: number, overlayMs: number): number {
  const start = (overlayMs * 2) / 3;
  if (elapsed < start) return start;
  const len = (overlayMs - start) / FADE_STEPS;
  return start + (Math.floor((elapsed - start) / len) + 1) * len;
}

export function AlertOverlay({ cameraId }: { cameraId: string }) {
  const { alerts, config } = useCameraAlerts(cameraId);
  const layer = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const rect = usePictureRect(layer);
  const [now, setNow] = useState(() => Date.now());
  const overlayMs = (config?.overlaySeconds ?? 10) * 1000;
  const shown = drawable(alerts, now, overlayMs);
  const newest = alerts[0];

  // Re-render when an alert arrives or the overlay time changes, and at the next fade step or
  // expiry of a drawn one.
  useEffect(() => setNow(Date.now()), [alerts, overlayMs]);
  const nextStep = shown.length ? Math.min(...shown.map((a) => nextFadeStep(now - a.receivedAt, overlayMs) + a.receivedAt)) : null;
  useEffect(() => {
    if (nextStep === null) return;
    // On the next quarter second of the wall clock after the step, like every other tile's steps.
    const at = Math.ceil(nextStep / TICK_MS) * TICK_MS;
    const id = window.setTimeout(() => setNow(Date.now()), Math.max(0, at - Date.now()) + 5);
    return () => window.clearTimeout(id);
  }, [nextStep]);

  // A critical alert flashes the tile's frame for 6 s at 2 Hz, drawn on the canvas. The toggles
  // follow the wall clock's half seconds, so every flashing tile of a window changes in the same
  // frame (on a GPU-less wall, each frame with overlay changes costs the videos frames; a DOM
  // border toggled per tile cost a flooded wall many of its frames: bench/README.md, alert-flood).
  const flashing = newest && newest.severity === 'critical' && !newest.ack && now - newest.receivedAt < FLASH_MS;
  useEffect(() => {
    if (!flashing) return;
    let id = 0;
    const next = () => {
      id = window.setTimeout(
        () => {
          setNow(Date.now());
          next();
        },
        FLASH_HALF_MS - (Date.now() % FLASH_HALF_MS) + 5,
      );
    };
    next();
    return () => window.clearTimeout(id);
  }, [flashing]);
  const flashOn = !!flashing && Math.floor(now / FLASH_HALF_MS) % 2 === 0;

  const badges = shown.filter((a) => a.count !== null && a.count !== undefined && (a.type === 'crowd' || a.type === 'trader_count'));
  // Draw when what is drawn changes (alerts, fade step, flash, size), not on every render: each
  // canvas update is a frame with overlay damage, which a GPU-less wall pays for in video frames.
  const drawn = useRef<{ canvas: HTMLCanvasElement | null; key: string }>({ canvas: null, key: '' });
  useLayoutEffect(() => {
    const c = canvas.current;
    if (!c || !rect) return;
    const key = [c.clientWidth, c.clientHeight, rect.x, rect.y, rect.w, rect.h, flashOn, ...shown.map((a) => `${a.id}:${fadeOf(now - a.receivedAt, overlayMs)}`)].join('|');
    if (c === drawn.current.canvas && key === drawn.current.key) return; // a new canvas starts blank
    drawn.current = { canvas: c, key };
    paintOverlay(c, rect, shown, badges, now, overlayMs, flashOn);
  });

  return (
    <div ref={layer} className="alert-layer pointer-events-none absolute inset-0 overflow-hidden" data-alert-overlay={cameraId} aria-hidden="true">
      {rect && (
        // The whole tile, pixel for pixel: a canvas scaled or placed between pixels would be
        // resampled by a GPU-less compositor on every frame.
        <canvas
          ref={canvas}
          className="absolute inset-0 h-full w-full"
          data-alert-canvas={cameraId}
          data-alert-flash={flashing ? `${newest.id}:${flashOn ? 'on' : 'off'}` : undefined}
          data-picture-rect={[rect.x, rect.y, rect.w, rect.h].map((v) => v.toFixed(2)).join(',')}
        />
      )}
      <ul hidden data-alert-list={cameraId}>
        {shown.map((a) => (
          <li
            key={a.type}
            data-alert-id={a.id}
            data-alert-time={a.time}
            data-severity={a.severity}
            data-type={a.type}
            data-alert-count={badges.includes(a) ? (a.count ?? undefined) : undefined}
            data-boxes={a.boxes.map((b) => b.box.join(',')).join(';')}
          >
            {a.count ?? ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Severity colours, from the theme's CSS variables (read once). */
let palette: Record<AlertView['severity'], string> | null = null;
function colours(): Record<AlertView['severity'], string> {
  if (!palette) {
    const css = getComputedStyle(document.documentElement);
    const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    palette = { info: v('--severity-info', '#38bdf8'), warning: v('--severity-warning', '#f59e0b'), critical: v('--severity-critical', '#ef4444') };
  }
  return palette;
}

export const BADGE = { x: 4, y: 28, h: 28, gap: 4 } as const;

/** Draws the alerts on the tile's canvas, in CSS pixels of the picture area. */
function paintOverlay(c: HTMLCanvasElement, rect: PictureRect, shown: readonly AlertView[], badges: readonly AlertView[], now: number, overlayMs: number, flashOn: boolean): void {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(c.clientWidth * dpr));
  const h = Math.max(1, Math.round(c.clientHeight * dpr));
  if (c.width !== w || c.height !== h) {
    c.width = w;
    c.height = h;
  }
  const ctx = c.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const sev = colours();
  if (flashOn) {
    // The tile's frame, 6 CSS pixels wide, visible from across the room.
    ctx.lineWidth = FLASH_WIDTH * dpr;
    ctx.strokeStyle = sev.critical;
    ctx.strokeRect((FLASH_WIDTH * dpr) / 2, (FLASH_WIDTH * dpr) / 2, w - FLASH_WIDTH * dpr, h - FLASH_WIDTH * dpr);
  }
  // From here on, CSS pixels of the picture area (inside the tile's bars).
  ctx.setTransform(dpr, 0, 0, dpr, rect.x * dpr, rect.y * dpr);
  ctx.textBaseline = 'top';
  // Oldest first, so the newest alert is on top.
  for (const a of [...shown].reverse()) {
    ctx.globalAlpha = fadeOf(now - a.receivedAt, overlayMs);
    ctx.font = 'bold 10px system-ui, sans-serif';
    for (const b of a.boxes) {
      const [x, y, bw, bh] = [b.box[0] * rect.w, b.box[1] * rect.h, b.box[2] * rect.w, b.box[3] * rect.h];
      ctx.lineWidth = 4;
      ctx.strokeStyle = 'rgba(0,0,0,0.6)';
      ctx.strokeRect(x, y, bw, bh);
      ctx.lineWidth = 2;
      ctx.strokeStyle = sev[a.severity];
      ctx.strokeRect(x, y, bw, bh);
      const label = `${b.label} ${Math.round(b.score * 100)}%`;
      const lw = ctx.measureText(label).width + 6;
      const ly = y >= 15 ? y - 15 : y + 2;
      ctx.fillStyle = sev[a.severity];
      ctx.fillRect(x - 1, ly, lw, 14);
      ctx.fillStyle = '#000';
      ctx.fillText(label, x + 2, ly + 2);
    }
  }
  badges.forEach((a, i) => {
    ctx.globalAlpha = fadeOf(now - a.receivedAt, overlayMs);
    ctx.font = '900 18px system-ui, sans-serif';
    const text = String(a.count);
    const bw = Math.max(BADGE.h, ctx.measureText(text).width + 16);
    const y = BADGE.y + i * (BADGE.h + BADGE.gap);
    ctx.beginPath();
    ctx.roundRect(BADGE.x, y, bw, BADGE.h, BADGE.h / 2);
    ctx.fillStyle = sev[a.severity];
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = 'rgba(0,0,0,0.7)';
    ctx.stroke();
    ctx.fillStyle = '#000';
    ctx.fillText(text, BADGE.x + (bw - ctx.measureText(text).width) / 2, y + 5);
  });
  ctx.globalAlpha = 1;
}
