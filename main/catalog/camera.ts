/**
 * The camera record as main knows it (runtime: Node). Unlike CameraSummary in the contract, it holds
 * the stream URLs, which may carry credentials, so it never leaves main.
 */
import type { CameraSummary } from '../../preload/contract.js';

export interface Camera extends Omit<CameraSummary, 'replay'> {
  streams: { main: string; sub: string | null };
}

export function toSummary(c: Camera): CameraSummary {
  const { streams, ...summary } = c;
  return { ...summary, hasSub: streams.sub !== null, replay: /^rtsps?:/i.test(streams.main) };
}
