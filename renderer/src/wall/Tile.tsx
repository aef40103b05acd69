/**
 * One tile: a camera's live video, its name and district, and its player state (runtime: browser).
 * The MsePlayer owns the media lifecycle; this component only wires it to props.
 */
import { useEffect, useRef, useState } from 'react';
import type { CameraSummary, ConsoleApi, StreamQuality } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { HlsReplayPlayer } from '../players/hls-replay';
import { MsePlayer } from '../players/mse-player';
import { initialPlayer, type PlayerState } from '../players/player-state';
import { tileStates } from './tile-states';

interface TileProps {
  api: ConsoleApi;
  monitor: number;
  tile: number;
  camera: CameraSummary | null;
  quality: StreamQuality;
  style: React.CSSProperties;
}

export function Tile({ api, monitor, tile, camera, quality, style }: TileProps) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const key = `${monitor}:${tile}`;
  const cameraId = camera?.id ?? null;
  const stream = cameraId ? `${cameraId}/${quality}` : null;
  // The state belongs to one stream: on the render that switches camera, the old player's "live"
  // must not show for the new camera before it has presented a frame.
  const [owned, setOwned] = useState<{ stream: string | null; state: PlayerState }>({ stream: null, state: initialPlayer });
  const state = owned.stream === stream ? owned.state : initialPlayer;
  const [now, setNow] = useState(() => Date.now());
  const replayVideo = useRef<HTMLVideoElement>(null);
  const [replay, setReplay] = useState<{ url: string; secondsBack: number } | null>(null);
  const [behind, setBehind] = useState<number | null>(null);

  useEffect(() => {
    if (!cameraId || !video.current) {
      tileStates.set(key, null);
      return;
    }
    const streamKey = `${cameraId}/${quality}`;
    const player = new MsePlayer({
      video: video.current,
      open: () => api.call('stream.open', { cameraId, quality }),
      onState: (s) => {
        setOwned({ stream: streamKey, state: s });
        tileStates.set(key, s.name);
      },
    });
    tileStates.set(key, initialPlayer.name);
    player.start();
    return () => {
      player.dispose();
      tileStates.set(key, null);
    };
  }, [api, cameraId, quality, key]);

  // Instant replay plays over the live picture; the live player keeps running, so the return is instant.
  useEffect(() => {
    if (!replay || !replayVideo.current) return;
    const player = new HlsReplayPlayer({
      video: replayVideo.current,
      url: replay.url,
      secondsBack: replay.secondsBack,
      onProgress: setBehind,
      onEnd: () => setReplay(null),
    });
    void player.start();
    return () => {
      player.dispose();
      setBehind(null);
    };
  }, [replay]);
  useEffect(() => setReplay(null), [cameraId]);

  const startReplay = (secondsBack: number) => {
    if (!cameraId) return;
    void api.call('stream.replay', { cameraId, quality }).then((r) => setReplay({ url: r.url, secondsBack }), () => undefined);
  };

  // A countdown is only worth a timer while a retry is scheduled.
  useEffect(() => {
    if (state.retryAt === null) return;
    setNow(Date.now());
    const id = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(id);
  }, [state.retryAt]);

  const stateName = camera ? state.name : 'empty';
  const retryIn = state.retryAt !== null ? Math.max(0, Math.ceil((state.retryAt - now) / 1000)) : null;
  return (
    <div
      className={`tile tile-${stateName} group relative overflow-hidden bg-tile-bg`}
      data-replay={replay ? (behind === null ? 'loading' : behind.toFixed(1)) : undefined}
      style={style}
      data-monitor={monitor}
      data-tile={tile}
      data-camera={camera?.id ?? ''}
      data-state={stateName}
    >
      {camera && <video ref={video} className="absolute inset-0 h-full w-full object-contain" muted playsInline autoPlay />}
      {replay && <video ref={replayVideo} data-testid="replay-video" className="absolute inset-0 h-full w-full bg-black object-contain" muted playsInline autoPlay />}
      <div className="tile-number absolute left-1 top-1 rounded bg-black/60 px-1.5 text-xs font-bold text-white">{tile}</div>
      {camera ? (
        <>
          <div className="absolute right-1 top-1 flex items-center gap-1 rounded bg-black/60 px-1.5 text-xs font-semibold">
            <span className={`state-dot state-dot-${stateName}`} aria-hidden />
            <span data-testid="tile-state-label">{t(`tile.state.${state.name}`)}</span>
          </div>
          <div className="tile-caption absolute bottom-0 left-0 right-0 bg-gradient-to-t from-black/85 to-transparent px-2 pb-1 pt-4">
            <div className="truncate text-sm font-semibold text-white" data-testid="tile-name">
              <span className="mr-1 text-ink-dim">#{camera.number}</span>
              {camera.name}
            </div>
            <div className="truncate text-xs text-ink-dim" data-testid="tile-district">
              {camera.kelurahanName} · {camera.kecamatanName}
            </div>
          </div>
          <div className="absolute bottom-10 right-1 flex gap-1 opacity-0 transition-opacity group-hover:opacity-100 focus-within:opacity-100">
            {replay ? (
              <button type="button" data-action="live" className="rounded bg-tile-live px-2 py-0.5 text-xs font-bold text-black" onClick={() => setReplay(null)}>
                {t('tile.backToLive')}
              </button>
            ) : (
              state.name === 'live' && (
                <button type="button" data-action="replay" className="rounded bg-black/70 px-2 py-0.5 text-xs font-semibold text-white" onClick={() => startReplay(30)}>
                  {t('tile.replay', { s: 30 })}
                </button>
              )
            )}
          </div>
          {replay && (
            <div className="absolute left-1/2 top-1 -translate-x-1/2 rounded bg-severity-warning px-2 text-xs font-bold text-black" data-testid="replay-badge">
              {t('tile.replaying')} {behind !== null ? `−${Math.ceil(behind)} s` : ''}
            </div>
          )}
          {state.name !== 'live' && state.name !== 'connecting' && (
            <div className="tile-problem absolute inset-x-0 top-1/3 mx-auto w-fit max-w-[90%] rounded bg-black/75 px-3 py-2 text-center">
              <div className="text-base font-bold uppercase tracking-wide">{t(`tile.state.${state.name}`)}</div>
              {state.reason && <div className="text-xs text-ink-dim">{state.reason}</div>}
              {retryIn !== null && <div className="text-xs text-ink-dim">{t('tile.retryIn', { s: retryIn })}</div>}
            </div>
          )}
        </>
      ) : (
        <div className="flex h-full items-center justify-center text-sm text-ink-dim">{t('tile.empty')}</div>
      )}
    </div>
  );
}
