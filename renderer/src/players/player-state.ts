/**
 * The tile player's state machine as data (runtime: browser, but pure): `next(state, event)`.
 *
 * "live" is earned only by frames actually presented; a server saying "live" is not enough, so a
 * frozen picture can never pass for live video. A closed socket schedules a reconnect with capped
 * backoff; after three failures in a row the tile reads "offline" and keeps retrying. A stream main
 * refuses for now (the transcode budget is full) reads "error" with main's reason and is retried
 * every REFUSED_RETRY_MS; a codec nothing here can play is an error for good.
 */
import { reason, type Reason, type StreamHealthState } from '../../../preload/contract';

export type PlayerStateName = 'connecting' | 'live' | 'stalled' | 'reconnecting' | 'offline' | 'error';

export interface PlayerState {
  name: PlayerStateName;
  /** Why it is not live: a code the tile translates. */
  reason: Reason | null;
  /** Epoch ms of the next attempt, when one is scheduled. */
  retryAt: number | null;
  failures: number;
  /** The server said the stream is down: frames still in the decoder are stale, not a return to live. */
  awaitingStream: boolean;
  /** An error that passes (main refused the stream for now); false for an error for good. */
  refused: boolean;
  /**
   * Live but falling behind: the share (%) of the stream's pictures the tile drew lately; null while
   * it keeps up. Set below DEGRADED_BELOW_PCT, cleared at RECOVERED_AT_PCT (no flicker in between).
   */
  shownPct: number | null;
}

export type PlayerEvent =
  | { type: 'connect' }
  | { type: 'frame' }
  | { type: 'rate'; received: number; drawn: number }
  | { type: 'stream' }
  | { type: 'frozen' }
  | { type: 'server'; state: StreamHealthState; reason: Reason | null; retryAt: number | null }
  | { type: 'closed'; reason: Reason; now: number }
  | { type: 'unsupported'; reason: Reason }
  | { type: 'refused'; reason: Reason; now: number };

export const FROZEN_AFTER_MS = 2_500;
export const OFFLINE_AFTER_FAILURES = 3;
/** A refused tile asks again this often: a refusal is one quick call, and an idle transcode gives way to it. */
export const REFUSED_RETRY_MS = 5_000;

export const DEGRADED_BELOW_PCT = 80;
export const RECOVERED_AT_PCT = 90;
/** Fewer pictures than this in a window say nothing about keeping up (a camera at 1 fps, a start). */
export const RATE_MIN_PICTURES = 8;

export const initialPlayer: PlayerState = { name: 'connecting', reason: null, retryAt: null, failures: 0, awaitingStream: false, refused: false, shownPct: null };

/** A started stream with no picture for this long is restarted: the first time. */
export const NO_PICTURE_MS = 6_000;
const NO_PICTURE_MAX_MS = 24_000;

/**
 * How long a started stream may go without a picture before the tile starts over, after `failures`
 * failed attempts in a row: 6 s, then 12, then 24. A stalled decoder is caught in 6 s; but on a
 * machine that is briefly overloaded (a cold 6x6 monitor starting beside a live one) a restart costs
 * more than it saves (a new decoder, a wait for the next keyframe), and tiles restarting every 6 s
 * kept the load up: the enlarged-tile bench saw a live monitor's tiles do that for its whole run.
 */
export function noPictureLimitMs(failures: number): number {
  return Math.min(NO_PICTURE_MAX_MS, NO_PICTURE_MS * 2 ** Math.max(0, failures));
}

export function reconnectDelayMs(failures: number): number {
  return Math.min(3_000, 500 * 2 ** Math.max(0, failures - 1));
}

export function next(state: PlayerState, event: PlayerEvent): PlayerState {
  switch (event.type) {
    case 'connect':
      // A refused stream keeps saying why while it asks again.
      if (state.name === 'error') return state.refused ? { ...state, retryAt: null } : state;
      return { ...state, name: state.failures > 0 ? (state.name === 'offline' ? 'offline' : 'reconnecting') : 'connecting', retryAt: null };
    case 'frame':
      if ((state.name === 'error' && !state.refused) || state.awaitingStream) return state;
      return { name: 'live', reason: null, retryAt: null, failures: 0, awaitingStream: false, refused: false, shownPct: state.name === 'live' ? state.shownPct : null };
    case 'rate': {
      if (state.name !== 'live' || event.received < RATE_MIN_PICTURES) return state;
      const pct = Math.min(100, Math.round((100 * event.drawn) / event.received));
      const shownPct = state.shownPct === null ? (pct < DEGRADED_BELOW_PCT ? pct : null) : pct >= RECOVERED_AT_PCT ? null : pct;
      return shownPct === state.shownPct ? state : { ...state, shownPct };
    }
    case 'stream':
      return { ...state, awaitingStream: false };
    case 'frozen':
      if (state.name !== 'live') return state;
      return { ...state, name: 'stalled', reason: reason('video_frozen'), shownPct: null };
    case 'server':
      switch (event.state) {
        case 'offline':
        case 'reconnecting':
        case 'stalled':
          return { ...state, name: event.state, reason: event.reason, retryAt: event.retryAt, awaitingStream: true };
        case 'error':
          // The camera refused (a wrong password, garbage): main keeps trying, and a fixed camera or
          // newly kept credentials bring the stream back, so this error passes when a new stream comes.
          return { ...state, name: 'error', reason: event.reason, retryAt: event.retryAt, awaitingStream: true, refused: true };
        case 'connecting':
          return state.name === 'live' ? state : { ...state, name: state.failures > 0 ? 'reconnecting' : 'connecting', reason: event.reason };
        case 'live':
          // The same stream came back without a restart (an ingest's camera fell silent for a few
          // seconds, then sent again): its pictures from now on are live ones. Waiting for a new
          // stream here left such a tile reading "stalled" for good while its pictures played.
          return state.awaitingStream ? { ...state, awaitingStream: false } : state;
        case 'idle':
          return state;
        default:
          return assertNever(event.state);
      }
    case 'closed': {
      if (state.name === 'error' && !state.refused) return state;
      const failures = state.failures + 1;
      return {
        name: failures >= OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting',
        reason: event.reason,
        retryAt: event.now + reconnectDelayMs(failures),
        failures,
        awaitingStream: true,
        refused: false,
        shownPct: null,
      };
    }
    case 'unsupported':
      return { ...state, name: 'error', reason: event.reason, retryAt: null, refused: false };
    case 'refused':
      return { ...state, name: 'error', reason: event.reason, retryAt: event.now + REFUSED_RETRY_MS, refused: true, awaitingStream: false };
    default:
      return assertNever(event);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected: ${JSON.stringify(x)}`);
}
