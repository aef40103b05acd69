/**
 * Remote operator desks (runtime: Node): other machines in the control room that drive this console's
 * wall over the room's network (web mode with `--listen`, HTTPS and WSS only).
 *
 * A supervisor makes each desk with a name (`desks.add`); its token is shown once and only its SHA-256
 * is kept (`desks.json`, readable by its owner only). A desk presents its token once, on the desk
 * sign-in page, and its browser keeps it as an HttpOnly, Secure, SameSite=Strict cookie; every request
 * and socket of that desk is checked against the book, so `desks.revoke` shuts the desk out at once,
 * and the console closes the sessions it has open. A desk's sessions carry its name into the audit trail.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ApiError, DeskName, type DeskInfo } from '../../preload/contract.js';
import type { JsonStore } from '../store/json-store.js';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const DesksFile = z.object({
  desks: z.array(
    z
      .object({
        name: DeskName,
        tokenSha256: Sha256Hex,
        createdAt: z.number(),
        createdBy: z.string().max(60),
      })
      .strict(),
  ),
});
export type DesksFile = z.infer<typeof DesksFile>;
export const NO_DESKS: DesksFile = { desks: [] };

/** Desk tokens start with this, so a token pasted in the wrong place is recognisable. */
const TOKEN_PREFIX = 'pantau-desk-';

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

type StoredDesk = DesksFile['desks'][number];

export class DeskBook {
  private readonly revoked = new Set<(name: string) => void>();
  /** When each desk was last let in (this run only; not persisted). */
  private readonly seen = new Map<string, number>();
  /**
   * The desks, held in memory with their token hashes decoded: `verify` runs on every request and
   * socket of the desk listener, and a store read is a read and parse of desks.json. This book is the
   * file's only writer, so it writes through and never needs to read it again.
   */
  private desks: { stored: StoredDesk; digest: Buffer }[];

  constructor(
    private readonly store: JsonStore<DesksFile>,
    private readonly now: () => number = Date.now,
  ) {
    this.desks = store.get('desks').map(held);
  }

  list(): DeskInfo[] {
    return this.desks.map(({ stored: d }) => ({ name: d.name, createdAt: d.createdAt, createdBy: d.createdBy, lastSeen: this.seen.get(d.name) ?? null }));
  }

  /** Makes a desk and returns its token: the only time anyone sees it. */
  add(name: string, by: string): { name: string; token: string } {
    if (this.desks.some((d) => d.stored.name.toLowerCase() === name.toLowerCase())) throw new ApiError('bad_request', `a desk named "${name}" exists already; revoke it first to give it a new token`);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.save([...this.desks.map((d) => d.stored), { name, tokenSha256: digest(token).toString('hex'), createdAt: this.now(), createdBy: by.slice(0, 60) }]);
    return { name, token };
  }

  /** Removes a desk: its token stops working now, and listeners close its open sessions. */
  revoke(name: string): { name: string } {
    if (!this.desks.some((d) => d.stored.name === name)) throw new ApiError('not_found', `no desk is named "${name}"`);
    this.save(this.desks.map((d) => d.stored).filter((d) => d.name !== name));
    this.seen.delete(name);
    for (const l of this.revoked) l(name);
    return { name };
  }

  /** The desk this token belongs to, or null. Every stored hash is compared, in constant time each. */
  verify(token: string | null): string | null {
    if (!token || token.length > 200) return null;
    const d = digest(token);
    let found: string | null = null;
    for (const desk of this.desks) if (timingSafeEqual(d, desk.digest)) found = desk.stored.name;
    if (found) this.seen.set(found, this.now());
    return found;
  }

  onRevoked(listener: (name: string) => void): () => void {
    this.revoked.add(listener);
    return () => this.revoked.delete(listener);
  }

  /** Writes the desks to the file, then holds them (a failed write changes nothing). */
  private save(desks: StoredDesk[]): void {
    this.store.set('desks', desks);
    this.desks = desks.map(held);
  }
}

function held(stored: StoredDesk): { stored: StoredDesk; digest: Buffer } {
  return { stored, digest: Buffer.from(stored.tokenSha256, 'hex') };
}
