/**
 * Tile player states for the status bar (runtime: browser): a tiny external store, read with
 * useSyncExternalStore so one tile's change re-renders only what reads it.
 */
import type { PlayerStateName } from '../players/player-state';

type Listener = () => void;
const states = new Map<string, PlayerStateName>();
const listeners = new Set<Listener>();
let snapshot: ReadonlyMap<string, PlayerStateName> = new Map();

export const tileStates = {
  set(key: string, state: PlayerStateName | null): void {
    if (state === null) states.delete(key);
    else states.set(key, state);
    snapshot = new Map(states);
    for (const l of listeners) l();
  },
  // Arrow functions: React's useSyncExternalStore calls them unbound.
  subscribe: (l: Listener): (() => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  snapshot: (): ReadonlyMap<string, PlayerStateName> => snapshot,
};
