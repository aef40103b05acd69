/**
 * What the stream sockets' text frames may say (runtime: browser): shared by the fMP4 feeds (MSE,
 * WebCodecs) and the MPEG-1 feed. Nothing from a socket is trusted: states are checked against a fixed list, reasons are cut.
 */
import type { PlayerEvent } from './player-state';

const HEALTH_STATES = ['connecting', 'live', 'stalled', 'reconnecting', 'offline', 'error', 'idle'] as const;

/** A text frame as JSON, or null when it is not an object. */
export function parseControl(data: string): Record<string, unknown> | null {
  try {
    const msg: unknown = JSON.parse(data);
    return typeof msg === 'object' && msg !== null ? (msg as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** {"type":"init","codec":…} → the codec it names (letters, digits and dots, at most 40); anything else → null. */
export function initCodec(m: Record<string, unknown>): string | null {
  return m.type === 'init' && typeof m.codec === 'string' && /^[a-zA-Z0-9.]{1,40}$/.test(m.codec) ? m.codec : null;
}

/** {"type":"health",…} → the player's 'server' event; anything else → null. */
export function healthEvent(m: Record<string, unknown>): Extract<PlayerEvent, { type: 'server' }> | null {
  if (m.type !== 'health' || typeof m.state !== 'string') return null;
  const state = HEALTH_STATES.find((s) => s === m.state);
  if (!state) return null;
  return {
    type: 'server',
    state,
    reason: typeof m.reason === 'string' ? m.reason.slice(0, 200) : null,
    retryAt: typeof m.retryAt === 'number' && Number.isFinite(m.retryAt) ? m.retryAt : null,
  };
}
