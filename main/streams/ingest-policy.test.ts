import type { Reason } from '../../preload/contract';
import { describe, expect, it } from 'vitest';
import { backoffMs, classifyFfmpegError, healthOf, initialIngest, next, OFFLINE_AFTER, type IngestEvent, type IngestState } from './ingest-policy.js';

const mid = () => 0.5; // no jitter
const exited = (reason: Reason = { code: 'camera_refused' }, fatal = false, transportRefused = false): IngestEvent => ({ type: 'exited', reason, fatal, transportRefused });
const run = (events: IngestEvent[], from: IngestState = initialIngest) => events.reduce((s, e) => next(s, e, mid), from);

describe('ingest restart policy', () => {
  it('goes connecting → live on frames and back to stalled on silence', () => {
    const s = run([{ type: 'start' }]);
    expect(healthOf(s)).toBe('connecting');
    const live = next(s, { type: 'frames' });
    expect(healthOf(live)).toBe('live');
    expect(healthOf(next(live, { type: 'silence' }))).toBe('stalled');
  });

  it('backs off exponentially, capped at 3 s, with ±20 % jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((f) => backoffMs(f, mid))).toEqual([500, 1000, 2000, 3000, 3000, 3000, 3000]);
    expect(backoffMs(1, () => 0)).toBe(400);
    expect(backoffMs(1, () => 1)).toBe(600);
  });

  it('reads reconnecting, then offline after repeated failures, and keeps retrying', () => {
    let s = run([{ type: 'start' }, exited()]);
    expect(healthOf(s)).toBe('reconnecting');
    expect(s.retryInMs).toBe(500);
    for (let i = 1; i < OFFLINE_AFTER; i++) s = run([{ type: 'retry' }, exited()], s);
    expect(healthOf(s)).toBe('offline');
    expect(s.retryInMs).toBe(2000);
    s = run([{ type: 'retry' }], s);
    expect(s.phase).toBe('connecting');
    expect(healthOf(s)).toBe('offline'); // no flapping back to reconnecting on every retry
    expect(healthOf(run([{ type: 'frames' }], s))).toBe('live');
    expect(run([{ type: 'frames' }], s).failures).toBe(0);
  });

  it('shows camera-side refusals (wrong password) as error, not offline', () => {
    const s = run([{ type: 'start' }, exited({ code: 'camera_auth_failed' }, true)]);
    expect(healthOf(s)).toBe('error');
    expect(s.reason?.code).toBe('camera_auth_failed');
  });

  it('switches RTSP transport when the camera refuses TCP', () => {
    const s = run([{ type: 'start' }, exited({ code: 'camera_transport_refused' }, false, true)]);
    expect(s.transport).toBe('udp');
    expect(run([{ type: 'retry' }, exited({ code: 'camera_transport_refused' }, false, true)], s).transport).toBe('tcp');
  });

  it('ignores everything but start once stopped', () => {
    const s = run([{ type: 'start' }, { type: 'stop' }, exited(), { type: 'frames' }, { type: 'retry' }]);
    expect(s.phase).toBe('stopped');
    expect(healthOf(s)).toBe('idle');
  });

  it('classifies ffmpeg errors in operator words', () => {
    expect(classifyFfmpegError('method DESCRIBE failed: 401 Unauthorized')).toMatchObject({ fatal: true, reason: { code: 'camera_auth_failed' } });
    expect(classifyFfmpegError('Connection to tcp://127.0.0.1:5 failed: Connection refused').reason.code).toBe('camera_refused');
    expect(classifyFfmpegError('method SETUP failed: 461 Unsupported Transport').transportRefused).toBe(true);
    expect(classifyFfmpegError('rtsp://x: Invalid data found when processing input')).toMatchObject({ fatal: true });
    expect(classifyFfmpegError('camera does not answer').reason.code).toBe('camera_no_answer');
    // The same ffmpeg words mean a silent camera after the socket timeout, garbage when immediate.
    const words = 'rtsp://127.0.0.1:5/x: Invalid data found when processing input';
    expect(classifyFfmpegError(words, { elapsedMs: 5_200, gotOutput: false })).toMatchObject({ reason: { code: 'camera_no_answer' }, fatal: false });
    expect(classifyFfmpegError(words, { elapsedMs: 40, gotOutput: false })).toMatchObject({ reason: { code: 'camera_not_video' }, fatal: true });
  });
});
