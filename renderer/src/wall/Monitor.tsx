/**
 * One monitor of the wall (runtime: browser): its layout's grid, a Tile per cell.
 */
import type { CameraSummary, ConsoleApi, MonitorState } from '../../../preload/contract';
import { LAYOUTS } from '../../../preload/layouts';
import { Tile } from './Tile';

interface MonitorProps {
  api: ConsoleApi;
  monitor: MonitorState;
  cameras: ReadonlyMap<string, CameraSummary>;
}

export function Monitor({ api, monitor, cameras }: MonitorProps) {
  const layout = LAYOUTS[monitor.layout];
  return (
    <div
      className="monitor grid h-full w-full gap-0.5 bg-wall-gap"
      data-monitor={monitor.monitor}
      data-layout={monitor.layout}
      style={{ gridTemplateColumns: `repeat(${layout.cols}, 1fr)`, gridTemplateRows: `repeat(${layout.rows}, 1fr)` }}
    >
      {monitor.tiles.map((t, i) => {
        const rect = layout.tiles[i]!;
        const big = rect.w > 1 || rect.h > 1;
        return (
          <Tile
            key={t.tile}
            api={api}
            monitor={monitor.monitor}
            tile={t.tile}
            camera={t.cameraId ? (cameras.get(t.cameraId) ?? null) : null}
            quality={big || layout.cols <= 2 ? 'main' : 'sub'}
            style={{ gridColumn: `${rect.x + 1} / span ${rect.w}`, gridRow: `${rect.y + 1} / span ${rect.h}` }}
          />
        );
      })}
    </div>
  );
}
