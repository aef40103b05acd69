import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCredentials } from '../streams/source-url.js';
import { CredentialVault, ownerOnlyFile, type SecretBox } from './credentials.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'pantau-credentials-'));
const mode = (file: string) => statSync(file).mode & 0o777;
/** Stands in for safeStorage: sealed text that does not show the secret. */
const keyring: SecretBox = {
  protection: 'os-keyring',
  seal: (plain) => Buffer.from(plain).toString('base64').split('').reverse().join(''),
  open: (sealed) => Buffer.from(sealed.split('').reverse().join(''), 'base64').toString(),
};

describe('credential vault', () => {
  it('keeps a camera user name and password across restarts, in a file only its owner can read', () => {
    const dir = fresh();
    const vault = new CredentialVault(dir, ownerOnlyFile);
    vault.set('cam-1', { user: 'admin', password: 'rahasia:@/1' });
    vault.set('cam-2', { user: 'op', password: 'x' });
    vault.clear('cam-2');
    const again = new CredentialVault(dir, ownerOnlyFile);
    expect(again.get('cam-1')).toEqual({ user: 'admin', password: 'rahasia:@/1' });
    expect(again.get('cam-2')).toBeNull();
    expect(again.cameraIds()).toEqual(['cam-1']);
    expect(again.protection).toBe('owner-only-file');
    for (const f of readdirSync(dir).filter((f) => f.startsWith('credentials.json'))) expect(mode(join(dir, f)), f).toBe(0o600);
  });

  it('makes a file that others could read owner-only at start, and says so', () => {
    const dir = fresh();
    new CredentialVault(dir, ownerOnlyFile).set('cam-1', { user: 'a', password: 'b' });
    chmodSync(join(dir, 'credentials.json'), 0o644);
    const again = new CredentialVault(dir, ownerOnlyFile);
    expect(again.loosened).toEqual([join(dir, 'credentials.json')]);
    expect(mode(join(dir, 'credentials.json'))).toBe(0o600);
    expect(again.get('cam-1')).toEqual({ user: 'a', password: 'b' });
  });

  it('stores only what the keyring sealed: the password is nowhere in the file', () => {
    const dir = fresh();
    new CredentialVault(dir, keyring).set('cam-1', { user: 'admin', password: 'sangat-rahasia' });
    const text = readFileSync(join(dir, 'credentials.json'), 'utf8');
    expect(text).not.toContain('sangat-rahasia');
    expect(text).not.toContain('admin');
    expect(new CredentialVault(dir, keyring).get('cam-1')).toEqual({ user: 'admin', password: 'sangat-rahasia' });
  });

  it('skips and names an entry it can no longer open (another keyring), keeping the others', () => {
    const dir = fresh();
    const vault = new CredentialVault(dir, keyring);
    vault.set('cam-1', { user: 'a', password: 'b' });
    const other = new CredentialVault(dir, { ...keyring, open: () => 'not json' });
    expect(other.get('cam-1')).toBeNull();
    expect(other.unreadable).toEqual(['cam-1']);
    expect(other.cameraIds()).toEqual(['cam-1']); // kept: the right keyring may come back
  });

  it('moves a damaged file aside, reports it and loses no earlier good copy', () => {
    const dir = fresh();
    const vault = new CredentialVault(dir, ownerOnlyFile);
    vault.set('cam-1', { user: 'a', password: 'b' });
    vault.set('cam-2', { user: 'c', password: 'd' }); // the backup holds cam-1
    writeFileSync(join(dir, 'credentials.json'), '{"cameras": {"cam-1": 5');
    const again = new CredentialVault(dir, ownerOnlyFile);
    expect(again.problems).toEqual([expect.objectContaining({ restored: true })]);
    expect(again.get('cam-1')).toEqual({ user: 'a', password: 'b' });
  });
});

describe('credentials in a stream URL', () => {
  it('puts them into a URL without its own, percent-encoded; a URL with its own keeps them', () => {
    expect(withCredentials('rtsp://10.0.0.5:554/Streaming/101', { user: 'admin', password: 'p@ss:w/rd' })).toBe('rtsp://admin:p%40ss%3Aw%2Frd@10.0.0.5:554/Streaming/101');
    expect(withCredentials('rtsp://cam:own@10.0.0.5/x', { user: 'admin', password: 'y' })).toBe('rtsp://cam:own@10.0.0.5/x');
    expect(withCredentials('http://10.0.0.5/live/index.m3u8', { user: 'u', password: 'p' })).toBe('http://u:p@10.0.0.5/live/index.m3u8');
    expect(withCredentials('rtsp://10.0.0.5/x', null)).toBe('rtsp://10.0.0.5/x');
  });
});
