/**
 * `--listen <addr>[:port] --tls-cert <file> --tls-key <file>` (runtime: Node): where the web console
 * serves remote operator desks. Other machines are served over HTTPS and WSS only: the desks' tokens
 * and the cameras' pictures would otherwise cross the room's network readable by anyone on it. So a
 * listen address without a certificate and key is refused before anything starts, and says why.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { RemoteListen } from './server.js';

export const DEFAULT_DESK_PORT = 8443;

export class ListenError extends Error {}

export interface ListenFlags {
  listen?: string;
  tlsCert?: string;
  tlsKey?: string;
}

/** `addr`, `addr:port`, `[v6]` or `[v6]:port` → host and port (the desk port when none is given). */
export function parseAddress(text: string): { host: string; port: number } {
  const m = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(text) ?? /^([^:[\]]+)(?::(\d+))?$/.exec(text);
  const host = m?.[1];
  if (!host || !isIP(host)) throw new ListenError(`--listen takes an IP address and an optional port (192.168.1.20:8443, [fd00::20]:8443), not "${text}"`);
  const port = m[2] === undefined ? DEFAULT_DESK_PORT : Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ListenError(`--listen: the port must be a number from 0 to 65535, not "${m[2]}"`);
  return { host, port };
}

/** The desk listener these flags ask for; null for none. Throws ListenError naming what is wrong. */
export function remoteListen(flags: ListenFlags, read: (file: string) => Buffer = (f) => readFileSync(f)): RemoteListen | null {
  if (flags.listen === undefined) {
    if (flags.tlsCert !== undefined || flags.tlsKey !== undefined) throw new ListenError('--tls-cert and --tls-key are for --listen: give the address to serve remote desks on as well');
    return null;
  }
  const { host, port } = parseAddress(flags.listen);
  if (flags.tlsCert === undefined || flags.tlsKey === undefined)
    throw new ListenError(
      `--listen ${flags.listen} would serve other machines over plain HTTP, which Pantau refuses: desk tokens and camera pictures would cross the network readable by anyone on it. Give --tls-cert <file> and --tls-key <file> (PEM) to serve HTTPS and WSS only.`,
    );
  const load = (flag: string, file: string, marker: RegExp): Buffer => {
    let data: Buffer;
    try {
      data = read(file);
    } catch (e) {
      throw new ListenError(`${flag} ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (!marker.test(data.toString('latin1'))) throw new ListenError(`${flag} ${file}: not a PEM ${flag === '--tls-cert' ? 'certificate' : 'private key'}`);
    return data;
  };
  return {
    host,
    port,
    tls: {
      cert: load('--tls-cert', flags.tlsCert, /-----BEGIN CERTIFICATE-----/),
      key: load('--tls-key', flags.tlsKey, /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/),
    },
  };
}
