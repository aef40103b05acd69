import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../preload/contract.js';
import { Sequencer } from './sequencer.js';
import { SEQUENCE_PAUSE_MS, Wall, type WallCatalog } from './wall.js';

const cam = (id: string) => ({
  id,
  number: 1,
  name: id,
  type: 'rt' as const,
  kecamatanCode: 'k',
  kecamatanName: 'K',
  kelurahanCode: 'l',
  kelurahanName: 'L',
  rw: 1,
  rt: 1,
  hasSub: true,
  replay: true,
});

describe('wall', () => {
  it('fills a fresh monitor with cameras and numbers tiles from 1', () => {
    const w = Wall.fresh(1, '2x2', [cam('a'), cam('b'), cam('c')]);
    expect(w.get().monitors[0]!.tiles.map((t) => [t.tile, t.cameraId])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, null],
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

/** A catalog of numbered cameras c1..c50; district "kec:11.11.11" holds c1..c20, "kel:11.11.11.1111" c1..c5. */
const ids = Array.from({ length: 50 }, (_, i) => `c${i + 1}`);
const fakeCatalog: WallCatalog = {
  resolve: (s) => {
    if (s.kind === 'list') return { ids: s.cameraIds, label: s.label };
    if (s.node === 'kec:11.11.11') return { ids: ids.slice(0, 20), label: 'Kec' };
    if (s.node === 'kel:11.11.11.1111') return { ids: ids.slice(0, 5), label: 'Kel' };
    throw new ApiError('not_found', `no district ${s.node}`);
  },
  idOfNumber: (n) => (n >= 1 && n <= 50 ? `c${n}` : undefined),
  neighbour: (id, d) => {
    const n = id ? Number(id.slice(1)) : 0;
    return `c${((n - 1 + d + 50) % 50) + 1}`;
  },
};
const district = { kind: 'district' as const, node: 'kec:11.11.11' };

function wallWith(monitors = 2, clock = { t: 1_000 }) {
  return Wall.fresh(monitors, '2x2', [], { catalog: fakeCatalog, now: () => clock.t });
}
const cams = (w: Wall, m: number) => w.get().monitors[m - 1]!.tiles.map((t) => t.cameraId);

describe('wall: paging a district over a group of monitors', () => {
  it('spreads page 1 over both monitors in order, and pages as one group', () => {
    const w = wallWith();
    w.show([1, 2], district, 0, '3x3');
    expect(cams(w, 1)).toEqual(ids.slice(0, 9));
    expect(cams(w, 2)).toEqual(ids.slice(9, 18));
    expect(w.get().monitors[0]!.view).toMatchObject({ page: 0, pages: 2, total: 20, group: [1, 2], label: 'Kec' });
    w.page(2, 'next');
    expect(cams(w, 1)).toEqual([...ids.slice(18, 20), null, null, null, null, null, null, null]);
    expect(w.get().monitors[1]!.view!.page).toBe(1);
    w.page(1, 'next'); // wraps
    expect(cams(w, 1)[0]).toBe('c1');
    w.page(1, 'prev');
    expect(w.get().monitors[0]!.view!.page).toBe(1);
  });

  it('refuses a page that does not exist and a monitor without a view, naming them', () => {
    const w = wallWith();
    w.show([1], district);
    expect(() => w.page(1, 7)).toThrow(/page 8 does not exist \(pages: 1..5\)/);
    expect(() => w.page(2, 'next')).toThrow(/monitor 2 shows no district/);
    expect(() => w.show([1], { kind: 'district', node: 'kec:99.99.99' })).toThrow(/no district/);
    expect(() => w.show([1, 3], district)).toThrow(/monitor 3 does not exist/);
  });

  it('a manual assignment leaves the view; showing cameras by hand takes the monitor out of its group', () => {
    const w = wallWith();
    w.show([1, 2], district);
    w.showCameras(2, ['c40']);
    expect(w.get().monitors[1]!.view).toBeNull();
    expect(w.get().monitors[0]!.view!.group).toEqual([1]);
  });

  it('re-spreads a paged view when the layout changes', () => {
    const w = wallWith(1);
    w.show([1], district);
    w.page(1, 2); // c9..c12
    w.setLayout(1, '3x3');
    expect(w.get().monitors[0]!.view).toMatchObject({ page: 0, pages: 3 });
    expect(cams(w, 1)[0]).toBe('c1');
  });
});

describe('wall: sequences', () => {
  it('steps pages every dwell, pauses on interaction and resumes a dwell after the pause', () => {
    const clock = { t: 0 };
    const w = wallWith(1, clock);
    w.show([1], district);
    w.sequence(1, 'start', 3);
    expect(w.tick(clock.t)).toBe(3_000);
    clock.t = 3_000;
    expect(w.tick(clock.t)).toBe(6_000);
    expect(w.get().monitors[0]!.view!.page).toBe(1);
    clock.t = 4_000;
    w.touch(1);
    clock.t = 6_000;
    w.tick(clock.t);
    expect(w.get().monitors[0]!.view!.page).toBe(1); // paused
    clock.t = 4_000 + SEQUENCE_PAUSE_MS;
    expect(w.tick(clock.t)).toBe(clock.t + 3_000); // resumed, full dwell ahead
    clock.t += 3_000;
    w.tick(clock.t);
    expect(w.get().monitors[0]!.view!.page).toBe(2);
    w.sequence(1, 'stop', 3);
    expect(w.tick(clock.t + 60_000)).toBeNull();
  });

  it('manual paging, enlarging and assigning pause it too; touch without a sequence changes nothing', () => {
    const clock = { t: 0 };
    const w = wallWith(1, clock);
    expect(w.touch(1)).toBeNull();
    expect(w.get().revision).toBe(0);
    w.show([1], district);
    w.sequence(1, 'start', 5);
    w.enlarge(1, 2);
    expect(w.get().monitors[0]!.view!.sequence!.pausedUntil).toBe(SEQUENCE_PAUSE_MS);
  });

  it('the Sequencer wakes the wall when a step is due (fake timers)', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const w = Wall.fresh(1, '2x2', [], { catalog: fakeCatalog });
      const s = new Sequencer(w);
      w.show([1], district);
      w.sequence(1, 'start', 3);
      vi.advanceTimersByTime(3_000);
      expect(w.get().monitors[0]!.view!.page).toBe(1);
      vi.advanceTimersByTime(3_000);
      expect(w.get().monitors[0]!.view!.page).toBe(2);
      s.dispose();
      vi.advanceTimersByTime(30_000);
      expect(w.get().monitors[0]!.view!.page).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('wall: tiles', () => {
  it('remembers the last 8 cameras of a tile, with back and forward like a browser', () => {
    const w = wallWith(1);
    for (let n = 1; n <= 10; n++) w.route(1, 1, n);
    const t = () => w.get().monitors[0]!.tiles[0]!;
    expect(t().back).toEqual(['c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9']);
    w.history(1, 1, 'back');
    w.history(1, 1, 'back');
    expect(t()).toMatchObject({ cameraId: 'c8', forward: ['c10', 'c9'] });
    w.history(1, 1, 'forward');
    expect(t().cameraId).toBe('c9');
    w.route(1, 1, 30); // a new camera drops the forward list
    expect(t()).toMatchObject({ cameraId: 'c30', forward: [] });
    expect(() => w.history(1, 1, 'forward')).toThrow(/no later camera/);
    expect(() => wallWith(1).history(1, 1, 'back')).toThrow(/no earlier camera/);
  });

  it('routes by catalog number and names an unknown one', () => {
    const w = wallWith(2);
    w.route(2, 3, 42);
    expect(cams(w, 2)[2]).toBe('c42');
    expect(() => w.route(2, 3, 999)).toThrow(/no camera numbered 999/);
    expect(() => w.route(2, 9, 1)).toThrow(/tiles 1..4, not 9/);
  });

  it('steps to the next camera of the view, or by number without one', () => {
    const w = wallWith(1);
    w.route(1, 1, 50);
    w.step(1, 1, 'next');
    expect(cams(w, 1)[0]).toBe('c1'); // wraps
    w.show([1], { kind: 'district', node: 'kel:11.11.11.1111' });
    w.step(1, 4, 'next');
    expect(cams(w, 1)[3]).toBe('c5');
    w.step(1, 4, 'next');
    expect(cams(w, 1)[3]).toBe('c1');
    w.step(1, 1, 'prev');
    expect(cams(w, 1)[0]).toBe('c5');
  });

  it('enlarges one tile and restores the layout; a smaller layout drops an enlarged tile it no longer has', () => {
    const w = wallWith(1);
    w.setLayout(1, '4x4');
    w.enlarge(1, 12);
    expect(w.get().monitors[0]!.enlarged).toBe(12);
    const rev = w.get().revision;
    w.enlarge(1, 12);
    expect(w.get().revision).toBe(rev); // no-op
    expect(() => w.enlarge(1, 17)).toThrow(/tiles 1..16, not 17/);
    w.setLayout(1, '2x2');
    expect(w.get().monitors[0]!.enlarged).toBeNull();
    w.enlarge(1, 2);
    w.enlarge(1, null);
    expect(w.get().monitors[0]!.enlarged).toBeNull();
  });

  it('swaps two monitors, keeping their numbers and fixing paged groups', () => {
    const w = wallWith(3);
    w.route(3, 1, 7);
    w.show([1, 2], district);
    w.swapMonitors(2, 3);
    const [m1, m2, m3] = w.get().monitors;
    expect(m2!.monitor).toBe(2);
    expect(m2!.tiles[0]!.cameraId).toBe('c7');
    expect(m3!.view!.group).toEqual([1, 3]);
    expect(m1!.view!.group).toEqual([1, 3]);
    w.page(1, 'next');
    expect(w.get().monitors[2]!.tiles[0]!.cameraId).toBe('c13');
  });

  it('loads a wall saved before history and views existed', () => {
    const w = new Wall({ revision: 3, monitors: [{ monitor: 1, name: 'M', layout: '1x1', tiles: [{ tile: 1, cameraId: 'a' }] }] });
    expect(w.get().monitors[0]).toMatchObject({ enlarged: null, view: null, tiles: [{ tile: 1, cameraId: 'a', back: [], forward: [] }] });
  });
});
