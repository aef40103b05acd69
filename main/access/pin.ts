/**
 * The supervisor PIN (runtime: Node): kept only as a salted scrypt hash, compared in constant time.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** scrypt's cost: N=2^15 takes ~60 ms here, enough to make guessing a 4-digit PIN offline slow. */
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_BYTES = 32;

export const PinHash = z.object({
  algorithm: z.literal('scrypt'),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  salt: z.string().regex(/^[0-9a-f]{32}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PinHash = z.infer<typeof PinHash>;

export function isValidPin(pin: string): boolean {
  return /^\d{4,12}$/.test(pin);
}

export function hashPin(pin: string): PinHash {
  if (!isValidPin(pin)) throw new Error('a PIN is 4 to 12 digits');
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, KEY_BYTES, COST);
  return { algorithm: 'scrypt', N: COST.N, r: COST.r, p: COST.p, salt: salt.toString('hex'), hash: hash.toString('hex') };
}

export function verifyPin(pin: string, stored: PinHash): boolean {
  // Still hash a malformed PIN, so a wrong shape takes as long as a wrong PIN.
  const key = scryptSync(pin, Buffer.from(stored.salt, 'hex'), KEY_BYTES, { N: stored.N, r: stored.r, p: stored.p, maxmem: COST.maxmem });
  return timingSafeEqual(key, Buffer.from(stored.hash, 'hex')) && isValidPin(pin);
}
