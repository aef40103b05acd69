/**
 * Wall layouts as data (runtime: anywhere; shared by main and renderer like the contract). Each layout is a grid and a list of tile rectangles in
 * grid cells, numbered 1..T in reading order. Hotspot layouts put one or two large tiles first.
 */
import type { LayoutId } from './contract';

export interface TileRect {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface Layout {
  id: LayoutId;
  cols: number;
  rows: number;
  tiles: TileRect[];
}

function grid(n: number): TileRect[] {
  const tiles: TileRect[] = [];
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) tiles.push({ x, y, w: 1, h: 1 });
  return tiles;
}

/** Large tiles first, then every free cell of the grid in reading order. */
function hotspot(cols: number, rows: number, large: TileRect[]): TileRect[] {
  const covered = (x: number, y: number) => large.some((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h);
  const small: TileRect[] = [];
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) if (!covered(x, y)) small.push({ x, y, w: 1, h: 1 });
  return [...large, ...small];
}

export const LAYOUTS: Record<LayoutId, Layout> = {
  '1x1': { id: '1x1', cols: 1, rows: 1, tiles: grid(1) },
  '2x2': { id: '2x2', cols: 2, rows: 2, tiles: grid(2) },
  '3x3': { id: '3x3', cols: 3, rows: 3, tiles: grid(3) },
  '4x4': { id: '4x4', cols: 4, rows: 4, tiles: grid(4) },
  '5x5': { id: '5x5', cols: 5, rows: 5, tiles: grid(5) },
  '6x6': { id: '6x6', cols: 6, rows: 6, tiles: grid(6) },
  '7x7': { id: '7x7', cols: 7, rows: 7, tiles: grid(7) },
  '8x8': { id: '8x8', cols: 8, rows: 8, tiles: grid(8) },
  '1+5': { id: '1+5', cols: 3, rows: 3, tiles: hotspot(3, 3, [{ x: 0, y: 0, w: 2, h: 2 }]) },
  '1+7': { id: '1+7', cols: 4, rows: 4, tiles: hotspot(4, 4, [{ x: 0, y: 0, w: 3, h: 3 }]) },
  '1+12': { id: '1+12', cols: 4, rows: 4, tiles: hotspot(4, 4, [{ x: 1, y: 1, w: 2, h: 2 }]) },
  '2+8': {
    id: '2+8',
    cols: 4,
    rows: 4,
    tiles: hotspot(4, 4, [
      { x: 0, y: 0, w: 2, h: 2 },
      { x: 2, y: 0, w: 2, h: 2 },
    ]),
  },
};

export function tileCount(layout: LayoutId): number {
  return LAYOUTS[layout].tiles.length;
}
