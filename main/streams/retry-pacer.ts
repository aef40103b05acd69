/**
 * Paces the gateway's reconnect attempts across all cameras (runtime: anywhere; times are passed in).
 *
 * Each attempt starts an ffmpeg, and starting Debian's ffmpeg costs about 0.1 s of CPU before it
 * reads a byte (ffmpeg-pool.ts). Every ingest backs off on its own (ingest-policy.ts: 0.5 s up to a
 * 3 s cap, so one camera that returns is live again within 5 s), so N dead cameras cost N/3 ffmpeg
 * starts a second: a kecamatan's 64 cameras cut off at once took more than both cores of a 2-core
 * console, and the live tiles beside them lost their pictures (bench/README.md, dead-cameras). While
 * fewer than FREE_RETRIES cameras are retrying, each keeps its own backoff (a monitor of 4 or 8
 * cameras whose server went away is back within 5 s, as before); past that, retries are spaced at
 * least `gapMs` apart across all cameras, so many dead cameras share RETRIES_PER_SECOND, each
 * retried in turn. A camera is retrying from the time it is granted until its attempt has ended
 * (the ingest then asks for its next time, or gives this one back): counting only the retries still
 * waiting, a loaded machine, where attempts take longer, left fewer waiting and let more through
 * unpaced (a fresh clone's test: 46 attempts where 42 were the most allowed).
 *
 * A first attempt (a tile opened, a district switched to) is not paced: that is the operator's
 * action, and the prestarted ffmpegs are there for it.
 */

/** At most this many reconnect attempts a second across all cameras, once many wait: about a fifth of a core here. */
export const RETRIES_PER_SECOND = 2;
/** Cameras that may retry at once on their own backoff alone, unpaced. */
export const FREE_RETRIES = 8;
/**
 * A granted time is forgotten this long after it passed even if never given back: no attempt
 * (ffmpeg's connect timeout included) runs that long, so only a lost release is left that late.
 */
const FORGET_MS = 30_000;

export class RetryPacer {
  /** Times granted and not given back (a camera waiting for it, or trying at it), ascending. */
  private taken: number[] = [];

  constructor(
    readonly gapMs = 1_000 / RETRIES_PER_SECOND,
    readonly free = FREE_RETRIES,
  ) {}

  /**
   * When a retry that would run at `wantAt` may run: then, while fewer than `free` others are
   * retrying; else the earliest time from then that is at least gapMs from every other retry
   * granted. The time is the caller's until it releases it, once its attempt has ended.
   */
  slot(wantAt: number, now: number): number {
    if (this.gapMs <= 0) return wantAt;
    this.taken = this.taken.filter((t) => t > now - FORGET_MS);
    let at = wantAt;
    if (this.taken.length >= this.free)
      for (const t of this.taken) {
        if (t + this.gapMs <= at) continue;
        if (t >= at + this.gapMs) break;
        at = t + this.gapMs;
      }
    const i = this.taken.findIndex((t) => t > at);
    this.taken.splice(i < 0 ? this.taken.length : i, 0, at);
    return at;
  }

  /** A granted time done with (its attempt ended, the ingest stopped, or it retried early): another retry may have it. */
  release(at: number): void {
    const i = this.taken.indexOf(at);
    if (i >= 0) this.taken.splice(i, 1);
  }

  /** Retries granted and not given back (for tests). */
  get pending(): number {
    return this.taken.length;
  }
}
