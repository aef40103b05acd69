/**
 * A self-signed certificate for a desk listener on one IP address (runtime: Node, needs `openssl`):
 * what the remote desk tests serve 127.0.0.2 with, and a way to try desks on one machine. A control
 * room uses a certificate from its own CA instead.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Writes cert.pem and key.pem (P-256, valid 2 days) into `dir` for `ip`, and returns their paths. */
export function makeTestCertificate(dir: string, ip = '127.0.0.2'): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2'];
  execFileSync('openssl', [...args, '-subj', '/CN=pantau-desk-test', '-addext', `subjectAltName=IP:${ip}`], { stdio: 'ignore' });
  return { cert, key };
}
