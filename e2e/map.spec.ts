/**
 * The situation map and the 112 panel, end to end in web mode: /map draws the 16 kecamatan from the
 * offline boundaries with their health hooks; clicking one fills the chosen monitor with its cameras,
 * live (frames advance), and zooms in to its cameras as points; an open alert blinks where its
 * camera stands; a place typed in the 112 panel puts the nearest cameras on a monitor with their
 * distances; wall.showNearest at each kecamatan's centroid puts that kecamatan's cameras first.
 * Screenshots: e2e/artifacts/map-city.png, map-zoomed.png, map-112-wall.png (checked by eye).
 */
import type { MapDistrict, WallState } from '../preload/contract';
import { test, expect } from './support/fixtures';
import { WallPage } from './support/wall-page';

test('/map shows the 16 kecamatan; clicking one fills a monitor with its live cameras; an alert blinks at its camera', async ({ browser, host }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  try {
    const errors: string[] = [];
    const map = await context.newPage();
    const wall = await context.newPage();
    for (const p of [map, wall]) p.on('pageerror', (e) => errors.push(e.message));
    await map.goto(`${host.url}/map`);
    const kecamatan = map.locator('path[data-kecamatan]');
    await expect(kecamatan).toHaveCount(16);
    const districts: MapDistrict[] = await map.evaluate(async () => (await window.pantau!.call('map.status', {})).districts);
    expect(districts.reduce((s, d) => s + d.cameras, 0)).toBe(10_693);
    // Every kecamatan has its real name and its health hooks.
    for (const d of districts) {
      const path = map.locator(`path[data-kecamatan="${d.code}"]`);
      await expect(path).toHaveAttribute('data-name', d.name);
      await expect(path).toHaveAttribute('data-cameras', String(d.cameras));
      for (const attr of ['data-live', 'data-offline', 'data-alerts']) await expect(path).toHaveAttribute(attr, /^\d+$/);
    }
    await map.screenshot({ path: 'e2e/artifacts/map-city.png' });

    // --- Click Gajahmungkur: monitor 1 (2x2) shows its cameras, and they play.
    await map.evaluate(() => window.pantau!.call('wall.setLayout', { monitor: 1, layout: '2x2' }));
    const target = districts.find((d) => d.name === 'Gajahmungkur')!;
    await map.locator(`path[data-kecamatan="${target.code}"]`).click();
    await expect(map.getByTestId('map-shown')).toContainText('Gajahmungkur');
    const state: WallState = await map.evaluate(() => window.pantau!.call('wall.get', {}));
    const m1 = state.monitors.find((m) => m.monitor === 1)!;
    expect(m1.view?.source).toEqual({ kind: 'district', node: `kec:${target.code}` });
    const ids = m1.tiles.map((t) => t.cameraId);
    const cams = await map.evaluate((list) => window.pantau!.call('catalog.get', { ids: list as string[] }), ids);
    expect(cams.map((c) => c.kecamatanCode)).toEqual(new Array(4).fill(target.code));
    const w = new WallPage(wall);
    await w.open(`${host.url}/wall/1`);
    await w.expectAllLive(4, 60_000);
    const frames = await w.framesPresented(2_000);
    for (const [tile, n] of Object.entries(frames)) expect(n, `tile ${tile} presented frames`).toBeGreaterThan(5);

    // Zoomed in: its cameras as points, its kelurahan clickable; the map now counts live cameras there.
    await map.bringToFront();
    await expect(map.getByTestId('map-svg')).toHaveAttribute('data-zoom', target.code);
    // Camera points carry data-status (an alert's blinking ring has data-alert instead).
    expect(await map.locator('circle[data-camera][data-status]').count()).toBe(target.cameras);
    await expect(map.locator(`path[data-kecamatan="${target.code}"]`)).not.toHaveAttribute('data-live', '0', { timeout: 10_000 });
    for (const id of ids) await expect(map.locator(`circle[data-camera="${id}"][data-status]`)).toHaveAttribute('data-status', 'live', { timeout: 10_000 });
    const kel = map.locator('g[data-kelurahan]').first();
    const kelCode = await kel.getAttribute('data-kelurahan');
    await kel.click();
    await expect.poll(async () => (await map.evaluate(() => window.pantau!.call('wall.get', {}))).monitors[0]!.view?.source).toEqual({ kind: 'district', node: `kel:${kelCode}` });

    // --- An open alert blinks where its camera is (and counts on its kecamatan).
    const backend = (await host.health()).alerts.source;
    const alarmCam = cams[2]!;
    const post = await map.request.post(`${backend}/sim/alerts`, {
      data: [{ id: 'e2e-map-crowd', cameraId: alarmCam.id, type: 'crowd', severity: 'warning', time: new Date().toISOString(), message: 'Kerumunan / Crowd', count: 40, boxes: [] }],
    });
    expect(post.ok()).toBe(true);
    const blink = map.locator('circle[data-alert="e2e-map-crowd"]');
    await expect(blink).toHaveAttribute('data-camera', alarmCam.id, { timeout: 10_000 });
    expect(await blink.evaluate((e) => getComputedStyle(e).animationName)).toBe('map-blink');
    await expect(map.locator(`path[data-kecamatan="${target.code}"]`)).not.toHaveAttribute('data-alerts', '0', { timeout: 10_000 });
    await map.screenshot({ path: 'e2e/artifacts/map-zoomed.png' });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('the 112 panel puts the cameras nearest a place on a monitor, nearest first, with distances', async ({ browser, host }) => {
  test.setTimeout(90_000);
  // The control page says it is hidden, so its monitor preview decodes nothing while the test moves
  // monitor 1 through 16 places; the wall window, in a context of its own, plays.
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  await context.addInitScript(() => Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }));
  const wallContext = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${host.url}/`);
    await page.evaluate(() => window.pantau!.call('wall.setLayout', { monitor: 1, layout: '3x3' }));

    // wall.showNearest at each kecamatan's centroid: its own cameras come first, nearest first.
    const districts: MapDistrict[] = await page.evaluate(async () => (await window.pantau!.call('map.status', {})).districts);
    for (const d of districts) {
      const first = await page.evaluate(async ([lat, lon]) => {
        const t0 = performance.now();
        const w = await window.pantau!.call('wall.showNearest', { lat, lon, monitor: 1 });
        const ms = performance.now() - t0;
        const m = w.monitors[0]!;
        const src = m.view!.source;
        const ids = m.tiles.slice(0, 4).map((t) => t.cameraId!);
        const cams = await window.pantau!.call('catalog.get', { ids });
        return { kec: cams.map((c) => c.kecamatanCode), distances: src.kind === 'list' ? src.distancesM! : [], ms };
      }, d.centroid);
      expect(first.kec, d.name).toEqual(new Array(4).fill(d.code));
      expect(first.distances).toEqual([...first.distances].sort((a, b) => a - b));
    }

    // The operator types a kelurahan and presses "Nearest cameras".
    await page.locator('[data-action="map-open"]').click();
    await page.getByTestId('incident-query').fill('Pekunden');
    const row = page.locator('[data-place-kind="kelurahan"]').first();
    await expect(row).toContainText('Pekunden');
    await row.locator('[data-action="show-nearest"]').click();
    await expect(page.getByTestId('incident-done')).toContainText('Pekunden');
    await expect(page.getByTestId('map-pin')).toBeVisible();
    const w = await page.evaluate(() => window.pantau!.call('wall.get', {}));
    const m1 = w.monitors[0]!;
    expect(m1.view?.label).toBe('112 · Pekunden');
    const cams = await page.evaluate(
      (ids) => window.pantau!.call('catalog.get', { ids }),
      m1.tiles.map((t) => t.cameraId!),
    );
    expect(cams.slice(0, 3).map((c) => c.kelurahanName)).toEqual(['Pekunden', 'Pekunden', 'Pekunden']);

    // Tiles say how far each camera is, nearest first.
    const wall = await wallContext.newPage();
    await new WallPage(wall).open(`${host.url}/wall/1`);
    const distances = wall.locator('[data-testid="tile-distance"]');
    await expect(distances).toHaveCount(9);
    const shown = await distances.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.distance)));
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    await expect(wall.locator('[data-tile="1"] [data-testid="tile-distance"]')).toHaveText(/^\d+ m$/);
    await new WallPage(wall).expectAllLive(9, 60_000);
    await wall.screenshot({ path: 'e2e/artifacts/map-112-wall.png' });

    // Typed coordinates work too; a radius with no camera inside is refused with a reason.
    await page.getByTestId('incident-query').fill('-6.99040, 110.42290');
    await expect(page.locator('[data-place-kind="coordinates"]')).toBeVisible();
    const refused = await page.evaluate(() =>
      window.pantau!.call('wall.showNearest', { lat: -6.9, lon: 110.42, radiusM: 100, monitor: 1 }).then(
        () => null,
        (e: { code: string; reason?: { code: string } }) => [e.code, e.reason?.code],
      ),
    );
    expect(refused).toEqual(['not_found', 'no_camera_near']);
  } finally {
    await context.close();
    await wallContext.close();
  }
});
