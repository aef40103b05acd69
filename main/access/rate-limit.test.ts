import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('the per-session command limit', () => {
  it('lets a burst through, then refills at its rate', () => {
    const r = new RateLimiter({ burst: 10, perSecond: 5 });
    const t0 = 1_000_000;
    const first = Array.from({ length: 15 }, () => r.take('s', t0).ok);
    expect(first.filter(Boolean)).toHaveLength(10);
    // 400 ms later two tokens have come back (5 a second), not three.
    expect([r.take('s', t0 + 400).ok, r.take('s', t0 + 400).ok, r.take('s', t0 + 400).ok]).toEqual([true, true, false]);
    // A quiet minute fills the bucket again, never beyond its burst.
    const later = Array.from({ length: 12 }, () => r.take('s', t0 + 60_000).ok);
    expect(later.filter(Boolean)).toHaveLength(10);
  });

  it('keeps one bucket per session', () => {
    const r = new RateLimiter({ burst: 2, perSecond: 1 });
    expect([r.take('a', 0).ok, r.take('a', 0).ok, r.take('a', 0).ok]).toEqual([true, true, false]);
    expect(r.take('b', 0).ok).toBe(true);
  });

  it('asks for one audit line a second of refusals, counting the calls it refused since the last', () => {
    const r = new RateLimiter({ burst: 1, perSecond: 1 });
    r.take('s', 0);
    const verdicts = Array.from({ length: 5 }, () => r.take('s', 100));
    expect(verdicts).toEqual([{ ok: false, audit: 1 }, ...Array(4).fill({ ok: false, audit: null })]);
    // 1.2 s on: one token came back (taken), the next refusal is audited with the four unreported ones.
    expect(r.take('s', 1_200)).toEqual({ ok: true });
    expect(r.take('s', 1_200)).toEqual({ ok: false, audit: 5 });
  });

  it('forgets a closed session, and refuses a limit that would let nothing through', () => {
    const r = new RateLimiter({ burst: 1, perSecond: 1 });
    r.take('s', 0);
    expect(r.size).toBe(1);
    r.forget('s');
    expect(r.size).toBe(0);
    expect(() => new RateLimiter({ burst: 0, perSecond: 1 })).toThrow(/burst must be ≥ 1/);
    expect(() => new RateLimiter({ burst: 1, perSecond: Number.NaN })).toThrow(/perSecond > 0/);
  });

  it('lets everything through when lifted (an unlimited rate), also many calls in the same millisecond', () => {
    const r = new RateLimiter({ burst: Infinity, perSecond: Infinity });
    for (let i = 0; i < 10_000; i++) expect(r.take('s', 5)).toEqual({ ok: true });
  });
});
