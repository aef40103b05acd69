import { describe, expect, it } from 'vitest';
import { checkRequest, loopbackPolicy, sameSecret } from './request-guard';

const token = 'a'.repeat(64);
const policy = loopbackPolicy(4173, token, ['pantau://app']);

describe('request guard (Host, Origin, Sec-Fetch-Site, API token)', () => {
  it('lets the console own pages in by their Origin', () => {
    expect(checkRequest({ host: '127.0.0.1:4173', origin: 'http://127.0.0.1:4173' }, policy)).toMatchObject({ ok: true, via: 'origin' });
    expect(checkRequest({ host: 'localhost:4173', origin: 'http://localhost:4173' }, policy)).toMatchObject({ ok: true, via: 'origin' });
    expect(checkRequest({ host: '127.0.0.1:4173', origin: 'pantau://app' }, policy)).toMatchObject({ ok: true, origin: 'pantau://app' });
  });

  it('refuses a foreign Origin with 403, even with the token', () => {
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:9999', 'https://127.0.0.1:4173'])
      expect(checkRequest({ host: '127.0.0.1:4173', origin, authorization: `Bearer ${token}` }, policy)).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses a foreign or missing Host with 403 (DNS rebinding)', () => {
    expect(checkRequest({ host: 'evil.example:4173', origin: 'http://evil.example:4173' }, policy)).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ host: 'evil.example', authorization: `Bearer ${token}` }, policy)).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ authorization: `Bearer ${token}` }, policy)).toMatchObject({ ok: false, status: 403 });
  });

  it("accepts a browser's same-origin or typed request without Origin, refuses a cross-site one", () => {
    expect(checkRequest({ host: '127.0.0.1:4173', 'sec-fetch-site': 'same-origin' }, policy)).toMatchObject({ ok: true });
    expect(checkRequest({ host: '127.0.0.1:4173', 'sec-fetch-site': 'none' }, policy)).toMatchObject({ ok: true });
    expect(checkRequest({ host: '127.0.0.1:4173', 'sec-fetch-site': 'cross-site' }, policy)).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ host: '127.0.0.1:4173', 'sec-fetch-site': 'same-site' }, policy)).toMatchObject({ ok: false, status: 403 });
  });

  it('asks clients that are not browsers for the API token', () => {
    expect(checkRequest({ host: '127.0.0.1:4173' }, policy)).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('no API token') });
    expect(checkRequest({ host: '127.0.0.1:4173', authorization: 'Bearer nope' }, policy)).toMatchObject({ ok: false, status: 401, reason: 'wrong API token' });
    expect(checkRequest({ host: '127.0.0.1:4173', authorization: `Bearer ${token}` }, policy)).toMatchObject({ ok: true, via: 'token' });
    expect(checkRequest({ host: '127.0.0.1:4173', 'x-pantau-token': token }, policy)).toMatchObject({ ok: true, via: 'token' });
  });

  it('compares secrets of any length without throwing', () => {
    expect(sameSecret(token, token)).toBe(true);
    expect(sameSecret(token, token.slice(1))).toBe(false);
    expect(sameSecret('', token)).toBe(false);
  });
});
