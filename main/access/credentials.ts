/**
 * Camera credentials kept by Pantau (runtime: Node), apart from the catalog: many catalogs come from
 * a VMS export without passwords, and an NVR's password changes without a new catalog. A supervisor
 * sets a camera's user name and password; the gateway puts them into the camera's stream URL when it
 * opens it, in main. They never reach the renderer, presets, exports, logs or the audit trail.
 *
 * At rest they are sealed by a SecretBox: in the desktop app Electron's safeStorage (the OS keyring;
 * on Linux without one, safeStorage's `basic_text` backend only obscures them, and the console says
 * they are not protected); in web mode the file alone, readable only by its owner (0600).
 */
import { z } from 'zod';
import { CameraId, type CredentialProtection } from '../../preload/contract.js';
import { JsonStore, type StoreBackend } from '../store/json-store.js';

/** Seals and opens secrets at rest; how well is said by `protection`. */
export interface SecretBox {
  readonly protection: CredentialProtection;
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Web mode: no keyring to ask. The secret is stored as it is, in a file only its owner can read. */
export const ownerOnlyFile: SecretBox = { protection: 'owner-only-file', seal: (plain) => plain, open: (sealed) => sealed };

const CredentialsFile = z.object({
  schemaVersion: z.number().optional(),
  /** Camera id → sealed JSON of {user, password}. */
  cameras: z.record(CameraId, z.string()),
});
type CredentialsFile = z.infer<typeof CredentialsFile>;
const Secret = z.object({ user: z.string(), password: z.string() });
export type CameraCredentials = z.infer<typeof Secret>;

export class CredentialVault {
  private readonly store: JsonStore<CredentialsFile>;
  /** Entries that could not be opened (the keyring changed, a hand-edited file): skipped, and said. */
  readonly unreadable: string[] = [];

  constructor(
    dir: string,
    private readonly box: SecretBox,
    backend?: StoreBackend,
  ) {
    this.store = new JsonStore(dir, 'credentials', CredentialsFile, { cameras: {} }, backend, { version: 1 }, { mode: 0o600 });
  }

  get protection(): CredentialProtection {
    return this.box.protection;
  }

  /** Damaged or too-open files found at start, for /api/health and the control view. */
  get problems() {
    return this.store.problems;
  }

  get loosened(): string[] {
    return this.store.loosened;
  }

  set(cameraId: string, credentials: CameraCredentials): void {
    this.store.set('cameras', { ...this.store.get('cameras'), [cameraId]: this.box.seal(JSON.stringify(credentials)) });
  }

  clear(cameraId: string): void {
    const { [cameraId]: _gone, ...rest } = this.store.get('cameras');
    this.store.set('cameras', rest);
  }

  /** Cameras that have credentials here (ids only: what a supervisor's list shows). */
  cameraIds(): string[] {
    return Object.keys(this.store.get('cameras')).sort();
  }

  get(cameraId: string): CameraCredentials | null {
    const sealed = this.store.get('cameras')[cameraId];
    if (sealed === undefined) return null;
    try {
      return Secret.parse(JSON.parse(this.box.open(sealed)));
    } catch {
      if (!this.unreadable.includes(cameraId)) this.unreadable.push(cameraId);
      return null;
    }
  }
}
