/**
 * A remote operator desk, as the room would use it: the console serves the room's network on a second
 * loopback address (127.0.0.2) over HTTPS with a self-signed certificate made here; a supervisor makes
 * the desk in the console and reads its token once; the desk's browser signs in with it, plays live
 * pictures over WSS and drives the wall the supervisor sees; revoked, it is shut out.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { makeTestCertificate } from '../main/web/test-certificate';
import { startConsoleHost, type ConsoleHost } from './support/console-host';
import { elevateInPanel } from './support/session';
import { expect, test } from './support/fixtures';
import { tileFrames } from './support/tile-frames';
import { WallPage } from './support/wall-page';

const PIN = '8642';
let host: ConsoleHost;
let deskUrl: string;
let deskContext: BrowserContext | null = null;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'pantau-desk-e2e-'));
  const { cert, key } = makeTestCertificate(dir);
  host = await startConsoleHost(['--demo-cameras', '4', '--listen', '127.0.0.2:0', '--tls-cert', cert, '--tls-key', key], { PANTAU_SUPERVISOR_PIN: PIN });
  deskUrl = /desks: +(https:\/\/127\.0\.0\.2:\d+)\/desk/.exec(host.log())![1]!;
});

test.afterAll(async () => {
  await deskContext?.close();
  await host?.stop();
});

test('a desk made by a supervisor signs in over HTTPS, plays pictures over WSS, drives the wall, and is shut out when revoked', async ({ page, browser }) => {
  // The supervisor, at the console's own machine, makes the desk and reads its token once.
  await page.goto(`${host.url}/`);
  await elevateInPanel(page, PIN);
  await page.locator('[data-action="desks-open"]').click();
  const view = page.getByTestId('desks-view');
  await view.getByLabel('Nama meja').fill('Meja Dua');
  await view.locator('[data-action="desk-add"]').click();
  const token = (await view.getByTestId('desk-token').locator('code').textContent())!;
  expect(token).toMatch(/^pantau-desk-/);
  await expect(view.locator('[data-desk="Meja Dua"]')).toContainText('belum pernah masuk');
  await page.screenshot({ path: 'e2e/artifacts/desks-view.png' });

  // The desk's browser (the room's IT gave it the certificate; here it is told to accept it).
  deskContext = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1600, height: 900 } });
  const desk = await deskContext.newPage();
  await desk.goto(`${deskUrl}/`);
  await expect(desk).toHaveURL(/\/desk$/);
  await desk.getByLabel(/Token meja/).fill(token);
  await desk.getByRole('button', { name: 'Masuk / Sign in' }).click();
  await expect(desk.getByTestId('toolbar')).toBeVisible();
  expect(await desk.evaluate(() => window.pantau!.call('session.whoami', {}))).toMatchObject({ role: 'operator', desk: 'Meja Dua' });

  // Live pictures reach the desk over its own listener (wss://127.0.0.2), advancing.
  const wall = new WallPage(desk);
  await wall.expectAllLive(4);
  const frames = await tileFrames(desk, 2_000);
  expect(
    frames.presented.filter((n) => n >= 2),
    `pictures per tile: ${frames.presented.join(', ')}`,
  ).toHaveLength(4);

  // The desk drives the wall, and the supervisor's console shows it.
  await desk.getByTestId('layout-select').selectOption('3x3');
  await expect(page.getByTestId('layout-select')).toHaveValue('3x3');
  await page.locator('[data-action="desks-open"]').click();
  await page.locator('[data-action="desks-open"]').click();
  await expect(view.locator('[data-desk="Meja Dua"]')).toContainText('terakhir masuk');

  // Revoked: the desk's sockets close and, reloaded, it is back at the sign-in page.
  await view.locator('[data-desk="Meja Dua"] [data-action="desk-revoke"]').click();
  await expect(view.locator('[data-desk="Meja Dua"]')).toHaveCount(0);
  await expect
    .poll(() =>
      desk.evaluate(() =>
        window.pantau!.call('wall.get', {}).then(
          () => 'answered',
          () => 'refused',
        ),
      ),
    )
    .toBe('refused');
  await desk.reload();
  await expect(desk).toHaveURL(/\/desk$/);
});
