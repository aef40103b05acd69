/**
 * The window's camera summaries by id (runtime: browser). An id the catalog did not answer for is
 * REMOVED: a preset or a saved wall can name a camera that has since left the catalog, and its tile
 * says so and keeps the id.
 */
import type { CameraSummary } from '../../../preload/contract';

export const REMOVED = 'removed' as const;
export type CameraMap = ReadonlyMap<string, CameraSummary | typeof REMOVED>;

export function summaryOf(cameras: CameraMap, id: string): CameraSummary | null {
  const c = cameras.get(id);
  return c && c !== REMOVED ? c : null;
}
