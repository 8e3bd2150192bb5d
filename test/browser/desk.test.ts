/**
 * The dispatcher's desk in a real browser (Debian Chromium) over our real server on a PostgreSQL test
 * database: a dispatcher types an incident's coordinates, sees the nearest forces by road as cards with
 * their ETA and the candidates' routes on the map, confirms with the Enter key, sees the forces turn busy
 * and the dispatch in the open list, then closes it and sees them available again; a click on the map
 * places an incident too.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from '../../client/src/test-hooks.ts';
import type { DispatchNearest } from '../../shared/src/schemas/dispatch.ts';
import type { RunningServer } from '../../server/src/server.ts';
import { signInOverHttp } from '../support/api.ts';
import { launchChromium, LOAD_TIMEOUT_MS, openSignedIn, STEP_TIMEOUT_MS } from '../support/browser.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';

const SCREENSHOT = 'test-results/desk.png';

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let page: Page;
let spot: { lon: number; lat: number };
const pageErrors: string[] = [];

const live = () => page.evaluate(() => window.__gridwatch?.live ?? null);
const drawnCount = (layerId: string) =>
  page.evaluate((id) => {
    const h = window.__gridwatch!;
    return h.layersDrawn === h.layersRequested ? (h.layerFeatureCounts[id] ?? 0) : -1;
  }, layerId);

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  database = await openTestDatabase('postgres');
  const { rows } = await database.pool.query<typeof spot>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
       FROM (SELECT ST_LineInterpolatePoint(geom, 0.5) AS p FROM road WHERE class = 'arterial' ORDER BY id DESC LIMIT 1) r`,
  );
  spot = rows[0]!;
  const { startServer } = await import('../../server/src/server.ts');
  server = await startServer(
    { ...database.configOverrides, PORT: 0, HOST: '127.0.0.1', SEED_DEMO: false, LOG_LEVEL: 'warn' },
    () => {},
  );
  browser = await launchChromium();
  page = await openSignedIn(browser, server.url, {
    path: '/?view=desk',
    username: 'dispatcher',
    ready: 'desk-panel',
    errors: pageErrors,
  });
  await page.waitForFunction(() => window.__gridwatch?.live?.connection === 'live', null, {
    timeout: LOAD_TIMEOUT_MS,
    polling: 250,
  });
}, LOAD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await page?.screenshot({ path: SCREENSHOT }).catch(() => {});
  await browser?.close();
  await server?.close();
  await database?.destroy();
  expect(pageErrors, 'uncaught page errors').toEqual([]);
});

describe('dispatch desk', () => {
  it('finds the nearest forces for typed coordinates, dispatches them with Enter, and closes the dispatch', async () => {
    const dispatcher = await signInOverHttp(server.url, 'dispatcher');
    const expected = (await (
      await fetch(new URL(`/api/dispatch/nearest?lon=${spot.lon}&lat=${spot.lat}&limit=3`, server.url), {
        headers: dispatcher,
      })
    ).json()) as DispatchNearest;

    await page.getByTestId('desk-lon').fill(String(spot.lon));
    await page.getByTestId('desk-lat').fill(String(spot.lat));
    await page.getByTestId('desk-search').click();
    const cards = page.getByTestId('desk-card');
    await expect.poll(() => cards.count(), { timeout: STEP_TIMEOUT_MS }).toBe(3);
    // the cards are the server's answer, fastest first, with the ETA as m:ss
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-station')))).toEqual(
      expected.stations.map((s) => s.id),
    );
    const first = expected.stations[0]!;
    const eta = `${Math.floor(Math.round(first.travelTimeS) / 60)}:${String(Math.round(first.travelTimeS) % 60).padStart(2, '0')}`;
    expect(await cards.first().locator('.desk-card-eta').textContent()).toBe(eta);
    // the candidates' routes and the 150 m ring on the map
    await expect.poll(() => drawnCount('desk-routes'), { timeout: STEP_TIMEOUT_MS }).toBe(3);
    await expect.poll(() => drawnCount('desk-ring'), { timeout: STEP_TIMEOUT_MS }).toBe(1);

    // untick the third, confirm with Enter
    await cards.nth(2).locator('input[type="checkbox"]').uncheck();
    await page.locator('.desk-hint').click();
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-confirmed').waitFor({ timeout: STEP_TIMEOUT_MS });
    const sent = expected.stations.slice(0, 2).map((s) => s.id);
    for (const code of sent)
      await expect
        .poll(async () => (await live())?.stationStatus[code], { timeout: STEP_TIMEOUT_MS })
        .toBe('busy');
    expect((await live())?.stationStatus[expected.stations[2]!.id]).toBe('available');
    const item = page.getByTestId('desk-open-item');
    await expect.poll(() => item.count(), { timeout: STEP_TIMEOUT_MS }).toBe(1);
    await expect.poll(() => drawnCount('dispatch-routes'), { timeout: STEP_TIMEOUT_MS }).toBe(2);
    await page.screenshot({ path: SCREENSHOT });

    await item.first().getByTestId('desk-close').click();
    await expect.poll(() => item.count(), { timeout: STEP_TIMEOUT_MS }).toBe(0);
    for (const code of sent)
      await expect
        .poll(async () => (await live())?.stationStatus[code], { timeout: STEP_TIMEOUT_MS })
        .toBe('available');
  });

  it('places an incident where the map is clicked', async () => {
    await page.keyboard.press('Escape');
    const box = (await page.getByTestId('wall-map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect
      .poll(async () => (await page.getByTestId('desk-lon').inputValue()) !== '', {
        timeout: STEP_TIMEOUT_MS,
      })
      .toBe(true);
    // the middle of the county lies near roads: the answer comes as cards, or as an error naming the field
    await expect
      .poll(
        async () =>
          (await page.getByTestId('desk-card').count()) + (await page.getByTestId('desk-error').count()),
        {
          timeout: STEP_TIMEOUT_MS,
        },
      )
      .toBeGreaterThan(0);
  });
});
