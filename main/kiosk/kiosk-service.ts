/**
 * A kiosk console's profile, scope and maintenance (runtime: Node). In kiosk mode every session is a
 * kiosk session: it may open streams for the profile's cameras and read its own profile, nothing
 * else (roles.ts and Console.dispatch enforce it). The supervisor PIN opens maintenance for one
 * session, which relocks after MAINTENANCE_IDLE_MS without a maintenance action. DESIGN.md §7.
 */
import { ApiError, reason, type KioskProfile, type KioskView, type NodeId, type StreamHealth } from '../../preload/contract.js';
import type { Catalog } from '../catalog/catalog.js';
import { KioskProfileError, parseKioskProfile, profileFileText, resolveKioskProfile, withoutCredentialFields, writeKioskProfile, type KioskCamera } from './profile.js';

export const MAINTENANCE_IDLE_MS = 2 * 60_000;

export interface KioskCredentialStore {
  set(cameraId: string, c: { user: string; password: string }): void;
  clear(cameraId: string): void;
}

export interface KioskServiceOptions {
  profile: KioskProfile;
  /** The profile's file: maintenance changes are written back to it. Null: kept in memory only. */
  file: string | null;
  catalog: Catalog;
  credentials: KioskCredentialStore;
  /** A camera's URL or credentials changed: running streams reconnect with the new ones. */
  retarget: (cameraId: string) => void;
  /** The profile changed: every kiosk session is told (kiosk.changed). */
  onChange: () => void;
  /** The kiosk is closed from maintenance: the shell exits. */
  onExit: () => void;
  log: (message: string) => void;
  now?: () => number;
}

export class KioskService {
  private profile: KioskProfile;
  private cameras: KioskCamera[] = [];
  private readonly live = new Set<string>();
  private readonly lastSeen = new Map<string, number>();
  /** Session → epoch ms when its maintenance ends. */
  private readonly maintenance = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly o: KioskServiceOptions) {
    this.now = o.now ?? Date.now;
    this.profile = o.profile;
    this.apply(o.profile, o.file ?? 'profile');
    // Credentials written into the file by hand are now in the credential store: the file keeps none.
    if (o.file && o.profile.cameras.some((c) => 'user' in c && c.user !== undefined)) {
      try {
        this.persist(this.profile);
        o.log("the profile file's camera credentials are now kept by the console and were removed from the file");
      } catch (e) {
        o.log(`could not remove the credentials from the profile file: ${(e as Error).message}`);
      }
    }
  }

  /** The profile's camera ids: the only cameras a kiosk session may open. */
  inScope(cameraId: string): boolean {
    return this.cameras.some((c) => c.id === cameraId);
  }

  /** Stream health of every camera, to say when each was last seen live. */
  health(h: StreamHealth): void {
    if (!this.inScope(h.cameraId)) return;
    if (h.state === 'live') {
      this.live.add(h.cameraId);
      this.lastSeen.set(h.cameraId, this.now());
    } else if (h.state !== 'connecting' && this.live.delete(h.cameraId)) {
      this.lastSeen.set(h.cameraId, this.now());
    }
  }

  view(session: string): KioskView {
    const p = this.profile;
    const label = (node: NodeId, code: string) => (this.o.catalog.hasNode(node) ? this.o.catalog.label(node) : code);
    return {
      name: p.name,
      rt: { kecamatanName: label(`kec:${p.rt.kecamatanCode}`, p.rt.kecamatanCode), kelurahanName: label(`kel:${p.rt.kelurahanCode}`, p.rt.kelurahanCode), rw: p.rt.rw, rt: p.rt.rt },
      cameras: this.cameras.map((c) => ({ slot: c.slot, id: c.id, name: c.name, number: c.number, lastSeenAt: this.live.has(c.id) ? this.now() : (this.lastSeen.get(c.id) ?? null) })),
      layout: p.layout,
      language: p.language,
      clock: p.clock,
      ticker: p.ticker,
      maintenanceUntil: this.maintenanceUntil(session),
    };
  }

  /** The PIN was right (the session book checked it, with its lockout): maintenance for this session. */
  unlocked(session: string): KioskView {
    this.maintenance.set(session, this.now() + MAINTENANCE_IDLE_MS);
    this.o.log(`maintenance opened by session ${session}`);
    return this.view(session);
  }

  relock(session: string): KioskView {
    if (this.maintenance.delete(session)) this.o.log(`maintenance closed by session ${session}`);
    return this.view(session);
  }

  touch(session: string): KioskView {
    this.requireMaintenance(session);
    this.maintenance.set(session, this.now() + MAINTENANCE_IDLE_MS);
    return this.view(session);
  }

  configure(session: string, change: Partial<Pick<KioskProfile, 'layout' | 'language' | 'clock' | 'ticker'>>): KioskView {
    this.requireMaintenance(session);
    const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
    this.replace({ ...this.profile, ...defined }, 'kiosk.configure');
    return this.touch(session);
  }

  replaceProfile(session: string, json: string): KioskView {
    this.requireMaintenance(session);
    let next: KioskProfile;
    try {
      next = parseKioskProfile(json, 'the new profile');
      resolveKioskProfile(next, this.o.catalog, 'the new profile');
    } catch (e) {
      if (e instanceof KioskProfileError) throw new ApiError('bad_request', e.message, reason('kiosk_profile_invalid', undefined, e.problems.join('; ')));
      throw e;
    }
    this.replace(next, 'kiosk.replaceProfile');
    return this.touch(session);
  }

  exit(session: string): { exiting: true } {
    this.requireMaintenance(session);
    this.o.log(`closed from maintenance by session ${session}`);
    // After the answer has gone out.
    setTimeout(() => this.o.onExit(), 200).unref?.();
    return { exiting: true };
  }

  closeSession(session: string): void {
    this.maintenance.delete(session);
  }

  private maintenanceUntil(session: string): number | null {
    const until = this.maintenance.get(session);
    if (until === undefined) return null;
    if (until <= this.now()) {
      this.maintenance.delete(session);
      return null;
    }
    return until;
  }

  private requireMaintenance(session: string): void {
    if (this.maintenanceUntil(session) === null) throw new ApiError('forbidden', 'the kiosk is locked: unlock it with the supervisor PIN first', reason('kiosk_locked'));
  }

  /** Writes the new profile to its file, then uses it: a profile that can't be saved changes nothing. */
  private replace(next: KioskProfile, by: string): void {
    const before = new Map(this.cameras.map((c) => [c.id, c.added?.streams.main ?? c.id]));
    const cameras = resolveKioskProfile(next, this.o.catalog, 'the new profile');
    this.persist(next);
    this.apply(next, by);
    for (const c of cameras) {
      const was = before.get(c.id);
      if (was !== undefined && was !== (c.added?.streams.main ?? c.id)) {
        // Another URL in this slot: the old camera's credentials are not the new one's.
        if (!c.credentials) this.o.credentials.clear(c.id);
        this.o.retarget(c.id);
      }
    }
    this.o.onChange();
  }

  private persist(profile: KioskProfile): void {
    if (!this.o.file) return;
    try {
      writeKioskProfile(this.o.file, profileFileText(withoutCredentialFields(profile)));
    } catch (e) {
      throw new ApiError('unavailable', `cannot write the kiosk profile ${this.o.file}: ${(e as Error).message}`);
    }
  }

  private apply(profile: KioskProfile, source: string): void {
    const cameras = resolveKioskProfile(profile, this.o.catalog, source);
    for (const c of cameras) if (c.credentials) this.o.credentials.set(c.id, c.credentials);
    this.o.catalog.setExtra(cameras.flatMap((c) => (c.added ? [c.added] : [])));
    // The profile as main keeps it holds no credentials: they are in the credential store now.
    this.profile = withoutCredentialFields(profile);
    this.cameras = cameras;
    for (const id of [...this.live]) if (!this.inScope(id)) this.live.delete(id);
  }
}
