/**
 * Hooks shared by the control view and wall windows (runtime: browser).
 */
import { useCallback, useRef } from 'react';
import type { ConsoleApi, WallState } from '../../../preload/contract';
import type { CameraMap } from './camera-map';
import { applyDrop, readDragPayload } from './drag';

export interface ViewProps {
  api: ConsoleApi;
  wall: WallState | null;
  cameras: CameraMap;
  fatal: string | null;
  connected: boolean;
}

/** Operator activity on a monitor pauses its running sequence (throttled to one call per 2 s). */
export function useSequenceTouch(api: ConsoleApi, wall: WallState | null, monitor: number) {
  const last = useRef(0);
  const running = !!wall?.monitors.find((m) => m.monitor === monitor)?.view?.sequence;
  return useCallback(() => {
    if (!running || Date.now() - last.current < 2_000) return;
    last.current = Date.now();
    void api.call('wall.touch', { monitor }).catch(() => undefined);
  }, [api, monitor, running]);
}

/** Routes a drop on a monitor (or one of its tiles) to the console. */
export function useDrop(api: ConsoleApi, selectedTile: (monitor: number) => number, onError: (error: unknown) => void) {
  return useCallback(
    (monitor: number, tile: number | null, data: DataTransfer) => {
      const payload = readDragPayload(data);
      if (!payload) return;
      applyDrop(api, payload, monitor, tile ?? selectedTile(monitor)).catch(onError);
    },
    [api, selectedTile, onError],
  );
}
