/**
 * Drag and drop of cameras and districts onto tiles and monitors (runtime: browser).
 * A drop can come from anywhere (another app drags text in too), so the payload is parsed with zod
 * and anything else is ignored.
 */
import { z } from 'zod';
import { CameraId, NodeId, type ConsoleApi } from '../../../preload/contract';

export const DRAG_TYPE = 'application/x-pantau+json';

export const DragPayload = z.discriminatedUnion('kind', [z.object({ kind: z.literal('camera'), id: CameraId }).strict(), z.object({ kind: z.literal('district'), node: NodeId }).strict()]);
export type DragPayload = z.infer<typeof DragPayload>;

export function setDragPayload(data: DataTransfer, payload: DragPayload): void {
  data.setData(DRAG_TYPE, JSON.stringify(payload));
  data.effectAllowed = 'copy';
}

export function readDragPayload(data: DataTransfer): DragPayload | null {
  try {
    const parsed = DragPayload.safeParse(JSON.parse(data.getData(DRAG_TYPE) || 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A camera dropped on a tile goes to that tile; on a monitor (not a tile), to its selected tile.
 * A district fills the monitor it is dropped on (whichever tile it lands on).
 */
export async function applyDrop(api: ConsoleApi, payload: DragPayload, monitor: number, tile: number): Promise<void> {
  if (payload.kind === 'camera') await api.call('wall.assign', { monitor, tile, cameraId: payload.id });
  else await api.call('wall.show', { monitors: [monitor], source: { kind: 'district', node: payload.node } });
}
