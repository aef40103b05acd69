/**
 * For tests of fMP4 output (one fragment per picture): the pictures' decode times, the steps between
 * them in seconds, where the keyframes are, and all of it as text for a failure message.
 */
import { decodeTime, type Fragment } from './fmp4.js';

export function pictureRun(fragments: Fragment[], timescale = 90_000): { times: number[]; steps: number[]; keys: number[]; said: string } {
  const times = fragments.map((f) => decodeTime(f.data)!);
  const steps = times.slice(1).map((t, i) => (t - times[i]!) / timescale);
  const keys = fragments.flatMap((f, i) => (f.keyframe ? [i] : []));
  return { times, steps, keys, said: `keyframes at ${keys.join(' ')}; steps (s) ${steps.map((s) => s.toFixed(3)).join(' ')}` };
}
