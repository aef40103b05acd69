/**
 * One camera of an RT kiosk (runtime: browser): its live picture, its name in large type, and, when
 * the camera is down, "Kamera tidak tersedia" with the time it was last seen. The player reconnects on
 * its own (TilePlayer), so the tile comes back without anyone touching it.
 */
import { useEffect, useRef, useState } from 'react';
import type { AlertView, ConsoleApi, KioskView } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { useMediaHost } from '../players/media-context';
import { initialPlayer, type PlayerState } from '../players/player-state';
import { TilePlayer } from '../players/tile-player';

type KioskCamera = KioskView['cameras'][number];

export function clockText(lang: 'id' | 'en', at: number, seconds = false): string {
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hour12: false }).format(at);
}

export function KioskTile({ api, camera, alert, style }: { api: ConsoleApi; camera: KioskCamera; alert: AlertView | null; style?: React.CSSProperties }) {
  const { t, lang } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const host = useMediaHost();
  const [state, setState] = useState<PlayerState>(initialPlayer);
  // The last moment this window saw the picture live; main's word when it saw it before the page loaded.
  const [lastSeen, setLastSeen] = useState<number | null>(camera.lastSeenAt);
  const wasLive = useRef(false);

  useEffect(() => {
    if (!video.current || !canvas.current) return;
    const player = new TilePlayer({
      host,
      video: video.current,
      canvas: canvas.current,
      streamKey: `${camera.id}/main`,
      small: false,
      open: (transcode) => api.call('stream.open', { cameraId: camera.id, quality: 'main', transcode }),
      onState: (s) => {
        setState(s);
        if (s.name === 'live' || wasLive.current) setLastSeen(Date.now());
        wasLive.current = s.name === 'live';
      },
    });
    player.start();
    return () => player.dispose();
  }, [api, host, camera.id]);

  // While live, "last seen" is now; kept fresh so that it is right the moment the camera drops.
  useEffect(() => {
    if (state.name !== 'live') return;
    const id = window.setInterval(() => setLastSeen(Date.now()), 5_000);
    return () => window.clearInterval(id);
  }, [state.name]);

  const live = state.name === 'live';
  const down = !live && (state.name !== 'connecting' || state.failures > 0);
  const seen = lastSeen ?? camera.lastSeenAt;
  return (
    <div className="kiosk-tile relative overflow-hidden rounded-lg bg-tile-bg" style={style} data-kiosk-slot={camera.slot} data-camera={camera.id} data-state={state.name}>
      <video ref={video} className="absolute inset-0 h-full w-full object-contain" muted playsInline autoPlay data-quality="main" data-slot-state={state.name} />
      <canvas ref={canvas} className="absolute inset-0 h-full w-full object-contain" hidden data-quality="main" data-slot-state={state.name} />
      {alert && (
        <div className="absolute inset-0 rounded-lg border-8 border-severity-critical" data-testid="kiosk-alert" data-alert={alert.id}>
          <div className="absolute left-0 right-0 top-0 bg-severity-critical/90 px-4 py-2 text-[clamp(18px,2.2vw,34px)] font-bold text-white">
            {t('kiosk.alert')}: {alert.message}
          </div>
        </div>
      )}
      {down && (
        <div className="absolute inset-0 flex flex-col items-center justify-center gap-3 bg-black/80 text-center" data-testid="kiosk-unavailable">
          <div className="text-[clamp(28px,3.4vw,56px)] font-extrabold text-severity-warning">{t('kiosk.unavailable')}</div>
          <div className="text-[clamp(20px,2.2vw,36px)] font-semibold text-ink" data-testid="kiosk-last-seen" data-last-seen={seen ?? ''}>
            {seen ? t('kiosk.lastSeen', { time: clockText(lang, seen) }) : t('kiosk.neverSeen')}
          </div>
        </div>
      )}
      {!down && !live && <div className="absolute inset-0 flex items-center justify-center text-[clamp(20px,2.2vw,36px)] font-semibold text-ink-dim">{t('kiosk.connecting')}</div>}
      <div className="absolute bottom-0 left-0 right-0 bg-gradient-to-t from-black/90 to-transparent px-5 pb-3 pt-10">
        <div className="truncate text-[clamp(24px,2.6vw,44px)] font-bold text-white" data-testid="kiosk-camera-name" title={camera.name}>
          {camera.name}
        </div>
      </div>
    </div>
  );
}
