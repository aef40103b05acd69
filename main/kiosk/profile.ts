/**
 * Kiosk profiles (runtime: Node): read a profile file, check it against the catalog, and turn it into
 * the cameras a kiosk shows. A bad profile gets one error naming every field that is wrong; nothing
 * half-read is used. DESIGN.md §7.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describeZodError, KIOSK_FORMAT, KioskProfile, type KioskCameraSpec } from '../../preload/contract.js';
import type { Camera } from '../catalog/camera.js';
import type { Catalog } from '../catalog/catalog.js';
import { checkSourceUrl, redactUrl } from '../streams/source-url.js';

/** Cameras the residents added get these ids, by slot: kiosk-1 … kiosk-4. */
export const kioskCameraId = (slot: number): string => `kiosk-${slot}`;
/** Their numbers sit apart from the catalog's (never listed, searched or dialled). */
const KIOSK_NUMBER_BASE = 90_000;

export class KioskProfileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'KioskProfileError';
  }
}

/** One camera of a kiosk as main runs it: its slot, id, name and (for an added camera) its URL and credentials. */
export interface KioskCamera {
  slot: number;
  id: string;
  name: string;
  number: number | null;
  /** Set for a camera the residents added: main's catalog gets it as an extra camera. */
  added: Camera | null;
  credentials: { user: string; password: string } | null;
}

/** Parses a profile's text: JSON, then the schema. Throws KioskProfileError naming each bad field. */
export function parseKioskProfile(text: string, source: string): KioskProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new KioskProfileError(source, [`not valid JSON (${(e as Error).message})`]);
  }
  if (typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format !== KIOSK_FORMAT) {
    throw new KioskProfileError(source, [`format: expected "${KIOSK_FORMAT}" (is this a kiosk profile?)`]);
  }
  const parsed = KioskProfile.safeParse(raw);
  if (!parsed.success) throw new KioskProfileError(source, describeZodError(parsed.error).split('; '));
  return parsed.data;
}

export function readKioskProfile(file: string): KioskProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KioskProfileError(basename(file), [`cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  return parseKioskProfile(text, basename(file));
}

/**
 * Checks the profile against the catalog: the kelurahan belongs to the kecamatan, the RW and RT exist
 * there, every catalog camera exists, every added camera's URL is a camera URL. Returns the kiosk's
 * cameras, or throws KioskProfileError listing every problem.
 */
export function resolveKioskProfile(profile: KioskProfile, catalog: Catalog, source: string): KioskCamera[] {
  const problems: string[] = [];
  const { kecamatanCode, kelurahanCode, rw, rt } = profile.rt;
  if (!kelurahanCode.startsWith(`${kecamatanCode}.`)) problems.push(`rt.kelurahanCode: ${kelurahanCode} is not in kecamatan ${kecamatanCode}`);
  else if (!catalog.hasNode(`kel:${kelurahanCode}`)) problems.push(`rt.kelurahanCode: no kelurahan ${kelurahanCode} in the catalog`);
  else if (!catalog.hasNode(`rw:${kelurahanCode}:${rw}`)) problems.push(`rt.rw: no RW ${rw} in kelurahan ${kelurahanCode}`);
  else if (!catalog.camerasOf(`rw:${kelurahanCode}:${rw}`).some((c) => c.rt === rt)) problems.push(`rt.rt: no RT ${rt} in RW ${rw} of kelurahan ${kelurahanCode}`);
  const seen = new Set<string>();
  const cameras: KioskCamera[] = [];
  profile.cameras.forEach((spec: KioskCameraSpec, i) => {
    const slot = i + 1;
    const at = `cameras.${i}`;
    if ('catalogId' in spec) {
      const c = catalog.get(spec.catalogId);
      if (!c) return problems.push(`${at}.catalogId: camera ${spec.catalogId} is not in the catalog`);
      if (seen.has(c.id)) return problems.push(`${at}.catalogId: camera ${spec.catalogId} is listed twice`);
      seen.add(c.id);
      cameras.push({ slot, id: c.id, name: c.name, number: c.number, added: null, credentials: null });
      return;
    }
    const check = checkSourceUrl(spec.url);
    if (!check.ok) return problems.push(`${at}.url: ${check.reason} (${redactUrl(spec.url)})`);
    if (spec.password !== undefined && spec.user === undefined) return problems.push(`${at}.user: a password needs a user name`);
    const id = kioskCameraId(slot);
    cameras.push({
      slot,
      id,
      name: spec.name,
      number: null,
      credentials: spec.user !== undefined ? { user: spec.user, password: spec.password ?? '' } : null,
      added: {
        id,
        number: KIOSK_NUMBER_BASE + slot,
        name: spec.name,
        type: 'private',
        kecamatanCode,
        kecamatanName: catalog.hasNode(`kec:${kecamatanCode}`) ? catalog.label(`kec:${kecamatanCode}`) : kecamatanCode,
        kelurahanCode,
        kelurahanName: catalog.hasNode(`kel:${kelurahanCode}`) ? catalog.label(`kel:${kelurahanCode}`) : kelurahanCode,
        rw,
        rt,
        hasSub: false,
        streams: { main: check.url, sub: null },
      },
    });
  });
  if (problems.length) throw new KioskProfileError(source, problems);
  return cameras;
}

/** The profile as its file on the kiosk machine holds it (credentials written there by hand stay). */
export function profileFileText(profile: KioskProfile): string {
  return `${JSON.stringify(profile, null, 2)}\n`;
}

/** The profile without the user names and passwords its added cameras carried (main's credential store has them). */
export function withoutCredentialFields(profile: KioskProfile): KioskProfile {
  return { ...profile, cameras: profile.cameras.map((c) => ('catalogId' in c ? c : { name: c.name, url: c.url })) };
}

/** Writes a profile file whole or not at all (temporary file, then rename). */
export function writeKioskProfile(file: string, text: string): void {
  const part = `${file}.part`;
  writeFileSync(part, text, { mode: 0o600 });
  renameSync(part, file);
}

/** A file name for a profile: its RT and a slug of its name. */
export function profileFileName(profile: KioskProfile): string {
  const slug = profile.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 40);
  return `kiosk-${profile.rt.kelurahanCode}-rw${profile.rt.rw}-rt${profile.rt.rt}${slug ? `-${slug}` : ''}.json`;
}
