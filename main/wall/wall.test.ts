import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../preload/contract.js';
import { Wall } from './wall.js';

const cam = (id: string) => ({ id, number: 1, name: id, type: 'rt' as const, kecamatanCode: 'k', kecamatanName: 'K', kelurahanCode: 'l', kelurahanName: 'L', rw: 1, rt: 1, hasSub: true });

describe('wall', () => {
  it('fills a fresh monitor with cameras and numbers tiles from 1', () => {
    const w = Wall.fresh(1, '2x2', [cam('a'), cam('b'), cam('c')]);
    expect(w.get().monitors[0]!.tiles).toEqual([
      { tile: 1, cameraId: 'a' },
      { tile: 2, cameraId: 'b' },
      { tile: 3, cameraId: 'c' },
      { tile: 4, cameraId: null },
    ]);
  });

  it('keeps cameras when the layout grows and notifies subscribers with a new revision', () => {
    const w = Wall.fresh(1, '2x2', [cam('a')]);
    const seen = vi.fn();
    w.subscribe(seen);
    const s = w.setLayout(1, '3x3');
    expect(s.monitors[0]!.tiles).toHaveLength(9);
    expect(s.monitors[0]!.tiles[0]!.cameraId).toBe('a');
    expect(s.revision).toBe(1);
    expect(seen).toHaveBeenCalledWith(s);
  });

  it('shows a list of cameras in tile order in one revision, clearing the rest', () => {
    const w = Wall.fresh(1, '2x2', [cam('x'), cam('y'), cam('z'), cam('w')]);
    const s = w.showCameras(1, ['a', 'b'], '3x3');
    expect(s.revision).toBe(1);
    expect(s.monitors[0]!.tiles.map((t) => t.cameraId)).toEqual(['a', 'b', null, null, null, null, null, null, null]);
  });

  it('names a missing monitor or tile in its error', () => {
    const w = Wall.fresh(1, '2x2');
    expect(() => w.assign(2, 1, null)).toThrow(ApiError);
    expect(() => w.assign(1, 5, null)).toThrow(/tiles 1..4, not 5/);
  });

  it('adds monitors for new displays and never removes any', () => {
    const w = Wall.fresh(1, '2x2', [cam('a')]);
    w.ensureMonitors(3);
    expect(w.get().monitors.map((m) => m.monitor)).toEqual([1, 2, 3]);
    w.ensureMonitors(1);
    expect(w.get().monitors).toHaveLength(3);
  });
});
