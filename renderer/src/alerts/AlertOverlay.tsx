/**
 * A camera's alerts drawn over its live video (runtime: browser): boxes with label and score, a
 * count badge for crowds and market traders, severity colours, and a fade over the last third of
 * the overlay time. Boxes are placed on the video's real picture area (object-fit: contain leaves
 * letterbox or pillarbox bars), measured from the tile's front <video>. The layer never takes
 * pointer events and sits below the tile's name and state. Critical alerts flash the tile.
 * Messages are rendered as text (React escapes them): an HTML payload shows as its characters.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AlertView } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
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

function usePictureRect(layer: React.RefObject<HTMLDivElement | null>): PictureRect | null {
  const [rect, setRect] = useState<PictureRect | null>(null);
  useLayoutEffect(() => {
    const tile = layer.current?.parentElement;
    if (!tile) return;
    const measure = () => {
      const v = tile.querySelector<HTMLVideoElement>('video[data-front="1"]');
      const next = containRect(tile.clientWidth, tile.clientHeight, v?.videoWidth ?? 0, v?.videoHeight ?? 0);
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
const pct = (v: number) => `${Math.round(v * 100)}%`;

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
  const { t } = useI18n();
  const { alerts, config } = useCameraAlerts(cameraId);
  const layer = useRef<HTMLDivElement>(null);
  const rect = usePictureRect(layer);
  const [now, setNow] = useState(() => Date.now());
  const overlayMs = (config?.overlaySeconds ?? 10) * 1000;
  const shown = drawable(alerts, now, overlayMs);
  const newest = alerts[0];

  // Re-render when an alert arrives, and at the next fade step or expiry of a drawn one.
  useEffect(() => setNow(Date.now()), [alerts]);
  const nextStep = shown.length ? Math.min(...shown.map((a) => nextFadeStep(now - a.receivedAt, overlayMs) + a.receivedAt)) : null;
  useEffect(() => {
    if (nextStep === null) return;
    const id = window.setTimeout(() => setNow(Date.now()), Math.max(0, nextStep - Date.now()) + 20);
    return () => window.clearTimeout(id);
  }, [nextStep]);

  // A critical alert flashes the tile's frame for 6 s, toggled from JS at 2 Hz (a CSS animation
  // would make a GPU-less compositor redraw every frame).
  const flashing = newest && newest.severity === 'critical' && !newest.ack && now - newest.receivedAt < FLASH_MS;
  useEffect(() => {
    if (!flashing) return;
    const id = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(id);
  }, [flashing]);
  const flashOn = flashing && Math.floor((now - newest.receivedAt) / 500) % 2 === 0;
  return (
    <div ref={layer} className="alert-layer pointer-events-none absolute inset-0 overflow-hidden" data-alert-overlay={cameraId} aria-hidden={shown.length === 0}>
      {flashing && <div className="alert-flash absolute inset-0" style={{ opacity: flashOn ? 1 : 0 }} data-alert-flash={newest.id} />}
      {rect && (
        <div className="absolute" style={{ left: rect.x, top: rect.y, width: rect.w, height: rect.h }} data-picture-rect={`${Math.round(rect.x)},${Math.round(rect.y)},${Math.round(rect.w)},${Math.round(rect.h)}`}>
          {shown.map((a) => {
            return (
              <div key={a.type} className={`absolute inset-0 sev-${a.severity}`} style={{ opacity: fadeOf(now - a.receivedAt, overlayMs) }} data-alert-id={a.id} data-alert-time={a.time} data-severity={a.severity} data-type={a.type}>
                {a.boxes.map((b, i) => (
                  <div
                    key={i}
                    data-alert-box={`${a.id}:${i}`}
                    className="alert-box absolute"
                    style={{ left: pct(b.box[0]), top: pct(b.box[1]), width: pct(b.box[2]), height: pct(b.box[3]) }}
                  >
                    <span className="alert-box-label absolute -top-4 left-0 whitespace-nowrap px-1 text-[10px] font-bold leading-4">
                      {b.label} {Math.round(b.score * 100)}%
                    </span>
                  </div>
                ))}
              </div>
            );
          })}
          {shown
            .filter((a) => a.count !== null && a.count !== undefined && (a.type === 'crowd' || a.type === 'trader_count'))
            .map((a, i) => (
              <div
                key={`count-${a.type}`}
                className={`alert-count absolute left-1 rounded-full px-2 text-lg font-black leading-7 sev-${a.severity}`}
                style={{ top: 28 + i * 32, opacity: fadeOf(now - a.receivedAt, overlayMs) }}
                data-alert-count={a.count ?? undefined}
                title={t(`alert.type.${a.type}` as MessageKey)}
              >
                {a.count}
              </div>
            ))}
        </div>
      )}
    </div>
  );
}
