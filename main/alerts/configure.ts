/**
 * Builds the alert source from start-up options (runtime: Node): a Pantau-protocol backend, a
 * Frigate server, or none. Bad options fail with a message naming the option.
 */
import { FrigateSource } from './frigate-source.js';
import { PantauSource } from './pantau-source.js';
import { parseBackendUrl, type AlertSource } from './source.js';

export interface AlertBackendOptions {
  /** Base URL of a backend speaking Pantau's alert protocol. */
  url?: string | null;
  /** Base URL of a Frigate server (its events API). */
  frigate?: string | null;
  /** Bearer token (from PANTAU_ALERTS_TOKEN: a token on a command line shows in `ps`). */
  token?: string | null;
  /** "frigateName=pantauCameraId,…" */
  frigateCameras?: string | null;
}

export function parseCameraMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^=\s]{1,128})=([A-Za-z0-9._-]{1,80})$/.exec(pair);
    if (!m) throw new Error(`--frigate-cameras: "${pair.slice(0, 80)}" is not frigateName=cameraId`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

export function alertSourceFrom(o: AlertBackendOptions): AlertSource | null {
  if (o.url && o.frigate) throw new Error('give either --alerts or --frigate, not both');
  if (o.url) return new PantauSource({ url: parseBackendUrl(o.url), token: o.token ?? null });
  if (o.frigate) return new FrigateSource({ url: parseBackendUrl(o.frigate), token: o.token ?? null, cameras: o.frigateCameras ? parseCameraMap(o.frigateCameras) : {} });
  return null;
}
