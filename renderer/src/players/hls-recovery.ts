/**
 * What to do with a fatal hls.js error (runtime: browser), as the hls.js docs advise: recover a media
 * error, at most once every 5 s; anything else (or a media error sooner than that) ends playback.
 * Shared by the HLS-source feed and instant replay.
 */
import type HlsType from 'hls.js';

const RECOVERY_INTERVAL_MS = 5_000;

export class MediaErrorRecovery {
  private recoveredAt = 0;

  /** Recovers when allowed and says so; false means the caller ends playback. */
  tryRecover(hls: HlsType, isMediaError: boolean): boolean {
    if (!isMediaError || performance.now() - this.recoveredAt <= RECOVERY_INTERVAL_MS) return false;
    this.recoveredAt = performance.now();
    hls.recoverMediaError();
    return true;
  }
}
