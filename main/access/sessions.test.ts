import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../preload/contract.js';
import { JsonStore } from '../store/json-store.js';
import { AccessFile, EMPTY_ACCESS, LOCK_BASE_MS, lockoutMs, SessionBook } from './sessions.js';

function book(dir = mkdtempSync(join(tmpdir(), 'pantau-access-')), clock = { t: 1_000_000 }) {
  const store = new JsonStore(dir, 'access', AccessFile, EMPTY_ACCESS);
  return { dir, clock, b: new SessionBook({ store, idleMs: 60_000, now: () => clock.t, provisionPin: '2468' }) };
}
const refusal = (f: () => unknown): ApiError | null => {
  try {
    f();
    return null;
  } catch (e) {
    return e as ApiError;
  }
};

describe('sessions', () => {
  it('start as operator; the right PIN makes that one session a supervisor until it idles out', () => {
    const { b, clock } = book();
    const a = b.open('meja-1');
    const other = b.open('meja-1');
    expect(b.info(a.id)).toMatchObject({ role: 'operator', desk: 'meja-1', expiresAt: null, pinSet: true });
    expect(b.elevate(a.id, '2468')).toMatchObject({ role: 'supervisor', expiresAt: clock.t + 60_000 });
    expect(b.role(other.id)).toBe('operator');
    clock.t += 50_000;
    b.touch(a.id); // a supervisor action: another full minute from now
    clock.t += 50_000;
    expect(b.role(a.id)).toBe('supervisor');
    clock.t += 10_001;
    expect(b.role(a.id)).toBe('operator');
  });

  it('drop ends the elevation at once; a kiosk can never elevate', () => {
    const { b } = book();
    const a = b.open('meja-1');
    b.elevate(a.id, '2468');
    expect(b.drop(a.id).role).toBe('operator');
    const k = b.open('rt-07', 'kiosk');
    expect(refusal(() => b.elevate(k.id, '2468'))?.code).toBe('forbidden');
    expect(b.role(k.id)).toBe('kiosk');
  });

  it('locks a desk out after 5 wrong PINs for 30 s, doubling with each further failure, across restarts', () => {
    expect([4, 5, 6, 7].map(lockoutMs)).toEqual([0, LOCK_BASE_MS, 2 * LOCK_BASE_MS, 4 * LOCK_BASE_MS]);
    const { b, dir, clock } = book();
    const s = b.open('meja-2');
    const reasons = Array.from({ length: 5 }, () => refusal(() => b.elevate(s.id, '0000'))!.reason);
    expect(reasons.slice(0, 4).map((r) => r?.params?.left)).toEqual([4, 3, 2, 1]);
    expect(reasons[4]).toEqual({ code: 'pin_locked', params: { seconds: 30 } });
    // Locked: even the right PIN is refused, from a new session and after a restart.
    const again = book(dir, clock).b;
    const s2 = again.open('meja-2');
    expect(refusal(() => again.elevate(s2.id, '2468'))?.reason?.code).toBe('pin_locked');
    // Another desk is not locked.
    expect(again.elevate(again.open('meja-3').id, '2468').role).toBe('supervisor');
    clock.t += 30_001;
    expect(refusal(() => again.elevate(s2.id, '1111'))?.reason).toEqual({ code: 'pin_locked', params: { seconds: 60 } });
    clock.t += 60_001;
    expect(again.elevate(s2.id, '2468').role).toBe('supervisor');
    // The right PIN clears the count.
    const s3 = again.open('meja-2');
    expect(refusal(() => again.elevate(s3.id, '1111'))?.reason?.code).toBe('pin_wrong');
  });

  it('keeps the PIN only as a salted scrypt hash; only a supervisor changes it once set', () => {
    const { b, dir } = book();
    const store = new JsonStore(dir, 'access', AccessFile, EMPTY_ACCESS);
    const pin = store.get('pin')!;
    expect(pin.algorithm).toBe('scrypt');
    expect(JSON.stringify(store.get('pin'))).not.toContain('2468');
    const s = b.open('meja-1');
    expect(refusal(() => b.setPin(s.id, '13579'))?.code).toBe('forbidden');
    b.elevate(s.id, '2468');
    expect(refusal(() => b.setPin(s.id, '12'))?.reason?.code).toBe('pin_invalid');
    b.setPin(s.id, '13579');
    const t = b.open('meja-1');
    expect(refusal(() => b.elevate(t.id, '2468'))?.reason?.code).toBe('pin_wrong');
    expect(b.elevate(t.id, '13579').role).toBe('supervisor');
  });

  it('lets anyone set the first PIN on a console that has none, and says when none is set', () => {
    const store = new JsonStore(mkdtempSync(join(tmpdir(), 'pantau-access-')), 'access', AccessFile, EMPTY_ACCESS);
    const b = new SessionBook({ store });
    const s = b.open('meja-1');
    expect(b.info(s.id).pinSet).toBe(false);
    expect(refusal(() => b.elevate(s.id, '1234'))?.reason?.code).toBe('pin_not_set');
    expect(b.setPin(s.id, '1234').pinSet).toBe(true);
    expect(b.elevate(s.id, '1234').role).toBe('supervisor');
  });

  it('refuses a session that has ended', () => {
    const { b } = book();
    const s = b.open('meja-1');
    b.close(s.id);
    expect(refusal(() => b.role(s.id))?.code).toBe('forbidden');
  });
});
