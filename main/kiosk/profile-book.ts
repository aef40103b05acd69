/**
 * The control room's kiosk profiles (runtime: Node): supervisors create and edit them, and export one
 * as the file a kiosk machine starts from. Kept in one JsonStore ('kiosk-profiles'). A profile here
 * never holds credentials: a camera's password is set on the kiosk machine, in its own file, and from
 * there kept by that machine's main.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiError, reason, StoredKioskProfile, type KioskProfile } from '../../preload/contract.js';
import type { Catalog } from '../catalog/catalog.js';
import type { JsonStore } from '../store/json-store.js';
import { KioskProfileError, profileFileName, profileFileText, resolveKioskProfile } from './profile.js';

export const KioskProfilesFile = z.object({ profiles: z.array(StoredKioskProfile).max(5000) });
export type KioskProfilesFile = z.infer<typeof KioskProfilesFile>;

export class KioskProfileBook {
  constructor(
    private readonly store: JsonStore<KioskProfilesFile>,
    private readonly catalog: Catalog,
    private readonly now: () => number = Date.now,
  ) {}

  list(): StoredKioskProfile[] {
    return this.store.get('profiles');
  }

  get(id: string): StoredKioskProfile {
    const p = this.list().find((x) => x.id === id);
    if (!p) throw new ApiError('not_found', `kiosk profile ${id} does not exist`, reason('kiosk_profile_unknown', { id }));
    return p;
  }

  /** Creates (no id) or replaces a profile, after checking it against the catalog. */
  save(id: string | undefined, profile: KioskProfile, by: string): StoredKioskProfile {
    const problems: string[] = [];
    profile.cameras.forEach((c, i) => {
      if ('catalogId' in c) return;
      if (c.user !== undefined || c.password !== undefined) problems.push(`cameras.${i}: credentials are set on the kiosk machine, not kept in a control-room profile`);
      if (/^[a-z]+:\/\/[^/]*@/i.test(c.url)) problems.push(`cameras.${i}.url: a URL with a user name or password in it; set credentials on the kiosk machine`);
    });
    try {
      resolveKioskProfile(profile, this.catalog, profile.name);
    } catch (e) {
      if (!(e instanceof KioskProfileError)) throw e;
      problems.push(...e.problems);
    }
    if (problems.length) throw new ApiError('bad_request', `kiosk profile "${profile.name}": ${problems.join('; ')}`, reason('kiosk_profile_invalid', undefined, problems.join('; ')));
    const list = this.list();
    if (id !== undefined) this.get(id);
    const stored: StoredKioskProfile = { id: id ?? `k-${randomBytes(6).toString('hex')}`, profile, savedAt: this.now(), savedBy: by.slice(0, 80) };
    this.store.set('profiles', id !== undefined ? list.map((p) => (p.id === id ? stored : p)) : [...list, stored]);
    return stored;
  }

  delete(id: string): void {
    this.get(id);
    this.store.set(
      'profiles',
      this.list().filter((p) => p.id !== id),
    );
  }

  export(id: string): { json: string; fileName: string } {
    const { profile } = this.get(id);
    return { json: profileFileText(profile), fileName: profileFileName(profile) };
  }
}
