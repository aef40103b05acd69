/**
 * The console API as automation sees it: window.pantau in the page, and the raw WebSocket.
 */
import { test, expect } from './support/fixtures';

test('window.pantau answers commands and rejects malformed ones with typed errors', async ({ page, host }) => {
  await page.goto(`${host.url}/`);
  const r = await page.evaluate(async () => {
    const api = window.pantau!;
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { code: string }) => e.code,
      );
    return {
      hello: await api.call('console.hello', { apiVersion: 1 }),
      search: (await api.call('catalog.search', { query: 'miroto', limit: 5 })).map((c) => c.kelurahanName),
      badArgs: await code(api.call('wall.assign', { monitor: -1, tile: 1, cameraId: null })),
      badCamera: await code(api.call('wall.assign', { monitor: 1, tile: 1, cameraId: '<script>' })),
      unknown: await code((api.call as (c: string, a: unknown) => Promise<unknown>)('shell.exec', {})),
    };
  });
  expect(r.hello).toMatchObject({ apiVersion: 1, shell: 'web' });
  expect(r.search).toEqual(['Miroto', 'Miroto', 'Miroto', 'Miroto', 'Miroto']);
  expect(r).toMatchObject({ badArgs: 'bad_request', badCamera: 'bad_request', unknown: 'unknown_command' });
});

test('the API socket survives garbage, wrong versions and oversized frames', async ({ page, host }) => {
  await page.goto(`${host.url}/`);
  const replies = await page.evaluate(
    async (wsUrl) => {
      const ws = new WebSocket(wsUrl);
      const got: unknown[] = [];
      ws.onmessage = (e) => got.push(JSON.parse(e.data as string));
      await new Promise((r) => (ws.onopen = r));
      ws.send('not json');
      ws.send(JSON.stringify({ v: 1, id: 'x', command: 1 }));
      ws.send(JSON.stringify({ v: 99, id: 7, command: 'wall.get', args: {} }));
      ws.send(new Uint8Array([1, 2, 3]));
      ws.send(JSON.stringify({ v: 1, id: 8, command: 'wall.get', args: {} }));
      await new Promise((r) => setTimeout(r, 500));
      const open = ws.readyState === WebSocket.OPEN;
      ws.send('x'.repeat(200_000)); // over the 64 KiB frame limit: the server closes this socket
      const closed = await new Promise((r) => (ws.onclose = (e) => r(e.code)));
      return { got, open, closed };
    },
    host.url.replace('http', 'ws') + '/api/ws',
  );
  const errors = replies.got.filter((m) => (m as { ok?: boolean }).ok === false).map((m) => (m as { error: { code: string } }).error.code);
  expect(errors).toEqual(['bad_request', 'bad_request', 'version_mismatch', 'bad_request']);
  expect(replies.got.some((m) => (m as { id?: number; ok?: boolean }).id === 8 && (m as { ok: boolean }).ok)).toBe(true);
  expect(replies.open).toBe(true);
  // ws sends 1009 (message too big) and drops the connection; the browser may report 1006 if the
  // close frame loses the race with the TCP close. Either way this socket is gone and the server lives.
  expect([1006, 1009]).toContain(replies.closed);
  // The server is still fine.
  expect((await page.request.get(`${host.url}/api/health`, { headers: host.auth })).ok()).toBe(true);
});

test('stream sockets need a valid one-use token', async ({ page, host }) => {
  await page.goto(`${host.url}/`);
  const r = await page.evaluate(
    async (base) => {
      const tryOpen = (url: string) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        });
      const ticket = await window.pantau!.call('stream.open', { cameraId: 'rt-3374011001-01-01', quality: 'sub' });
      return {
        forged: await tryOpen(`${base}/live/${'0'.repeat(48)}`),
        traversal: await tryOpen(`${base}/live/%2e%2e%2fapi%2fws`),
        first: await tryOpen(ticket.url),
        reused: await tryOpen(ticket.url),
        leaksUrl: JSON.stringify(ticket).includes('rtsp'),
      };
    },
    host.url.replace('http', 'ws'),
  );
  expect(r).toEqual({ forged: 'refused', traversal: 'refused', first: 'open', reused: 'refused', leaksUrl: false });
});

test('a foreign web page in the same browser can neither drive the console nor read it', async ({ page, host }) => {
  // The foreign page: any site the control-room browser has open (here on another loopback port).
  const { createServer } = await import('node:http');
  const foreign = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
  try {
    await page.goto(`http://127.0.0.1:${(foreign.address() as { port: number }).port}/`);
    const r = await page.evaluate(async (base) => {
      const ws = await new Promise<string>((resolve) => {
        const s = new WebSocket(`${base.replace('http', 'ws')}/api/ws`);
        s.onopen = () => resolve('open');
        s.onerror = () => resolve('refused');
      });
      // A no-cors request still reaches the server; the server must refuse it (the page can't read either way).
      const health = await fetch(`${base}/api/health`).then(
        (x) => `read ${x.status}`,
        () => 'unreadable',
      );
      return { ws, health };
    }, host.url);
    expect(r.ws).toBe('refused');
    expect(r.health).toBe('unreadable');
  } finally {
    foreign.close();
  }
  // The console's own page keeps working through window.pantau.
  await page.goto(`${host.url}/`);
  expect(await page.evaluate(() => window.pantau!.call('console.hello', { apiVersion: 1 }).then((h) => typeof h))).toBe('object');
});
