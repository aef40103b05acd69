/**
 * Statistics and agency queues on a console of its own whose demo backend backfills 30 days of
 * history (0.02 alerts a second of the past: about 52,000): the console pulls it into its SQLite
 * history; the statistics view draws its four charts (pixels on the canvases), and each table's CSV
 * holds the same totals as stats.summary. A crime alert lands in the Polrestabes queue and not in
 * Dinas Perdagangan's; unacknowledged it escalates and the supervisor sees it raised; acknowledging
 * records the desk's agency. Screenshot: e2e/artifacts/stats.png (checked by eye).
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import type { StatsQuery } from '../preload/contract';
import { startConsoleHost, type ConsoleHost } from './support/console-host';
import { elevateInPanel } from './support/session';
import { expect, test } from './support/fixtures';

const PIN = '1357';
const EXPECTED = 30 * 86_400 * 0.02;

test.describe.configure({ mode: 'serial' });

/** No tile plays here: these tests are about statistics and queues, not video. */
async function quietContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  await context.addInitScript(() => Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }));
  return context;
}

let host: ConsoleHost;
let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  host = await startConsoleHost(['--demo-cameras', '4', '--sim-backfill', '30', '--sim-backfill-rate', '0.02'], { PANTAU_SUPERVISOR_PIN: PIN });
  context = await quietContext(browser);
  page = await context.newPage();
  await page.goto(`${host.url}/`);
});
test.afterAll(async () => {
  await context?.close();
  await host?.stop();
});

test('after a 30-day backfill the statistics view draws its charts, and each CSV holds the totals of stats.summary', async () => {
  test.setTimeout(120_000);
  // The history arrives in pages of 5,000 shortly after the backend connects.
  await expect
    .poll(async () => page.evaluate(async () => (await window.pantau!.call('stats.summary', { from: Date.now() - 100 * 86_400_000, to: Date.now() + 1, groupBy: 'type' })).stored.rows), {
      timeout: 60_000,
    })
    .toBeGreaterThanOrEqual(EXPECTED - 1);
  await page.locator('[data-action="stats-open"]').click();
  const view = page.getByTestId('stats-view');
  await expect(view).toBeVisible();
  for (const id of ['kecamatan', 'crowd', 'traders', 'parking']) {
    const panel = view.locator(`[data-stats-panel="${id}"]`);
    await expect(panel).not.toHaveAttribute('data-total', '');
    await expect(panel).not.toHaveAttribute('data-total', '0');
    const chart = panel.locator(`[data-chart="${id}"]`);
    await expect(chart).toBeVisible();
    // uPlot drew something: the canvas has coloured pixels, not only background.
    const painted = await chart.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && d[i]! + d[i + 1]! + d[i + 2]! > 150) n++;
      return n;
    });
    expect(painted, `${id} chart pixels`).toBeGreaterThan(500);
  }
  // 16 kecamatan bars; 24 hours of crowd peaks; several markets over about 30 days.
  await expect(view.locator('[data-chart="kecamatan"]')).toHaveAttribute('data-points', '16');
  await expect(view.locator('[data-chart="crowd"]')).toHaveAttribute('data-points', '24');
  expect(Number(await view.locator('[data-chart="traders"]').getAttribute('data-points'))).toBeGreaterThanOrEqual(29);
  await page.screenshot({ path: 'e2e/artifacts/stats.png' });

  // Each table's CSV, downloaded as the user does, adds up to what stats.summary says.
  for (const id of ['kecamatan', 'crowd', 'traders', 'parking']) {
    const panel = view.locator(`[data-stats-panel="${id}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), panel.locator('[data-action="stats-csv"]').click()]);
    const rows = parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { columns: true });
    const total = Number(await panel.getAttribute('data-total'));
    const shown = Number(await panel.getAttribute('data-rows'));
    expect(rows.length, `${id} rows`).toBe(shown);
    if (id !== 'parking')
      expect(
        rows.reduce((s, r) => s + Number(r.count), 0),
        `${id} CSV total`,
      ).toBe(total);
    else expect(rows.reduce((s, r) => s + Number(r.count), 0)).toBeLessThanOrEqual(total); // the top 15 kelurahan
  }
  // And against the API directly: per kecamatan, the CSV and the summary agree row by row.
  const q: StatsQuery = { from: Date.now() - 30 * 86_400_000, to: Date.now(), groupBy: 'kecamatan' };
  const both = await page.evaluate(async (query) => ({ s: await window.pantau!.call('stats.summary', query), c: await window.pantau!.call('stats.exportCsv', query) }), q);
  const csv = parse<Record<string, string>>(both.c.csv, { columns: true });
  expect(csv.map((r) => [r.kecamatan, Number(r.count)])).toEqual(both.s.rows.map((r) => [r.key, r.count]));
  expect(both.c.total).toBe(both.s.total);
});

test('a crime alert lands in the Polrestabes queue, not in Dinas Perdagangan, escalates unacknowledged, and its acknowledgement carries the agency', async () => {
  test.setTimeout(90_000);
  await page.reload();
  await elevateInPanel(page, PIN);
  await expect(page.getByTestId('preset-panel')).toHaveAttribute('data-role', 'supervisor');
  const cams = await page.evaluate(() => window.pantau!.call('catalog.search', { query: 'Pekunden', limit: 2 }));
  const backend = (await host.health()).alerts.source;
  const now = new Date().toISOString();
  const post = await page.request.post(`${backend}/sim/alerts`, {
    data: [
      { id: 'e2e-route-crime', cameraId: cams[0]!.id, type: 'crime', severity: 'warning', time: now, message: 'Dugaan pencopetan / Suspected pickpocket', count: null, boxes: [] },
      { id: 'e2e-route-trader', cameraId: cams[1]!.id, type: 'trader_count', severity: 'info', time: now, message: 'Pedagang pasar: 31', count: 31, boxes: [] },
    ],
  });
  expect(post.ok()).toBe(true);
  const panel = page.getByTestId('alert-panel');
  const crime = panel.locator('[data-alert-row="e2e-route-crime"]');
  const trader = panel.locator('[data-alert-row="e2e-route-trader"]');
  await expect(crime).toHaveAttribute('data-agency', 'polrestabes', { timeout: 10_000 });
  await expect(trader).toHaveAttribute('data-agency', 'disperdag');

  // This desk works Dinas Perdagangan's queue: the crime is not in it, the trader count is.
  await panel.getByTestId('desk-agency').selectOption('disperdag');
  await expect(panel.getByTestId('agency-bar')).toHaveAttribute('data-desk-agency', 'disperdag');
  await expect(trader).toBeVisible();
  await expect(crime).toHaveCount(0);
  // Polrestabes' queue: the other way round.
  await panel.getByTestId('desk-agency').selectOption('polrestabes');
  await expect(crime).toBeVisible();
  await expect(trader).toHaveCount(0);

  // Nobody acknowledges it in time: it escalates, shown one severity higher. (6 s here, checked every
  // 5 s, so the test waits seconds rather than the default 10 minutes.)
  await page.evaluate(() => window.pantau!.call('alerts.setRouting', { escalateMinutes: 0.1 }));
  await expect(crime).toHaveAttribute('data-escalated', '1', { timeout: 30_000 });
  await expect(crime).toHaveAttribute('data-severity', 'critical');
  // The supervisor sees the escalation even from another agency's queue.
  await panel.getByTestId('desk-agency').selectOption('disperdag');
  await expect(crime).toBeVisible();
  await expect(crime).toHaveAttribute('data-escalated', '1');

  // Acknowledged from the Polrestabes desk, with a note: the ack carries the agency.
  await panel.getByTestId('desk-agency').selectOption('polrestabes');
  await crime.click();
  await panel.getByTestId('alert-note').fill('Unit patroli dikirim');
  await panel.locator('[data-action="ack"]').click();
  await expect(panel.getByTestId('alert-acked')).toContainText('Polrestabes');
  const acked = await page.evaluate(async () => (await window.pantau!.call('alerts.list', { limit: 50 })).alerts.find((a) => a.id === 'e2e-route-crime')!);
  expect(acked.ack).toMatchObject({ agency: 'polrestabes', note: 'Unit patroli dikirim' });
  await expect(crime).not.toHaveAttribute('data-escalated', '1');
  // The supervisor edits the rules: a sixth rule (to BPBD) and 15 minutes before escalation.
  await page.locator('[data-action="routing-open"]').click();
  const routing = page.getByTestId('routing-view');
  await expect(routing.locator('[data-rule]')).toHaveCount(5);
  await routing.locator('[data-action="routing-add"]').click();
  await routing.locator('[data-rule="5"] [data-testid="routing-agency"]').selectOption('bpbd');
  await routing.getByTestId('routing-escalate').fill('15');
  await routing.locator('[data-action="routing-save"]').click();
  await expect(panel).toContainText('15');
  const saved = await page.evaluate(async () => (await window.pantau!.call('alerts.list', { limit: 1 })).routing!);
  expect(saved.escalateMinutes).toBe(15);
  expect(saved.rules.map((r) => r.agency)).toEqual(['polrestabes', 'disperdag', 'dishub', 'satpolpp', 'bpbd', 'bpbd']);
  // An operator desk may not change its agency or the rules.
  await page.getByTestId('preset-panel').locator('[data-action="session-drop"]').click();
  const refused = await page.evaluate(() =>
    window.pantau!.call('alerts.setDeskAgency', { agency: null }).then(
      () => 'allowed',
      (e: { code: string }) => e.code,
    ),
  );
  expect(refused).toBe('forbidden');
  expect(
    await page.evaluate(() =>
      window.pantau!.call('alerts.setRouting', { escalateMinutes: 1 }).then(
        () => 'allowed',
        (e: { code: string }) => e.code,
      ),
    ),
  ).toBe('forbidden');
});
