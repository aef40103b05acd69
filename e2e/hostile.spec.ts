/**
 * Hostile names, as an operator would meet them: a catalog, an analytics backend and a preset file
 * holding HTML, script, bidi overrides, zero-width characters and 10,000-character names. Every one is
 * shown as text, on one line, cut with an ellipsis (whole in its tooltip, up to its limit); nothing in
 * them runs, and nothing reorders the text around them. A row with a file: URL is refused by line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsoleHost, type ConsoleHost } from './support/console-host';
import { expect, test } from './support/fixtures';

const PIN = '97531';
const HTML = '<img src=x onerror="window.__pwned=1">Pasar';
const SCRIPT = '<script>window.__pwned=2</script>Tugu';
const BIDI = 'Pasar \u202Egnaroj\u202C Johar';
const ZERO_WIDTH = 'Si\u200Bmpang\u200D Li\uFEFFma';
const LONG = 'W'.repeat(10_000);
/** What must never reach the screen: bidi controls and invisible characters. */
const INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]/;

let host: ConsoleHost;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'pantau-hostile-'));
  const csv = join(dir, 'cameras.csv');
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const rows = [HTML, SCRIPT, BIDI, ZERO_WIDTH, LONG].map((name, i) => `host-${i + 1},${i + 1},${q(name)},atcs,33.74.01,33.74.01.1001,,,rtsp://127.0.0.1:9/cam${i + 1},`);
  rows.push('host-6,6,Berkas lokal,atcs,33.74.01,33.74.01.1001,,,file:///etc/passwd,');
  writeFileSync(csv, ['id,number,name,type,kecamatanCode,kelurahanCode,rw,rt,mainUrl,subUrl', ...rows].join('\n'));
  host = await startConsoleHost(['--catalog', csv, '--demo', '--demo-cameras', '1', '--sim-rate', '0'], { PANTAU_SUPERVISOR_PIN: PIN });
});

test.afterAll(async () => {
  await host?.stop();
});

test('hostile camera, alert and preset names are shown as text on one line, cut with an ellipsis, and nothing in them runs', async ({ page }) => {
  // The catalog row with a file: URL was refused, by its line; the five hostile names were loaded.
  expect(host.log()).toMatch(/line 7.*mainUrl.*scheme "file:" is not allowed/);
  await page.goto(`${host.url}/`);
  const ids = ['host-1', 'host-2', 'host-3', 'host-4', 'host-5'];
  await page.evaluate((cameraIds) => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds, layout: '3x3' }), ids);

  // An alert whose message and box label are hostile too, from the analytics backend.
  const backend = (await host.health()).alerts.source;
  const posted = await page.request.post(`${backend}/sim/alerts`, {
    data: [
      {
        id: 'hostile-1',
        cameraId: 'host-1',
        type: 'crime',
        severity: 'info',
        time: new Date().toISOString(),
        message: `${HTML} ${BIDI} ${LONG}`,
        count: null,
        boxes: [{ box: [0.1, 0.1, 0.3, 0.3], label: `${SCRIPT}\u202E`, score: 0.9 }],
      },
    ],
  });
  expect(posted.ok()).toBe(true);

  // A supervisor saves presets under hostile names.
  await page.evaluate(
    async ({ pin, names }) => {
      await window.pantau!.call('session.elevate', { pin });
      for (const name of names) await window.pantau!.call('presets.save', { name, group: `\u202E${name}` });
    },
    { pin: PIN, names: [HTML, BIDI, LONG] },
  );

  const tileNames = page.locator('.monitor[data-monitor="1"] [data-testid="tile-name"]');
  await expect(tileNames).toHaveCount(5);
  await expect(page.locator('[data-testid="alert-message"]').first()).toBeVisible();
  await expect(page.locator('[data-preset-name]')).toHaveCount(3);

  const seen = await page.evaluate(() => {
    const read = (selector: string) =>
      [...document.querySelectorAll<HTMLElement>(selector)].map((el) => {
        const style = getComputedStyle(el);
        return { text: el.textContent ?? '', title: el.title, oneLine: style.whiteSpace === 'nowrap', ellipsis: style.textOverflow === 'ellipsis', cut: el.scrollWidth > el.clientWidth };
      });
    return {
      pwned: (window as { __pwned?: unknown }).__pwned ?? null,
      injected: document.querySelectorAll('[onerror], body script:not([src])').length,
      tiles: read('.monitor[data-monitor="1"] [data-testid="tile-name"]'),
      alerts: read('[data-testid="alert-message"]'),
      presets: [...document.querySelectorAll<HTMLElement>('[data-preset-name] .truncate')].map((el) => ({
        text: el.textContent ?? '',
        title: el.title,
        ellipsis: getComputedStyle(el).textOverflow === 'ellipsis',
        cut: el.scrollWidth > el.clientWidth,
      })),
    };
  });
  await page.screenshot({ path: 'e2e/artifacts/hostile-names.png' });

  // Nothing ran, and no markup got into the page.
  expect(seen.pwned).toBeNull();
  expect(seen.injected).toBe(0);
  // Camera names: as text, cleaned, one line each, the long one cut (to 120 characters, then by the tile).
  expect(seen.tiles.map((t) => t.text.replace(/^#\d+/, ''))).toEqual([HTML, SCRIPT, 'Pasar gnaroj Johar', 'Simpang Lima', `${'W'.repeat(119)}…`]);
  for (const t of seen.tiles) {
    expect(t.text).not.toMatch(INVISIBLE);
    expect(t).toMatchObject({ oneLine: true, ellipsis: true });
  }
  expect(seen.tiles[4]).toMatchObject({ cut: true, title: `${'W'.repeat(119)}…` });
  // The alert: its message cut to 500 characters where it entered, and by its line on screen.
  const alert = seen.alerts[0]!;
  expect(alert.text.startsWith(`${HTML} Pasar gnaroj Johar W`)).toBe(true);
  expect(Array.from(alert.text)).toHaveLength(500);
  expect(alert.text).not.toMatch(INVISIBLE);
  expect(alert).toMatchObject({ oneLine: true, ellipsis: true, cut: true });
  // Presets: cut to 60 characters, their group's bidi override gone.
  expect(seen.presets.map((p) => p.text).sort()).toEqual([HTML, 'Pasar gnaroj Johar', `${'W'.repeat(59)}…`].sort());
  for (const p of seen.presets) expect(p.ellipsis).toBe(true);
  expect(seen.presets.filter((p) => p.cut).length).toBeGreaterThan(0);
  // The catalog tree works for a catalog with no private cameras (its type node is left out).
  await expect(page.locator('[data-testid="catalog-tree"]')).toContainText('Semarang Tengah');
  const groups = await page.evaluate(async () => (await window.pantau!.call('presets.list', {})).presets.map((p) => p.group));
  for (const g of groups) expect(g).not.toMatch(INVISIBLE);
});
