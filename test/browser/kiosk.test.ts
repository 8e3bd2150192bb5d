/**
 * A kiosk screen in a real browser (Debian Chromium) over our real server on a PostgreSQL test database:
 * `?kiosk=wall:6,town:6,ledger:6#display=<token>` signs itself in with a display token and plays the county overview, the overview zoomed to the town with the
 * most open hazards, and the ledger, round and round, leaving no history entries behind; through a
 * server restart it shows the reconnecting state and keeps playing, then resumes the live stream by
 * sequence and its charts take in a hazard reported after the restart.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhCN } from '../../client/src/i18n/locales/zh-CN.ts';
import type {} from '../../client/src/test-hooks.ts';
import type { RunningServer } from '../../server/src/server.ts';
import { reportHazardOverHttp, signInOverHttp, villageOfficerSpot } from '../support/api.ts';
import {
  launchChromium,
  LOAD_TIMEOUT_MS,
  STEP_TIMEOUT_MS,
  VIEWPORT,
  waitForMap,
} from '../support/browser.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';

const STEP_S = 6;

let database: TestDatabase;
let server: RunningServer;
let port: number;
let browser: Browser;
let page: Page;
/** a point in a unit grid of the village officer's village, and that village's town */
let spot: { lon: number; lat: number; town: string };
const pageErrors: string[] = [];
let displayToken: string;

async function start(listenOn = 0): Promise<RunningServer> {
  const { startServer } = await import('../../server/src/server.ts');
  return startServer(
    { ...database.configOverrides, PORT: listenOn, HOST: '127.0.0.1', SEED_DEMO: false, LOG_LEVEL: 'warn' },
    () => {},
  );
}

const report = () =>
  reportHazardOverHttp(server.url, spot, 'rental_housing', '出租房屋电动车违规充电（大屏轮播测试）');

const kiosk = () => page.evaluate(() => window.__gridwatch?.kiosk ?? null);

/** Waits for the playlist to show `view` (after `advances` steps, when given), and returns its state. */
async function waitForStep(view: string, afterAdvances = 0) {
  await page.waitForFunction(
    ({ view, afterAdvances }) => {
      const k = window.__gridwatch?.kiosk;
      return k !== null && k !== undefined && k.view === view && k.advances > afterAdvances;
    },
    { view, afterAdvances },
    { timeout: LOAD_TIMEOUT_MS, polling: 200 },
  );
  return (await kiosk())!;
}

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  database = await openTestDatabase('postgres');
  spot = await villageOfficerSpot(database.pool);
  server = await start();
  port = Number(new URL(server.url).port);
  // the busiest town: two open hazards where nothing else is open
  await report();
  await report();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // the wall's account gets a display token from the administrator; the screen's URL carries it, and
  // nobody types anything
  const admin = await signInOverHttp(server.url, 'admin');
  const { rows: operator } = await database.pool.query<{ id: number }>(
    `SELECT id::int FROM app_user WHERE username = 'county_operator'`,
  );
  const issued = await fetch(new URL('/api/devices', server.url), {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ name: '指挥中心大屏', kind: 'display', userId: operator[0]!.id }),
  });
  expect(issued.status).toBe(201);
  displayToken = ((await issued.json()) as { token: string }).token;
  await page.goto(
    new URL(`/?kiosk=wall:${STEP_S},town:${STEP_S},ledger:${STEP_S}#display=${displayToken}`, server.url)
      .href,
  );
  await waitForMap(page);
}, LOAD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await page?.screenshot({ path: 'test-results/kiosk.png' }).catch(() => {});
  await browser?.close();
  await server?.close();
  await database?.destroy();
  expect(pageErrors, 'uncaught page errors').toEqual([]);
});

describe('a kiosk screen', () => {
  it('plays the overview, the busiest town and the ledger, round and round, without history entries', async () => {
    // signed in by its display token, as the wall's account
    expect(await page.evaluate(() => window.__gridwatch?.user?.username)).toBe('county_operator');
    const historyLength = await page.evaluate(() => history.length);
    const first = await waitForStep('wall');
    // the cursor is hidden and the badge tells the step
    expect(await page.evaluate(() => getComputedStyle(document.body).cursor)).toBe('none');
    const town = await waitForStep('town', first.advances);
    expect(town.town).toBe(spot.town);
    await expect
      .poll(() => page.evaluate(() => window.__gridwatch?.focus), { timeout: STEP_TIMEOUT_MS })
      .toBe(spot.town);
    expect(await page.getByTestId('kiosk-badge').getAttribute('data-town')).toBe(spot.town);
    expect(await page.getByTestId('kiosk-badge').textContent()).toContain(zhCN.kiosk.views.town);
    // the map shows the town: the spot is in view, and the view is smaller than the district
    await expect
      .poll(
        () =>
          page.evaluate(({ lon, lat }) => {
            const map = window.__gridwatch!.map!;
            const district = window.__gridwatch!.district!.bbox;
            const b = map.getBounds();
            return (
              b.contains([lon, lat]) &&
              b.getEast() - b.getWest() < district[2] - district[0] &&
              b.getNorth() - b.getSouth() < district[3] - district[1]
            );
          }, spot),
        { timeout: STEP_TIMEOUT_MS },
      )
      .toBe(true);

    const ledger = await waitForStep('ledger', town.advances);
    await page.getByTestId('ledger-panel').waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(new URL(page.url()).searchParams.get('view')).toBe('ledger');
    expect(new URL(page.url()).searchParams.get('kiosk')).toBe(
      `wall:${STEP_S},town:${STEP_S},ledger:${STEP_S}`,
    );
    // round again: back to the overview, the map no longer focused
    await waitForStep('wall', ledger.advances);
    expect(new URL(page.url()).searchParams.has('view')).toBe(false);
    await expect
      .poll(() => page.evaluate(() => window.__gridwatch?.focus), { timeout: STEP_TIMEOUT_MS })
      .toBeNull();
    expect(await page.evaluate(() => history.length)).toBe(historyLength);
  });

  it('keeps playing through a server restart, shows it is reconnecting, then resumes by sequence', async () => {
    const before = (await page.evaluate(() => window.__gridwatch!.live))!;
    await server.close();
    await page.getByTestId('live-status').and(page.locator('[data-state="reconnecting"]')).waitFor({
      timeout: STEP_TIMEOUT_MS,
    });
    const down = (await kiosk())!;
    // the playlist turns on while nobody answers
    await page.waitForFunction((n) => (window.__gridwatch?.kiosk?.advances ?? 0) >= n + 2, down.advances, {
      timeout: STEP_TIMEOUT_MS,
      polling: 200,
    });
    server = await start(port);
    await page.waitForFunction(() => window.__gridwatch?.live?.connection === 'live', null, {
      timeout: STEP_TIMEOUT_MS,
      polling: 250,
    });
    const id = await report();
    await expect
      .poll(async () => (await page.evaluate(() => window.__gridwatch!.live))?.hazardIds, {
        timeout: STEP_TIMEOUT_MS,
      })
      .toContain(id);
    const after = (await page.evaluate(() => window.__gridwatch!.live))!;
    expect(after.snapshotLoads, 'resumed by seq, no snapshot reload').toBe(before.snapshotLoads);
    // the overview's figures take the new hazard in when the playlist comes round to it
    await waitForStep('wall', (await kiosk())!.advances);
    await expect
      .poll(
        async () =>
          Number(
            ((await page.getByTestId('wall-kpi-open').locator('dd').textContent()) ?? '').replace(/\D/g, ''),
          ),
        { timeout: STEP_TIMEOUT_MS },
      )
      .toBe(3);
  });
});
