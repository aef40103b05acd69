/**
 * How many commands one session may send (runtime: Node): a token bucket per session.
 *
 * A desk's busiest moment, a district shown on four 8x8 monitors, is 256 stream.open calls at once,
 * and an operator types a few searches a second. The bucket holds 1,000 commands and refills 500 a
 * second, so no desk meets it, while a script or a compromised page flooding 10,000 a second is
 * refused after its first thousand. Refusals are counted, and the audit trail gets one line per
 * second of flooding (how many were refused since the last line), not one per refused call: the
 * flood must not fill the disk instead.
 */
export interface RateLimit {
  /** Commands a session may send at once. */
  burst: number;
  /** Commands a second a session may keep sending. */
  perSecond: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 1_000, perSecond: 500 };

/** A refusal: `audit` is how many calls were refused since the last audited one, or null for "not this one". */
export type RateVerdict = { ok: true } | { ok: false; audit: number | null };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; refused: number; auditedAt: number }>();

  constructor(readonly limit: RateLimit = DEFAULT_RATE_LIMIT) {
    if (!(limit.burst >= 1) || !(limit.perSecond > 0)) throw new Error(`rate limit: burst must be ≥ 1 and perSecond > 0, not ${JSON.stringify(limit)}`);
  }

  /** Takes one command's token for `session` at `now` (epoch ms). */
  take(session: string, now = Date.now()): RateVerdict {
    let b = this.buckets.get(session);
    if (!b) this.buckets.set(session, (b = { tokens: this.limit.burst, at: now, refused: 0, auditedAt: -Infinity }));
    // No time passed adds nothing (0 × an Infinity rate would be NaN and refuse everything).
    const elapsed = Math.max(0, now - b.at);
    b.tokens = Math.min(this.limit.burst, b.tokens + (elapsed > 0 ? (elapsed / 1_000) * this.limit.perSecond : 0));
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    b.refused++;
    if (now - b.auditedAt < 1_000) return { ok: false, audit: null };
    const refused = b.refused;
    b.refused = 0;
    b.auditedAt = now;
    return { ok: false, audit: refused };
  }

  /** A closed session's bucket goes with it. */
  forget(session: string): void {
    this.buckets.delete(session);
  }

  /** Sessions with a bucket (for tests: closed sessions leave none behind). */
  get size(): number {
    return this.buckets.size;
  }
}
