/**
 * One monitor of the wall (runtime: browser): its layout's grid, a Tile per cell. An enlarged tile
 * spans the whole monitor on the main stream; the tiles it covers release their streams.
 *
 * Under the tiles lies the monitor's canvas: the media worker draws every small tile's picture there,
 * in the tile's place (surface.ts, feed-host.ts), and a tile showing one is transparent over it.
 */
import type { ConsoleApi, MonitorState } from '../../../preload/contract';
import { REMOVED, summaryOf, type CameraMap } from './camera-map';
import { LAYOUTS } from '../../../preload/layouts';
import { AlarmMark } from '../alerts/AlertPanel';
import { AlertOverlay } from '../alerts/AlertOverlay';
import { Tile } from './Tile';

const alertLayer = (cameraId: string, monitor: number, tile: number) => (
  <>
    <AlertOverlay cameraId={cameraId} />
    <AlarmMark monitor={monitor} tile={tile} />
  </>
);

export interface MonitorProps {
  api: ConsoleApi;
  monitor: MonitorState;
  cameras: CameraMap;
  selectedTile?: number | null;
  onSelectTile?: (monitor: number, tile: number) => void;
  onDropPayload?: (monitor: number, tile: number | null, data: DataTransfer) => void;
  /** Overlays for a camera's tile (alerts), drawn inside the tile above the video. */
  overlay?: (cameraId: string, monitor: number, tile: number) => React.ReactNode;
}

export function Monitor({ api, monitor, cameras, selectedTile = null, onSelectTile, onDropPayload, overlay = alertLayer }: MonitorProps) {
  const layout = LAYOUTS[monitor.layout];
  const enlarged = monitor.enlarged;
  // A nearest-cameras view (112) carries each camera's distance from the place: tiles show it.
  const src = monitor.view?.source;
  const distances = new Map<string, number>();
  if (src?.kind === 'list' && src.distancesM) src.cameraIds.forEach((id, i) => src.distancesM![i] !== undefined && distances.set(id, src.distancesM![i]));
  const toggle = (tile: number) => void api.call('wall.enlarge', { monitor: monitor.monitor, tile: enlarged === tile ? null : tile }).catch(() => undefined);
  return (
    <div
      className="monitor relative grid h-full w-full gap-0.5 bg-wall-gap"
      data-wall=""
      data-monitor={monitor.monitor}
      data-layout={monitor.layout}
      data-enlarged={enlarged ?? ''}
      style={{ gridTemplateColumns: `repeat(${layout.cols}, 1fr)`, gridTemplateRows: `repeat(${layout.rows}, 1fr)` }}
      onDragOver={(e) => onDropPayload && e.preventDefault()}
      onDrop={(e) => {
        if (!onDropPayload) return;
        e.preventDefault();
        onDropPayload(monitor.monitor, null, e.dataTransfer);
      }}
    >
      {/* Handed to the media worker once, on the first tile it draws: never re-created while the monitor is shown. */}
      <canvas data-wall-canvas="" className="pointer-events-none absolute inset-0 h-full w-full" aria-hidden="true" />
      {monitor.tiles.map((t, i) => {
        const rect = layout.tiles[i]!;
        const isEnlarged = enlarged === t.tile;
        const big = isEnlarged || rect.w > 1 || rect.h > 1 || layout.cols <= 2;
        const gridStyle = isEnlarged ? { gridColumn: '1 / -1', gridRow: '1 / -1' } : { gridColumn: `${rect.x + 1} / span ${rect.w}`, gridRow: `${rect.y + 1} / span ${rect.h}` };
        return (
          <Tile
            key={t.tile}
            api={api}
            monitor={monitor.monitor}
            tile={t.tile}
            camera={t.cameraId ? summaryOf(cameras, t.cameraId) : null}
            removedId={t.cameraId && cameras.get(t.cameraId) === REMOVED ? t.cameraId : null}
            distanceM={t.cameraId ? distances.get(t.cameraId) : undefined}
            quality={big ? 'main' : 'sub'}
            style={gridStyle}
            covered={enlarged !== null && !isEnlarged}
            enlarged={isEnlarged}
            selected={selectedTile === t.tile}
            onSelect={(tile) => onSelectTile?.(monitor.monitor, tile)}
            onToggleEnlarge={toggle}
            onDropPayload={onDropPayload ? (tile, data) => onDropPayload(monitor.monitor, tile, data) : undefined}
          >
            {t.cameraId && overlay ? overlay(t.cameraId, monitor.monitor, t.tile) : null}
          </Tile>
        );
      })}
    </div>
  );
}
