/**
 * The tile player's state machine as data (runtime: browser, but pure): `next(state, event)`.
 *
 * "live" is earned only by frames actually presented; a server saying "live" is not enough, so a
 * frozen picture can never pass for live video. A closed socket schedules a reconnect with capped
 * backoff; after three failures in a row the tile reads "offline" and keeps retrying.
 */
import type { StreamHealthState } from '../../../preload/contract';

export type PlayerStateName = 'connecting' | 'live' | 'stalled' | 'reconnecting' | 'offline' | 'error';

export interface PlayerState {
  name: PlayerStateName;
  reason: string | null;
  /** Epoch ms of the next attempt, when one is scheduled. */
  retryAt: number | null;
  failures: number;
  /** The server said the stream is down: frames still in the decoder are stale, not a return to live. */
  awaitingStream: boolean;
}

export type PlayerEvent =
  | { type: 'connect' }
  | { type: 'frame' }
  | { type: 'stream' }
  | { type: 'frozen' }
  | { type: 'server'; state: StreamHealthState; reason: string | null; retryAt: number | null }
  | { type: 'closed'; reason: string; now: number }
  | { type: 'unsupported'; reason: string };

export const FROZEN_AFTER_MS = 2_500;
export const OFFLINE_AFTER_FAILURES = 3;

export const initialPlayer: PlayerState = { name: 'connecting', reason: null, retryAt: null, failures: 0, awaitingStream: false };

export function reconnectDelayMs(failures: number): number {
  return Math.min(3_000, 500 * 2 ** Math.max(0, failures - 1));
}

export function next(state: PlayerState, event: PlayerEvent): PlayerState {
  switch (event.type) {
    case 'connect':
      if (state.name === 'error') return state;
      return { ...state, name: state.failures > 0 ? (state.name === 'offline' ? 'offline' : 'reconnecting') : 'connecting', retryAt: null };
    case 'frame':
      if (state.name === 'error' || state.awaitingStream) return state;
      return { name: 'live', reason: null, retryAt: null, failures: 0, awaitingStream: false };
    case 'stream':
      return { ...state, awaitingStream: false };
    case 'frozen':
      if (state.name !== 'live') return state;
      return { ...state, name: 'stalled', reason: 'video frozen' };
    case 'server':
      switch (event.state) {
        case 'offline':
        case 'error':
        case 'reconnecting':
        case 'stalled':
          return { ...state, name: event.state, reason: event.reason, retryAt: event.retryAt, awaitingStream: true };
        case 'connecting':
          return state.name === 'live' ? state : { ...state, name: state.failures > 0 ? 'reconnecting' : 'connecting', reason: event.reason };
        case 'live':
        case 'idle':
          return state;
        default:
          return assertNever(event.state);
      }
    case 'closed': {
      if (state.name === 'error') return state;
      const failures = state.failures + 1;
      return {
        name: failures >= OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting',
        reason: event.reason,
        retryAt: event.now + reconnectDelayMs(failures),
        failures,
        awaitingStream: true,
      };
    }
    case 'unsupported':
      return { ...state, name: 'error', reason: event.reason, retryAt: null };
    default:
      return assertNever(event);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected: ${JSON.stringify(x)}`);
}
