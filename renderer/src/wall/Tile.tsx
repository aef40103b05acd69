/**
 * One tile: a camera's live video, its name and district, and its player state (runtime: browser).
 *
 * The picture comes from stream slots, each with its own TilePlayer drawing on the slot's <canvas>
 * (WebCodecs, or the MPEG-1 fallback) or playing on its <video> (MSE, HLS). Switching the same
 * camera between sub and main stream (enlarge, focus) opens the new stream in a second slot, hidden,
 * and drops the old slot only once the new one has presented a frame: no black flash. A tile that
 * nobody can see (covered by an enlarged tile, scrolled away, in a hidden window) has no slot at all,
 * so its stream is released; it comes back when the tile is seen again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CameraSummary, ConsoleApi, StreamQuality } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { reasonText, type MessageKey } from '../i18n/messages';
import { useMediaHost } from '../players/media-context';
import { HlsReplayPlayer } from '../players/hls-replay';
import { TilePlayer } from '../players/tile-player';
import { initialPlayer, type PlayerState } from '../players/player-state';
import { tileStates } from './tile-states';
import { useSeen } from './visibility';

/** "85 m", "1,2 km" (the operator reads Indonesian first; the decimal comma reads in both). */
export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1).replace('.', ',')} km`;
}

export interface TileProps {
  api: ConsoleApi;
  monitor: number;
  tile: number;
  camera: CameraSummary | null;
  /** A camera id the catalog no longer has: the tile says so and keeps the id. */
  removedId?: string | null;
  /** Metres from a 112 place (wall.showNearest), shown on the tile. */
  distanceM?: number;
  quality: StreamQuality;
  style: React.CSSProperties;
  /** Covered by an enlarged tile: not drawn, stream released. */
  covered?: boolean;
  enlarged?: boolean;
  selected?: boolean;
  onSelect?: (tile: number) => void;
  onToggleEnlarge?: (tile: number) => void;
  onDropPayload?: (tile: number, data: DataTransfer) => void;
  /** Drawn above the video (alert overlays); never takes pointer events. */
  children?: React.ReactNode;
}

interface Slot {
  key: string;
  cameraId: string;
  quality: StreamQuality;
  /**
   * Which of the tile's two <video> elements plays it. A new camera reuses the element of the one it
   * replaces: a tile torn down while its stream was still starting left a detached <video> that
   * Chromium's cross-thread MediaSource attachment kept alive (bench/README.md, district-soak); a
   * reused element is never detached. Sub → main uses the other element.
   */
  element: 'a' | 'b';
}

/**
 * One stream on one <canvas> (WebCodecs, MPEG-1) or one <video> (MSE, HLS): owns a TilePlayer for
 * as long as it is mounted. The player shows whichever of the two its stream draws on.
 */
function StreamSlot({ api, slot, front, state, onState }: { api: ConsoleApi; slot: Slot; front: boolean; state: PlayerState; onState: (key: string, s: PlayerState) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const host = useMediaHost();
  useEffect(() => {
    if (!video.current || !canvas.current) return;
    const { cameraId, quality, key } = slot;
    const player = new TilePlayer({
      host,
      video: video.current,
      canvas: canvas.current,
      streamKey: key,
      small: quality === 'sub',
      open: (transcode) => api.call('stream.open', { cameraId, quality, transcode }),
      onState: (s) => onState(key, s),
    });
    player.start();
    return () => player.dispose();
  }, [api, host, slot, onState]);
  // What the video and the canvas both carry: whichever the stream draws on is the one shown.
  const shared = {
    'data-quality': slot.quality,
    'data-front': front ? '1' : '0',
    'data-slot-state': state.name,
    'data-slot-reason': state.reason?.code,
    className: 'absolute inset-0 h-full w-full object-contain',
    style: { opacity: front ? 1 : 0 },
  };
  return (
    <>
      <video ref={video} {...shared} muted playsInline autoPlay />
      {/* A canvas can hand its drawing to the worker only once: a new one for each stream. */}
      <canvas key={slot.key} ref={canvas} {...shared} hidden />
    </>
  );
}

export function Tile(props: TileProps) {
  const { api, monitor, tile, camera, quality, style, covered = false, enlarged = false, selected = false } = props;
  const { t, lang } = useI18n();
  const root = useRef<HTMLDivElement>(null);
  const key = `${monitor}:${tile}`;
  const cameraId = camera?.id ?? null;
  const seen = useSeen(root, !covered);
  const [slots, setSlots] = useState<Slot[]>([]);
  const [states, setStates] = useState<ReadonlyMap<string, PlayerState>>(new Map());
  const [now, setNow] = useState(() => Date.now());
  const replayVideo = useRef<HTMLVideoElement>(null);
  const [replay, setReplay] = useState<{ url: string; secondsBack: number } | null>(null);
  const [behind, setBehind] = useState<number | null>(null);
  const [dropping, setDropping] = useState(false);
  // Slots that have shown a picture. Their element keeps the last one while they stall or reconnect
  // (a busy machine), and that picture beats a new stream's blank element in a handover.
  const pictured = useRef(new Set<string>());
  const hasPicture = (slotKey: string): boolean => {
    const s = states.get(slotKey)?.name;
    return pictured.current.has(slotKey) && s !== undefined && s !== 'offline' && s !== 'error';
  };

  // Which streams this tile should hold.
  useEffect(() => {
    if (!cameraId || !seen) {
      setSlots([]);
      return;
    }
    const slotKey = `${cameraId}/${quality}`;
    setSlots((cur) => {
      if (cur.at(-1)?.key === slotKey) return cur;
      // Same camera, other quality: keep the picture we have (one old slot) until the new one is live.
      const keep = cur.filter((s) => s.cameraId === cameraId && hasPicture(s.key)).slice(-1);
      // Beside a kept picture, the other element; otherwise the element of the stream it replaces.
      const element = keep.length ? (keep[0]!.element === 'a' ? 'b' : 'a') : (cur.at(-1)?.element ?? 'a');
      return [...keep, { key: slotKey, cameraId, quality, element }];
    });
    // `states` (through hasPicture) is read, not followed: only the wanted stream decides the slots.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `states` is read, not a reason to re-plan the slots
  }, [cameraId, quality, seen]);

  const onSlotState = useCallback((slotKey: string, s: PlayerState) => {
    if (s.name === 'live') pictured.current.add(slotKey);
    setStates((cur) => new Map(cur).set(slotKey, s));
    // It has a picture, or it has definitely failed (the tile must then say so): older slots go.
    if (s.name === 'live' || s.name === 'offline' || s.name === 'error') setSlots((cur) => (cur.at(-1)?.key === slotKey && cur.length > 1 ? cur.slice(-1) : cur));
  }, []);

  // Forget states of slots that are gone.
  useEffect(() => {
    const keys = new Set(slots.map((s) => s.key));
    for (const k of pictured.current) if (!keys.has(k)) pictured.current.delete(k);
    setStates((cur) => {
      if ([...cur.keys()].every((k) => keys.has(k))) return cur;
      return new Map([...cur].filter(([k]) => keys.has(k)));
    });
  }, [slots]);

  // On the render where the camera changes, the slots still hold the old camera's stream (the effect
  // above replaces them after): never show its picture or its "live" under the new camera's name.
  const current = slots.filter((s) => s.cameraId === cameraId && seen);
  const newest = current.at(-1);
  const newestState = newest ? (states.get(newest.key) ?? initialPlayer) : initialPlayer;
  const older = current.length > 1 ? current[0] : undefined;
  // While the new stream connects, the old picture is what the operator sees, also when the old stream
  // stalls or reconnects in the handover: its last picture beats the new stream's blank element.
  const shown = older && newestState.name !== 'live' && hasPicture(older.key) ? older : newest;
  const state = shown ? (states.get(shown.key) ?? initialPlayer) : initialPlayer;
  // Live, but drawing only part of the stream's pictures: the tile says so instead of "live".
  const degraded = seen && state.name === 'live' ? state.shownPct : null;
  const stateName: string = !camera ? 'empty' : !seen ? 'idle' : state.name;

  useEffect(() => {
    tileStates.set(key, camera && seen ? state.name : null);
  }, [key, camera, seen, state.name]);
  useEffect(() => () => tileStates.set(key, null), [key]);

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
  useEffect(() => setReplay(null), [cameraId, seen]);

  const startReplay = (secondsBack: number) => {
    if (!cameraId) return;
    void api.call('stream.replay', { cameraId, quality }).then(
      (r) => setReplay({ url: r.url, secondsBack }),
      () => undefined,
    );
  };

  // A countdown is only worth a timer while a retry is scheduled.
  useEffect(() => {
    if (state.retryAt === null) return;
    setNow(Date.now());
    const id = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(id);
  }, [state.retryAt]);

  const retryIn = state.retryAt !== null ? Math.max(0, Math.ceil((state.retryAt - now) / 1000)) : null;
  return (
    <div
      ref={root}
      className={`tile tile-${stateName} group relative overflow-hidden bg-tile-bg ${covered ? 'hidden' : ''} ${selected ? 'tile-selected' : ''} ${dropping ? 'tile-drop' : ''}`}
      data-replay={replay ? (behind === null ? 'loading' : behind.toFixed(1)) : undefined}
      style={style}
      data-monitor={monitor}
      data-tile={tile}
      data-camera={camera?.id ?? ''}
      data-state={stateName}
      data-quality={shown?.quality ?? ''}
      data-selected={selected ? '1' : undefined}
      data-enlarged={enlarged ? '1' : undefined}
      data-degraded={degraded ?? undefined}
      onClick={() => props.onSelect?.(tile)}
      onDoubleClick={() => props.onToggleEnlarge?.(tile)}
      onDragOver={(e) => {
        if (!props.onDropPayload) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => {
        setDropping(false);
        if (!props.onDropPayload) return;
        e.preventDefault();
        e.stopPropagation();
        props.onDropPayload(tile, e.dataTransfer);
      }}
    >
      {slots.map((s) => (
        <StreamSlot key={s.element} api={api} slot={s} front={s === shown} state={states.get(s.key) ?? initialPlayer} onState={onSlotState} />
      ))}
      {replay && <video ref={replayVideo} data-testid="replay-video" className="absolute inset-0 h-full w-full bg-black object-contain" muted playsInline autoPlay />}
      {camera && seen && props.children}
      <div className="tile-number absolute left-1 top-1 rounded bg-black/60 px-1.5 text-xs font-bold text-white">{tile}</div>
      {camera && props.distanceM !== undefined && (
        <div className="absolute left-8 top-1 rounded bg-accent px-1.5 text-xs font-bold text-black" data-testid="tile-distance" data-distance={props.distanceM}>
          {formatDistance(props.distanceM)}
        </div>
      )}
      {camera ? (
        <>
          <div className="absolute right-1 top-1 flex items-center gap-1 rounded bg-black/60 px-1.5 text-xs font-semibold">
            <span className={`state-dot state-dot-${degraded !== null ? 'degraded' : stateName}`} aria-hidden />
            <span data-testid="tile-state-label">{degraded !== null ? t('tile.degraded', { pct: degraded }) : t(`tile.state.${seen ? state.name : 'idle'}` as MessageKey)}</span>
          </div>
          <div className="tile-caption absolute bottom-0 left-0 right-0 bg-gradient-to-t from-black/85 to-transparent px-2 pb-1 pt-4">
            <div className="truncate text-sm font-semibold text-white" data-testid="tile-name" title={camera.name}>
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
              state.name === 'live' &&
              camera.replay && (
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
          {seen && state.name !== 'live' && state.name !== 'connecting' && (
            <div className="tile-problem absolute inset-x-0 top-1/3 mx-auto w-fit max-w-[90%] rounded bg-black/75 px-3 py-2 text-center">
              <div className="text-base font-bold uppercase tracking-wide">{t(`tile.state.${state.name}`)}</div>
              {state.reason && (
                <div className="text-xs text-ink-dim" data-reason={state.reason.code} title={state.reason.detail}>
                  {reasonText(lang, state.reason)}
                </div>
              )}
              {retryIn !== null && <div className="text-xs text-ink-dim">{t('tile.retryIn', { s: retryIn })}</div>}
            </div>
          )}
        </>
      ) : props.removedId ? (
        <div className="flex h-full flex-col items-center justify-center gap-1 text-center text-sm text-ink-dim" data-testid="tile-removed">
          <div className="font-bold uppercase text-severity-warning">{t('tile.removed')}</div>
          <div className="font-mono text-xs">{props.removedId}</div>
        </div>
      ) : (
        <div className="flex h-full items-center justify-center text-sm text-ink-dim">{t('tile.empty')}</div>
      )}
    </div>
  );
}
