import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../preload/contract';
import { containRect, drawable, fadeOf } from './AlertOverlay';

const a = (id: string, type: AlertView['type'], receivedAt: number) => ({ id, type, receivedAt }) as AlertView;

describe('alert overlay geometry and timing', () => {
  it('places the picture like object-fit: contain (letterbox and pillarbox)', () => {
    expect(containRect(800, 600, 1280, 720)).toEqual({ x: 0, y: 75, w: 800, h: 450 }); // letterbox
    expect(containRect(800, 300, 1280, 720)).toEqual({ x: (800 - 533.3333333333334) / 2, y: 0, w: 533.3333333333334, h: 300 }); // pillarbox
    expect(containRect(800, 450, 0, 0)).toEqual({ x: 0, y: 0, w: 800, h: 450 }); // no picture yet: the tile
  });

  it('draws the newest alert of each type until the overlay time runs out', () => {
    const list = [a('c2', 'crowd', 9_000), a('m1', 'mask', 8_000), a('c1', 'crowd', 7_000), a('old', 'crime', 0)];
    expect(drawable(list, 10_000, 5_000).map((x) => x.id)).toEqual(['c2', 'm1']);
    expect(drawable(list, 20_000, 5_000)).toEqual([]);
  });

  it('fades over the last third, in steps, to nothing', () => {
    expect(fadeOf(0, 9_000)).toBe(1);
    expect(fadeOf(5_999, 9_000)).toBe(1);
    const steps = [6_000, 6_800, 7_600, 8_300, 8_999].map((t) => fadeOf(t, 9_000));
    expect(steps.every((v, i) => i === 0 || v <= steps[i - 1]!)).toBe(true);
    expect(steps[0]).toBeLessThan(1);
    expect(fadeOf(9_000, 9_000)).toBe(0);
  });
});
