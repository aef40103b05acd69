/**
 * The ingest restart policy as data (runtime: anywhere): a pure `next(state, event)`.
 *
 * connecting → live on the first fragment; live → stalled when output stops; a stalled or dead ffmpeg
 * → reconnecting with capped exponential backoff and jitter. After OFFLINE_AFTER failed attempts the
 * camera reads "offline" (or "error" when the camera itself refused us: wrong password, no such path),
 * and retries continue at the capped delay, so a camera that returns recovers on its own.
 */
import { reason, type Reason, type StreamHealthState } from '../../preload/contract.js';
import type { RtspTransport } from './ffmpeg.js';

export type IngestPhase = 'connecting' | 'live' | 'stalled' | 'waiting' | 'stopped';

export interface IngestState {
  phase: IngestPhase;
  /** Consecutive failed attempts since the last time frames flowed. */
  failures: number;
  transport: RtspTransport;
  reason: Reason | null;
  /** Set in 'waiting': how long until the next attempt. */
  retryInMs: number | null;
  /** A failure the camera itself reported (auth, not found, bad data): shown as error, not offline. */
  fatal: boolean;
}

export type IngestEvent =
  { type: 'start' } | { type: 'frames' } | { type: 'silence' } | { type: 'exited'; reason: Reason; fatal: boolean; transportRefused: boolean } | { type: 'retry' } | { type: 'stop' };

// The cap bounds recovery: a camera that returns is retried within 3.6 s, so it is live again within 5 s.
export const BACKOFF = { baseMs: 500, capMs: 3_000, jitter: 0.2 } as const;
export const OFFLINE_AFTER = 3;

export const initialIngest: IngestState = { phase: 'stopped', failures: 0, transport: 'tcp', reason: null, retryInMs: null, fatal: false };

/** 500 ms, 1 s, 2 s, 3 s, 3 s … each ±20 %; `random` is injected so tests are exact. */
export function backoffMs(failures: number, random: () => number): number {
  const raw = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(raw * (1 - BACKOFF.jitter + 2 * BACKOFF.jitter * random()));
}

export function next(state: IngestState, event: IngestEvent, random: () => number = Math.random): IngestState {
  switch (event.type) {
    case 'start':
      return { ...state, phase: 'connecting', retryInMs: null };
    case 'frames':
      if (state.phase === 'stopped') return state;
      return { ...state, phase: 'live', failures: 0, reason: null, retryInMs: null, fatal: false };
    case 'silence':
      if (state.phase !== 'live') return state;
      return { ...state, phase: 'stalled', reason: reason('camera_no_video') };
    case 'exited': {
      if (state.phase === 'stopped') return state;
      const failures = state.failures + 1;
      // Cameras that refuse TCP interleaving (461) are read over UDP; the next failure tries TCP again.
      const transport: RtspTransport = event.transportRefused ? (state.transport === 'tcp' ? 'udp' : 'tcp') : state.transport;
      return { ...state, phase: 'waiting', failures, transport, reason: event.reason, fatal: event.fatal, retryInMs: backoffMs(failures, random) };
    }
    case 'retry':
      if (state.phase !== 'waiting') return state;
      return { ...state, phase: 'connecting', retryInMs: null };
    case 'stop':
      return { ...state, phase: 'stopped', retryInMs: null };
    default:
      return assertNever(event);
  }
}

export function healthOf(state: IngestState): StreamHealthState {
  switch (state.phase) {
    case 'connecting':
      // A camera that keeps failing stays offline (or error) through its retries instead of flapping.
      if (state.failures === 0) return 'connecting';
      if (state.fatal) return 'error';
      return state.failures >= OFFLINE_AFTER ? 'offline' : 'reconnecting';
    case 'live':
      return 'live';
    case 'stalled':
      return 'stalled';
    case 'waiting':
      if (state.fatal) return 'error';
      return state.failures >= OFFLINE_AFTER ? 'offline' : 'reconnecting';
    case 'stopped':
      return 'idle';
    default:
      return assertNever(state.phase);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

/** ffmpeg's socket timeout (-timeout 5 s): an attempt that ran this long with no output timed out. */
export const SOCKET_TIMEOUT_MS = 5_000;

/**
 * Turns ffmpeg's stderr into a reason an operator understands (a code the renderer translates). ffmpeg 5.1 says "Invalid data found" both
 * for a camera that never answers (after its socket timeout) and for one that sends garbage (at once),
 * so the attempt's duration and whether it produced any output tell them apart.
 */
export function classifyFfmpegError(
  stderr: string,
  attempt: { elapsedMs: number; gotOutput: boolean } = { elapsedMs: 0, gotOutput: true },
): { reason: Reason; fatal: boolean; transportRefused: boolean } {
  const s = stderr.toLowerCase();
  if (!attempt.gotOutput && attempt.elapsedMs >= SOCKET_TIMEOUT_MS * 0.9 && !/\b(401|403|404|461)\b/.test(s)) return { reason: reason('camera_no_answer'), fatal: false, transportRefused: false };
  if (s.includes('461 unsupported transport')) return { reason: reason('camera_transport_refused'), fatal: false, transportRefused: true };
  if (s.includes('401 unauthorized') || s.includes('403 forbidden')) return { reason: reason('camera_auth_failed'), fatal: true, transportRefused: false };
  if (s.includes('404 not found')) return { reason: reason('camera_path_not_found'), fatal: true, transportRefused: false };
  if (s.includes('connection refused')) return { reason: reason('camera_refused'), fatal: false, transportRefused: false };
  if (s.includes('timed out') || s.includes('timeout') || s.includes('does not answer')) return { reason: reason('camera_no_answer'), fatal: false, transportRefused: false };
  if (s.includes('invalid data') || s.includes('could not find codec') || s.includes('no such stream')) return { reason: reason('camera_not_video'), fatal: true, transportRefused: false };
  if (s.includes('end of file') || s.trim() === '') return { reason: reason('camera_closed'), fatal: false, transportRefused: false };
  const last = stderr.trim().split('\n').pop() ?? '';
  return { reason: reason('stream_failed', undefined, last.slice(0, 160)), fatal: false, transportRefused: false };
}
