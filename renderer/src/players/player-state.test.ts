import type { Reason } from '../../../preload/contract';
import { describe, expect, it } from 'vitest';
import { initialPlayer, next, noPictureLimitMs, reconnectDelayMs, REFUSED_RETRY_MS, type PlayerEvent, type PlayerState } from './player-state';

const gone: Reason = { code: 'gateway_closed' };
const refusedConn: Reason = { code: 'camera_refused' };
const budget: Reason = { code: 'transcode_budget_full', params: { used: 4, budget: 4 } };
const run = (events: PlayerEvent[], from: PlayerState = initialPlayer) => events.reduce(next, from);

describe('tile player state machine', () => {
  it('is live only once a frame is presented, not when the server says so', () => {
    expect(run([{ type: 'connect' }, { type: 'server', state: 'live', reason: null, retryAt: null }]).name).toBe('connecting');
    expect(run([{ type: 'connect' }, { type: 'frame' }]).name).toBe('live');
  });

  it('goes live again when the server says the same stream is back, with no new stream to wait for', () => {
    const live = run([{ type: 'connect' }, { type: 'stream' }, { type: 'frame' }]);
    const silent = run([{ type: 'server', state: 'stalled', reason: { code: 'camera_no_video' }, retryAt: null }], live);
    expect(silent).toMatchObject({ name: 'stalled', reason: { code: 'camera_no_video' }, awaitingStream: true });
    // Pictures decoded before the server's word are not a return to live.
    expect(run([{ type: 'frame' }], silent).name).toBe('stalled');
    const back = run([{ type: 'server', state: 'live', reason: null, retryAt: null }], silent);
    expect(back.name).toBe('stalled');
    expect(run([{ type: 'frame' }], back)).toMatchObject({ name: 'live', reason: null, awaitingStream: false });
  });

  it('turns a frozen picture into stalled', () => {
    expect(run([{ type: 'frame' }, { type: 'frozen' }])).toMatchObject({ name: 'stalled', reason: { code: 'video_frozen' } });
    expect(run([{ type: 'frozen' }]).name).toBe('connecting');
  });

  it('schedules reconnects with backoff and goes offline after three failures', () => {
    const a = run([{ type: 'frame' }, { type: 'closed', reason: gone, now: 1000 }]);
    expect(a).toMatchObject({ name: 'reconnecting', retryAt: 1500, failures: 1 });
    const b = run([{ type: 'connect' }, { type: 'closed', reason: gone, now: 2000 }, { type: 'connect' }, { type: 'closed', reason: gone, now: 3000 }], a);
    expect(b).toMatchObject({ name: 'offline', failures: 3, retryAt: 5000 });
    expect(run([{ type: 'connect' }], b).name).toBe('offline');
    expect(run([{ type: 'frame' }], b).name).toBe('offline'); // a late frame of the old stream
    expect(run([{ type: 'stream' }, { type: 'frame' }], b)).toEqual({ name: 'live', reason: null, retryAt: null, failures: 0, awaitingStream: false, refused: false, shownPct: null });
    expect(reconnectDelayMs(10)).toBe(3000);
  });

  it('gives a stream with no picture 6 s, then twice as long after each failure in a row, at most 24 s; a picture resets it', () => {
    const s0 = run([{ type: 'connect' }]);
    expect(noPictureLimitMs(s0.failures)).toBe(6_000);
    const s1 = run([{ type: 'closed', reason: gone, now: 1000 }, { type: 'connect' }], s0);
    expect(noPictureLimitMs(s1.failures)).toBe(12_000);
    const s2 = run([{ type: 'closed', reason: gone, now: 2000 }, { type: 'connect' }], s1);
    expect(noPictureLimitMs(s2.failures)).toBe(24_000);
    const s5 = run(
      [0, 1, 2].flatMap((i) => [{ type: 'closed', reason: gone, now: 3000 + i } as const, { type: 'connect' } as const]),
      s2,
    );
    expect(noPictureLimitMs(s5.failures)).toBe(24_000);
    const back = run([{ type: 'stream' }, { type: 'frame' }], s5);
    expect(noPictureLimitMs(back.failures)).toBe(6_000);
  });

  it('never turns stale frames presented after the server reported an outage into live', () => {
    const down = run([{ type: 'frame' }, { type: 'server', state: 'reconnecting', reason: refusedConn, retryAt: 5 }]);
    expect(run([{ type: 'frame' }, { type: 'frame' }], down).name).toBe('reconnecting');
    expect(run([{ type: 'stream' }, { type: 'frame' }], down).name).toBe('live');
  });

  it('shows the server-side reason and retry time', () => {
    const s = run([{ type: 'server', state: 'offline', reason: refusedConn, retryAt: 99 }]);
    expect(s).toMatchObject({ name: 'offline', reason: refusedConn, retryAt: 99 });
  });

  it("leaves a camera's refusal (a wrong password) once a new stream comes, never on stale frames", () => {
    const auth: Reason = { code: 'camera_auth_failed' };
    const refused = run([{ type: 'server', state: 'error', reason: auth, retryAt: 7 }]);
    expect(refused).toMatchObject({ name: 'error', reason: auth });
    expect(run([{ type: 'frame' }], refused).name).toBe('error');
    expect(run([{ type: 'stream' }, { type: 'frame' }], refused).name).toBe('live');
  });

  it('stays in error for an unplayable codec', () => {
    const s = run([{ type: 'unsupported', reason: { code: 'codec_unsupported', params: { codec: 'hvc1' } } }, { type: 'frame' }, { type: 'closed', reason: gone, now: 0 }]);
    expect(s.name).toBe('error');
  });

  it('says why main refused a stream (transcode budget full), keeps saying it while asking again, and goes live once it gets one', () => {
    const refused = run([{ type: 'connect' }, { type: 'refused', reason: budget, now: 1000 }]);
    expect(refused).toMatchObject({ name: 'error', reason: budget, retryAt: 1000 + REFUSED_RETRY_MS, refused: true });
    const asking = run([{ type: 'connect' }], refused);
    expect(asking).toMatchObject({ name: 'error', reason: budget, retryAt: null });
    expect(run([{ type: 'frame' }], asking).name).toBe('live');
    // A socket that closes after the refusal is an ordinary reconnect, not a stuck error.
    expect(run([{ type: 'closed', reason: gone, now: 5 }], asking).name).toBe('reconnecting');
    // An error for good (a codec nothing here plays) is not lifted by a refusal's rules.
    expect(run([{ type: 'unsupported', reason: gone }, { type: 'connect' }, { type: 'frame' }]).name).toBe('error');
  });

  it('marks a live tile degraded when it draws under 80 % of its stream, and clears it only at 90 %', () => {
    const live = run([{ type: 'connect' }, { type: 'stream' }, { type: 'frame' }]);
    expect(live.shownPct).toBeNull();
    // Keeping up, or too few pictures to judge: nothing.
    expect(run([{ type: 'rate', received: 45, drawn: 44 }], live).shownPct).toBeNull();
    expect(run([{ type: 'rate', received: 5, drawn: 1 }], live).shownPct).toBeNull();
    const behind = run([{ type: 'rate', received: 45, drawn: 15 }], live);
    expect(behind).toMatchObject({ name: 'live', shownPct: 33 });
    // Pictures still come: it stays live and stays marked; 85 % is not yet enough to clear it.
    expect(run([{ type: 'frame' }, { type: 'rate', received: 45, drawn: 38 }], behind)).toMatchObject({ name: 'live', shownPct: 84 });
    expect(run([{ type: 'rate', received: 45, drawn: 41 }], behind).shownPct).toBeNull();
    // A tile that is not live is not "degraded": it says what it is.
    expect(run([{ type: 'frozen' }], behind)).toMatchObject({ name: 'stalled', shownPct: null });
    expect(run([{ type: 'closed', reason: gone, now: 0 }], behind).shownPct).toBeNull();
    expect(run([{ type: 'rate', received: 45, drawn: 1 }], initialPlayer).shownPct).toBeNull();
  });
});
