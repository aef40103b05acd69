/**
 * Supervisors and presets in web mode, on a console of its own (its data directory survives a restart):
 * a supervisor elevates with the PIN, saves the wall as a grouped preset; an operator desk loads it on
 * two monitors (both wall windows follow, one revision), also with `<n> P` on the keypad, and its calls
 * to change presets or read the audit trail are refused even through `window.pantau`. Export and
 * import round-trip through the panel. A restart keeps presets, PIN and audit trail, and a hand-broken
 * settings file is kept aside and reported. The audit view filters and exports CSV. Five wrong PINs
 * lock the desk out.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { ApiError, WallState } from '../preload/contract';
import { startConsoleHost, type ConsoleHost } from './support/console-host';
import { elevateInPanel } from './support/session';
import { expect, test } from './support/fixtures';

const PIN = '2468';
const dataDir = mkdtempSync(join(tmpdir(), 'pantau-presets-e2e-'));
const env = { PANTAU_DATA_DIR: dataDir, PANTAU_SUPERVISOR_PIN: PIN };

test.describe.configure({ mode: 'serial' });

/**
 * Every page here says it is hidden, so no tile plays video: these tests are about presets, sessions
 * and the audit trail, which tiles show by their camera ids (data-camera), and sixteen decoders on 2
 * cores made each step take seconds. Playback is the other specs' business.
 */
async function quietContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  await context.addInitScript(() => Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }));
  return context;
}

let host: ConsoleHost;
let supervisorContext: BrowserContext;
let operatorContext: BrowserContext;
let sup: Page;
let op: Page;
let w1: Page;
let w2: Page;
let cams: string[];

const wallOf = (page: Page): Promise<WallState> => page.evaluate(() => window.pantau!.call('wall.get', {}));
const camerasOn = (page: Page, monitor: number) => page.locator(`.monitor[data-monitor="${monitor}"] [data-tile]`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.camera ?? ''));
const refusal = (page: Page, command: string, args: object) =>
  page.evaluate(
    ([c, a]) =>
      window.pantau!.call(c as 'presets.save', a as never).then(
        () => 'allowed',
        (e: ApiError) => e.code,
      ),
    [command, args] as const,
  );

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  host = await startConsoleHost(['--demo-cameras', '4'], env);
  // Two desks' worth of sessions: every page is a session of its own, operator until elevated.
  supervisorContext = await quietContext(browser);
  operatorContext = await quietContext(browser);
  sup = await supervisorContext.newPage();
  await sup.goto(`${host.url}/`);
  op = await operatorContext.newPage();
  await op.goto(`${host.url}/`);
  w1 = await operatorContext.newPage();
  await w1.goto(`${host.url}/wall/1`);
  w2 = await operatorContext.newPage();
  await w2.goto(`${host.url}/wall/2`);
  cams = await sup.evaluate(async () => (await window.pantau!.call('catalog.search', { query: 'Candisari', limit: 8 })).map((c) => c.id));
  expect(cams).toHaveLength(8);
});

test.afterAll(async () => {
  await supervisorContext?.close();
  await operatorContext?.close();
  await host?.stop();
});

test('a supervisor elevates with the PIN and saves the wall as a grouped preset', async () => {
  const panel = sup.getByTestId('preset-panel');
  await expect(panel.getByTestId('session-role')).toHaveText('OPERATOR');
  await expect(panel.getByTestId('preset-supervisor')).toHaveCount(0);
  await elevateInPanel(sup, PIN);
  await expect(panel.getByTestId('session-role')).toContainText('SUPERVISOR');
  await sup.evaluate(async (ids) => {
    await window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: ids.slice(0, 4), layout: '2x2' });
    await window.pantau!.call('wall.showCameras', { monitor: 2, cameraIds: ids.slice(4, 8), layout: '2x2' });
  }, cams);
  await panel.getByLabel('Nama').fill('Banjir Kaligawe');
  await panel.getByLabel('Grup (mis. Malam, Banjir)').fill('Banjir');
  await panel.locator('[data-action="preset-save"]').click();
  const item = panel.locator('[data-group="Banjir"] [data-preset-name="Banjir Kaligawe"]');
  await expect(item).toBeVisible();
  await expect(item).toContainText('1 P');
  // The operator's panel lists it too (presets.changed), without the supervisor controls.
  await expect(op.locator('[data-preset-name="Banjir Kaligawe"]')).toBeVisible();
  await expect(op.getByTestId('preset-supervisor')).toHaveCount(0);
  // To look at: the control view of a supervisor session.
  await sup.screenshot({ path: test.info().outputPath('supervisor-control-view.png') });
});

test('an operator loads it on two monitors: one revision, both windows follow; the keypad loads it by number', async () => {
  await op.evaluate(async (ids) => {
    await window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: ids.slice(6, 8), layout: '3x3' });
    await window.pantau!.call('wall.showCameras', { monitor: 2, cameraIds: [], layout: '1x1' });
  }, cams);
  const before = (await wallOf(op)).revision;
  await op.locator('[data-preset-name="Banjir Kaligawe"] [data-action="preset-load"]').click();
  await expect(op.getByTestId('preset-loaded')).toContainText('Banjir Kaligawe');
  const after = await wallOf(op);
  expect(after.revision).toBe(before + 1);
  await expect.poll(() => camerasOn(w1, 1)).toEqual(cams.slice(0, 4));
  await expect.poll(() => camerasOn(w2, 2)).toEqual(cams.slice(4, 8));
  // Again from the keypad: "1 P".
  await op.evaluate(() => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: [], layout: '1x1' }));
  await expect.poll(() => camerasOn(w1, 1)).toEqual(['']);
  await w1.locator('body').click({ position: { x: 5, y: 5 } });
  await w1.keyboard.type('1');
  await w1.keyboard.press('p');
  await expect.poll(() => camerasOn(w1, 1)).toEqual(cams.slice(0, 4));
});

test("an operator's calls to change presets or read the audit trail are refused, even through window.pantau", async () => {
  const { presets } = await op.evaluate(() => window.pantau!.call('presets.list', {}));
  expect(await refusal(op, 'presets.save', { name: 'Tidak boleh' })).toBe('forbidden');
  expect(await refusal(op, 'presets.delete', { id: presets[0]!.id })).toBe('forbidden');
  expect(await refusal(op, 'presets.update', { id: presets[0]!.id })).toBe('forbidden');
  expect(await refusal(op, 'audit.list', {})).toBe('forbidden');
  expect(await refusal(op, 'session.setPin', { pin: '9999' })).toBe('forbidden');
  const audit = await sup.evaluate(() => window.pantau!.call('audit.list', { limit: 500 }));
  expect(audit.intact).toBe(true);
  const refused = audit.entries.filter((e) => !e.ok).map((e) => `${e.role} ${e.command}`);
  expect(refused).toEqual(expect.arrayContaining(['operator presets.save', 'operator presets.delete', 'operator audit.list']));
  expect(audit.entries.find((e) => e.command === 'presets.save' && e.ok)?.role).toBe('supervisor');
  expect(audit.entries.some((e) => e.command === 'presets.load' && e.role === 'operator')).toBe(true);
  expect(JSON.stringify(audit)).not.toContain(PIN);
});

test('export, then import through the panel: a taken name waits for confirmation, then replaces', async () => {
  const { json } = await sup.evaluate(() => window.pantau!.call('presets.export', {}));
  expect(json).not.toMatch(/rtsp:|http:/);
  const panel = sup.getByTestId('preset-panel');
  await panel.getByTestId('preset-import').setInputFiles({ name: 'presets.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  const report = panel.getByTestId('preset-import-report');
  await expect(report).toContainText('0 diimpor, 1 nama sudah ada, 0 tidak sah');
  await report.locator('[data-action="preset-import-overwrite"]').click();
  await expect(report).toContainText('1 diimpor, 0 nama sudah ada, 0 tidak sah');
  const broken = json.replace('"2x2"', '"9x9"');
  await panel.getByTestId('preset-import').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
  await expect(report).toContainText('1 tidak sah');
  await expect(report).toContainText('preset "Banjir Kaligawe": monitors.0.layout');
  const { presets } = await sup.evaluate(() => window.pantau!.call('presets.list', {}));
  expect(presets.map((p) => p.name)).toEqual(['Banjir Kaligawe']);
});

test('a restart keeps the presets, the PIN and the audit trail', async ({ browser }) => {
  test.setTimeout(240_000);
  await supervisorContext.close();
  await operatorContext.close();
  await host.stop();
  // A hand-broken settings file: kept aside, said in the UI and in /api/health, its backup restored.
  writeFileSync(join(dataDir, 'settings.json'), '{"language": "id", "wall": {');
  host = await startConsoleHost(['--demo-cameras', '4'], { PANTAU_DATA_DIR: dataDir });
  operatorContext = await quietContext(browser);
  op = await operatorContext.newPage();
  await op.goto(`${host.url}/`);
  await expect(op.locator('[data-group="Banjir"] [data-preset-name="Banjir Kaligawe"]')).toBeVisible();
  const banner = op.getByTestId('store-banner');
  await expect(banner.locator('[data-store-file="settings.json"]')).toContainText(/Berkas settings\.json rusak\. Disimpan sebagai settings\.corrupt-.*\.json; dipulihkan dari cadangan terakhir\./);
  const health = (await host.health()) as { storeProblems: { file: string; movedTo: string; restored: boolean }[] };
  expect(health.storeProblems).toEqual([expect.objectContaining({ file: join(dataDir, 'settings.json'), restored: true })]);
  expect(readFileSync(health.storeProblems[0]!.movedTo, 'utf8')).toBe('{"language": "id", "wall": {');
  await banner.getByRole('button').click();
  await expect(banner).toHaveCount(0);
  const info = await op.evaluate((pin) => window.pantau!.call('session.elevate', { pin }), PIN);
  expect(info.role).toBe('supervisor');
  const audit = await op.evaluate(() => window.pantau!.call('audit.list', { limit: 1000 }));
  expect(audit.intact).toBe(true);
  expect(audit.entries.map((e) => e.command)).toEqual(expect.arrayContaining(['presets.save', 'presets.load', 'presets.import', 'session.elevate']));
  await op.evaluate(() => window.pantau!.call('session.drop', {}));
});

test('a supervisor reads the audit trail in the control view, filters it by desk, role and command, and exports CSV', async () => {
  await expect(op.locator('[data-action="audit-open"]')).toHaveCount(0); // an operator is not offered it
  await elevateInPanel(op, PIN);
  await op.locator('[data-action="audit-open"]').click();
  const view = op.getByTestId('audit-view');
  await expect(view.getByTestId('audit-chain')).toHaveAttribute('data-intact', '1');
  await expect(view.locator('[data-audit-seq]').first()).toBeVisible();
  await view.getByTestId('audit-command').fill('presets');
  await expect
    .poll(async () => new Set(await view.locator('[data-audit-seq]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.command!.split('.')[0]))))
    .toEqual(new Set(['presets']));
  await view.getByTestId('audit-role').selectOption('operator');
  await expect.poll(async () => new Set(await view.locator('[data-audit-seq]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.role)))).toEqual(new Set(['operator']));
  // Only the refusals and loads of operators remain: the refused save is among them, said as "ditolak".
  await expect(view.locator('[data-command="presets.save"]').first()).toContainText('ditolak');
  const desk = (await view.locator('[data-audit-seq]').first().getAttribute('data-desk'))!;
  await view.getByTestId('audit-desk').selectOption(desk);
  const rows = await view.locator('[data-audit-seq]').count();
  const [download] = await Promise.all([op.waitForEvent('download'), view.locator('[data-action="audit-export"]').click()]);
  expect(download.suggestedFilename()).toMatch(/^pantau-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toBe('seq,time,desk,role,session,command,result,summary');
  expect(csv.length - 1).toBe(rows);
  expect(csv.slice(1).every((line) => line.includes(`,${desk},operator,`) && /,presets\.\w+,/.test(line))).toBe(true);
  // Ending the supervisor session closes the view.
  await op.getByTestId('preset-panel').locator('[data-action="session-drop"]').click();
  await expect(op.getByTestId('audit-view')).toHaveCount(0);
  await expect(op.locator('[data-action="audit-open"]')).toHaveCount(0);
});

test('a supervisor makes an RT kiosk profile and exports it as a file a kiosk starts from; an operator may not', async () => {
  expect(await refusal(op, 'kioskProfiles.list', {})).toBe('forbidden');
  await elevateInPanel(op, PIN);
  await op.locator('[data-action="kiosk-profiles-open"]').click();
  const view = op.getByTestId('kiosk-profiles-view');
  await view.locator('[data-action="kprof-new"]').click();
  const form = view.getByTestId('kiosk-profile-editor');
  await form.locator('[data-field="name"]').fill('RT 03 / RW 01 Candi');
  await form.locator('[data-field="kecamatan"]').selectOption({ label: 'Candisari' });
  await form.locator('[data-field="kelurahan"]').selectOption({ label: 'Candi' });
  await form.locator('[data-field="rw"]').fill('1');
  await form.locator('[data-field="rt"]').fill('3');
  await form.locator('[data-action="kprof-city-camera"]').click();
  await expect(form.getByTestId('kiosk-profile-cameras')).toContainText('rt-3374081001-01-03');
  await form.getByLabel('Nama kamera').fill('Kamera Warga Gang 3');
  await form.getByLabel('Tambah kamera warga (URL RTSP atau HLS)').fill('rtsp://192.0.2.10:554/stream1');
  await form.getByRole('button', { name: 'Tambah' }).last().click();
  await form.locator('[data-field="ticker"]').fill('Kerja bakti Minggu pukul 07.00');
  await form.locator('[data-action="kprof-save"]').click();
  await expect(view.locator('[data-profile]')).toHaveCount(1);
  const [download] = await Promise.all([op.waitForEvent('download'), view.locator('[data-action="kprof-export"]').click()]);
  expect(download.suggestedFilename()).toBe('kiosk-33.74.08.1001-rw1-rt3-rt-03-rw-01-candi.json');
  const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as { format: string; cameras: unknown[]; ticker: { messages: string[] } };
  expect(file).toMatchObject({ format: 'pantau-kiosk', rt: { kecamatanCode: '33.74.08', kelurahanCode: '33.74.08.1001', rw: 1, rt: 3 } });
  expect(file.cameras).toEqual([{ catalogId: 'rt-3374081001-01-03' }, { name: 'Kamera Warga Gang 3', url: 'rtsp://192.0.2.10:554/stream1' }]);
  expect(file.ticker.messages).toEqual(['Kerja bakti Minggu pukul 07.00']);
  // A profile for an RT the catalog does not have is refused: the form stays open, says so and marks
  // the field, and the saved profile is unchanged.
  await view.locator('[data-action="kprof-edit"]').click();
  await form.locator('[data-field="rt"]').fill('99');
  await form.locator('[data-action="kprof-save"]').click();
  await expect(form.getByTestId('kprof-refusal')).toContainText('profil kios tidak sah');
  await expect(form.getByTestId('kprof-refusal')).toContainText('rt.rt: no RT 99 in RW 1');
  await expect(form.locator('[data-field="rt"]')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('[data-field="rw"]')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(view.locator('[data-profile]')).toContainText('RT 3');
  await op.getByTestId('preset-panel').locator('[data-action="session-drop"]').click();
  await expect(op.getByTestId('kiosk-profiles-view')).toHaveCount(0);
});

test('five wrong PINs lock the desk out for 30 s, and the panel says so in Indonesian', async () => {
  const panel = op.getByTestId('preset-panel');
  await panel.locator('[data-action="session-elevate"]').click();
  const field = panel.getByLabel('PIN supervisor');
  for (let i = 0; i < 5; i++) {
    await field.fill('0000');
    await panel.getByRole('button', { name: 'Kirim' }).click();
    await expect(op.getByTestId('keypad-message')).toContainText(i < 4 ? `sisa ${4 - i} kali coba` : 'tunggu 30 dtk');
  }
  // Locked: the right PIN is refused too, also from a new session (a reload).
  await op.reload();
  expect(
    await op.evaluate(
      (pin) =>
        window.pantau!.call('session.elevate', { pin }).then(
          () => 'elevated',
          (e: ApiError) => e.reason?.code ?? e.code,
        ),
      PIN,
    ),
  ).toBe('pin_locked');
  await expect(op.getByTestId('session-role')).toHaveText('OPERATOR');
});
