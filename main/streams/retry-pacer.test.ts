import { describe, expect, it } from 'vitest';
import { FREE_RETRIES, RETRIES_PER_SECOND, RetryPacer } from './retry-pacer';

describe('the pace of reconnect attempts across cameras', () => {
  it('lets a lone retry run when its backoff says', () => {
    const p = new RetryPacer(500, 0);
    expect(p.slot(1_000, 0)).toBe(1_000);
    expect(p.slot(5_000, 2_000)).toBe(5_000);
  });

  it('spaces retries that want the same moment gapMs apart, in the order they asked', () => {
    const p = new RetryPacer(500, 0);
    const slots = Array.from({ length: 6 }, () => p.slot(3_000, 0));
    expect(slots).toEqual([3_000, 3_500, 4_000, 4_500, 5_000, 5_500]);
  });

  it('fits a retry into a gap between two granted ones when there is room, and never closer than gapMs', () => {
    const p = new RetryPacer(500, 0);
    expect(p.slot(1_000, 0)).toBe(1_000);
    expect(p.slot(3_000, 0)).toBe(3_000);
    expect(p.slot(1_200, 0)).toBe(1_500);
    expect(p.slot(2_000, 0)).toBe(2_000);
    expect(p.slot(2_100, 0)).toBe(2_500);
    expect(p.slot(1_000, 0)).toBe(3_500);
  });

  it('holds a time until it is given back, gives it to the next retry then, and forgets one never given back after 30 s', () => {
    const p = new RetryPacer(500, 0);
    const a = p.slot(1_000, 0);
    p.slot(1_000, 0);
    expect(p.pending).toBe(2);
    // Past its time, a granted retry still counts: its attempt may be running.
    expect(p.slot(10_000, 9_000)).toBe(10_000);
    expect(p.pending).toBe(3);
    p.release(a);
    expect(p.slot(1_000, 0)).toBe(1_000);
    expect(p.slot(60_000, 59_000)).toBe(60_000);
    expect(p.pending).toBe(1);
  });

  it('counts a camera whose attempt is running as retrying, so a slow attempt lets no more retries through unpaced', () => {
    const p = new RetryPacer(500, 2);
    const a = p.slot(1_000, 0);
    p.slot(1_000, 0);
    // Both attempts run (past their time, not given back): a third retry is paced.
    expect(p.slot(2_000, 1_500)).toBe(2_000);
    expect(p.slot(2_000, 1_500)).toBe(2_500);
    // One attempt ended and asked again: it gives its time back first; still paced (three others held).
    p.release(a);
    expect(p.slot(2_000, 1_900)).toBe(3_000);
  });

  it('leaves up to FREE_RETRIES waiting retries to their own backoff, and paces the ones past them', () => {
    const p = new RetryPacer();
    const slots = Array.from({ length: 64 }, () => p.slot(3_000, 0));
    expect(slots.slice(0, FREE_RETRIES)).toEqual(Array(FREE_RETRIES).fill(3_000));
    // 64 dead cameras: past the first few, RETRIES_PER_SECOND, each one retried in turn.
    const paced = slots.slice(FREE_RETRIES);
    expect(new Set(paced).size).toBe(paced.length);
    expect(paced[0]).toBe(3_000 + 1_000 / RETRIES_PER_SECOND);
    expect(paced.at(-1)! - paced[0]!).toBe(((paced.length - 1) * 1_000) / RETRIES_PER_SECOND);
    // Once they are past, a lone retry keeps its backoff again.
    expect(p.slot(60_000, 59_000)).toBe(60_000);
  });

  it('does not pace at all with a gap of 0', () => {
    const p = new RetryPacer(0);
    expect([p.slot(3_000, 0), p.slot(3_000, 0)]).toEqual([3_000, 3_000]);
  });
});
