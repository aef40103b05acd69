/**
 * Sessions (runtime: Node): every window and every API socket is one, with a desk and a role that main
 * decides, never the page. A desk starts as operator (or kiosk); `elevate` with the supervisor PIN makes
 * that one session a supervisor until it has gone `idleMs` without a supervisor action.
 *
 * Wrong PINs are counted per desk and persisted, so reconnecting or restarting does not reset them:
 * after MAX_FREE_TRIES failures the desk waits LOCK_BASE_MS, and each further failure doubles the wait.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiError, reason, type Role, type SessionInfo } from '../../preload/contract.js';
import type { JsonStore } from '../store/json-store.js';
import { hashPin, isValidPin, PinHash, verifyPin } from './pin.js';

export const SUPERVISOR_IDLE_MS = 10 * 60_000;
export const MAX_FREE_TRIES = 5;
export const LOCK_BASE_MS = 30_000;

export const AccessFile = z.object({
  pin: PinHash.nullable(),
  /** Wrong PINs per desk since the last right one, and until when that desk must wait. */
  lockouts: z.record(z.string(), z.object({ failures: z.number().int().nonnegative(), lockedUntil: z.number() })),
});
export type AccessFile = z.infer<typeof AccessFile>;
export const EMPTY_ACCESS: AccessFile = { pin: null, lockouts: {} };

export interface Session {
  readonly id: string;
  readonly desk: string;
  /** What the session is without elevation: operator, or kiosk (which can't elevate). */
  readonly base: 'operator' | 'kiosk';
  elevatedUntil: number | null;
}

export interface SessionBookOptions {
  store: JsonStore<AccessFile>;
  idleMs?: number;
  now?: () => number;
  /** A PIN to set when none is stored yet (PANTAU_SUPERVISOR_PIN on a first start). */
  provisionPin?: string;
}

/** How long a desk must wait after `failures` wrong PINs in a row. */
export function lockoutMs(failures: number): number {
  return failures < MAX_FREE_TRIES ? 0 : LOCK_BASE_MS * 2 ** (failures - MAX_FREE_TRIES);
}

export class SessionBook {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;
  private readonly idleMs: number;

  constructor(private readonly o: SessionBookOptions) {
    this.now = o.now ?? Date.now;
    this.idleMs = o.idleMs ?? SUPERVISOR_IDLE_MS;
    if (o.provisionPin !== undefined && o.store.get('pin') === null) {
      if (!isValidPin(o.provisionPin)) throw new Error('PANTAU_SUPERVISOR_PIN must be 4 to 12 digits');
      o.store.set('pin', hashPin(o.provisionPin));
    }
  }

  open(desk: string, base: Session['base'] = 'operator'): Session {
    const s: Session = { id: `s-${randomBytes(9).toString('base64url')}`, desk, base, elevatedUntil: null };
    this.sessions.set(s.id, s);
    return s;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  get(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new ApiError('forbidden', 'this session has ended; reconnect');
    return s;
  }

  role(id: string): Role {
    const s = this.get(id);
    if (s.elevatedUntil !== null && s.elevatedUntil <= this.now()) s.elevatedUntil = null;
    return s.elevatedUntil !== null ? 'supervisor' : s.base;
  }

  info(id: string): SessionInfo {
    const role = this.role(id);
    const s = this.get(id);
    return { role, desk: s.desk, expiresAt: s.elevatedUntil, pinSet: this.o.store.get('pin') !== null };
  }

  /** A supervisor action: the elevation lasts another idleMs from now. */
  touch(id: string): void {
    const s = this.sessions.get(id);
    if (s && this.role(id) === 'supervisor') s.elevatedUntil = this.now() + this.idleMs;
  }

  elevate(id: string, pin: string): SessionInfo {
    const s = this.get(id);
    if (s.base === 'kiosk') throw new ApiError('forbidden', 'a kiosk cannot become a supervisor', reason('not_allowed', { command: 'session.elevate', role: 'kiosk' }));
    this.checkPin(s, pin);
    s.elevatedUntil = this.now() + this.idleMs;
    return this.info(id);
  }

  /**
   * A kiosk's maintenance PIN pad: the supervisor PIN, with the same per-desk lockout as elevate. The
   * session stays a kiosk session; the kiosk service opens maintenance for it.
   */
  checkKioskPin(id: string, pin: string): void {
    const s = this.get(id);
    if (s.base !== 'kiosk') throw new ApiError('forbidden', 'only a kiosk has a maintenance PIN pad', reason('not_allowed', { command: 'kiosk.unlock', role: this.role(id) }));
    this.checkPin(s, pin);
  }

  /** Throws unless `pin` is the supervisor PIN; counts wrong ones per desk and locks the desk out. */
  private checkPin(s: Session, pin: string): void {
    const stored = this.o.store.get('pin');
    if (!stored) throw new ApiError('unavailable', 'no supervisor PIN is set on this console', reason('pin_not_set'));
    const lockouts = this.o.store.get('lockouts');
    const mine = lockouts[s.desk] ?? { failures: 0, lockedUntil: 0 };
    const now = this.now();
    if (mine.lockedUntil > now) {
      const seconds = Math.ceil((mine.lockedUntil - now) / 1000);
      throw new ApiError('forbidden', `too many wrong PINs: wait ${seconds} s`, reason('pin_locked', { seconds }));
    }
    if (!verifyPin(pin, stored)) {
      const failures = mine.failures + 1;
      const wait = lockoutMs(failures);
      this.o.store.set('lockouts', { ...lockouts, [s.desk]: { failures, lockedUntil: wait ? now + wait : 0 } });
      if (wait) throw new ApiError('forbidden', `wrong PIN; wait ${wait / 1000} s`, reason('pin_locked', { seconds: wait / 1000 }));
      throw new ApiError('forbidden', `wrong PIN (${MAX_FREE_TRIES - failures} tries left)`, reason('pin_wrong', { left: MAX_FREE_TRIES - failures }));
    }
    if (lockouts[s.desk]) {
      const rest = { ...lockouts };
      delete rest[s.desk];
      this.o.store.set('lockouts', rest);
    }
  }

  drop(id: string): SessionInfo {
    this.get(id).elevatedUntil = null;
    return this.info(id);
  }

  /** Sets the PIN: allowed to anyone while none is set (first start), then to a supervisor only. */
  setPin(id: string, pin: string): SessionInfo {
    if (this.o.store.get('pin') !== null && this.role(id) !== 'supervisor') {
      throw new ApiError('forbidden', 'only a supervisor may change the PIN', reason('not_allowed', { command: 'session.setPin', role: this.role(id) }));
    }
    if (!isValidPin(pin)) throw new ApiError('bad_request', 'a PIN is 4 to 12 digits', reason('pin_invalid'));
    this.o.store.set('pin', hashPin(pin));
    return this.info(id);
  }
}
