/**
 * What the stream sockets' text frames may say (runtime: browser): shared by the fMP4 feeds (MSE,
 * WebCodecs), the MPEG-1 feed and the socket gate. Each frame is parsed with the contract's
 * StreamServerMessage; anything else is ignored, never trusted.
 */
import { parseJsonFrame, StreamServerMessage } from '../../../preload/contract';
import type { PlayerEvent } from './player-state';

/** A text frame from main, parsed against the contract; null when it is not one of its messages. */
export function parseControl(data: string): StreamServerMessage | null {
  return parseJsonFrame(StreamServerMessage, data);
}

/** An init frame's codec (the schema allows letters, digits and dots, at most 40); anything else → null. */
export function initCodec(m: StreamServerMessage): string | null {
  return m.type === 'init' ? m.codec : null;
}

/** A health frame as the player's 'server' event; anything else → null. */
export function healthEvent(m: StreamServerMessage): Extract<PlayerEvent, { type: 'server' }> | null {
  return m.type === 'health' ? { type: 'server', state: m.state, reason: m.reason, retryAt: m.retryAt } : null;
}
