import { describe, expect, it } from 'vitest';
import { aggregate, median } from './aggregate';

describe('benchmark runs folded into medians with their spread', () => {
  it('takes the median and min-max of every number, nested too', () => {
    const a = aggregate([
      { figures: { 'cold: ms': { p50: 1400, p95: 1500 }, cpu: 101.5 } },
      { figures: { 'cold: ms': { p50: 1300, p95: 1600 }, cpu: 99.25 } },
      { figures: { 'cold: ms': { p50: 2100, p95: 2500 }, cpu: 120 } },
    ]);
    expect(a.runs).toBe(3);
    expect(a.failedRuns).toBe(0);
    expect(a.figures['cold: ms']).toEqual({ p50: { median: 1400, min: 1300, max: 2100, n: 3 }, p95: { median: 1600, min: 1500, max: 2500, n: 3 } });
    expect(a.figures.cpu).toEqual({ median: 101.5, min: 99.25, max: 120, n: 3 });
  });

  it('keeps going past a failed run, and says why it failed', () => {
    const a = aggregate([{ figures: { x: 1 } }, { figures: null, error: 'not all live: connecting' }, { figures: { x: 3 } }]);
    expect(a.failedRuns).toBe(1);
    expect(a.failures).toEqual(['not all live: connecting']);
    expect(a.figures.x).toEqual({ median: 2, min: 1, max: 3, n: 2 });
  });

  it('judges goals on the median, not on the best run', () => {
    const goals = [{ label: 'cold p50 <= 1500 ms', figure: 'cold: ms.p50', atMost: 1500 }];
    const a = aggregate([
      { figures: { 'cold: ms': { p50: 1400 } }, goals },
      { figures: { 'cold: ms': { p50: 1600 } }, goals },
      { figures: { 'cold: ms': { p50: 1700 } }, goals },
    ]);
    expect(a.goals).toEqual([{ label: 'cold p50 <= 1500 ms', figure: 'cold: ms.p50', median: 1600, met: false }]);
  });

  it('counts yes/no figures and keeps text the runs agree on', () => {
    const a = aggregate([{ figures: { ok: true, mode: 'webcodecs' } }, { figures: { ok: false, mode: 'webcodecs' } }]);
    expect(a.figures.ok).toBe('1 of 2 runs');
    expect(a.figures.mode).toBe('webcodecs');
  });

  it('has a median for odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
