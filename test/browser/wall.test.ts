/**
 * The wall's statistics column in a real browser (Debian Chromium) over our real server on a PostgreSQL
 * test database, at 1920×1080 and at 3840×2160: the charts show the database's figures (counted here
 * with SQL of the test's own), follow hazards reported and stations turned busy through the API without
 * a reload, switch to English, and lay out the same picture at both sizes (1rem = 20 px and 40 px).
 * Screenshots of both sizes are saved under test-results/.
 */
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/locales/en.ts';
import { zhCN } from '../../client/src/i18n/locales/zh-CN.ts';
import type {} from '../../client/src/test-hooks.ts';
import type { RunningServer } from '../../server/src/server.ts';
import { beijingDay, beijingMonth } from '../../shared/src/beijing-time.ts';
import type { WallSummary } from '../../shared/src/schemas/wall.ts';
import { reportHazardOverHttp, signInOverHttp, villageOfficerSpot } from '../support/api.ts';
import {
  launchChromium,
  LOAD_TIMEOUT_MS,
  signInOnPage,
  STEP_TIMEOUT_MS,
  VIEWPORT,
  waitForMap,
} from '../support/browser.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';

const UHD = { width: 3840, height: 2160 };

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let page: Page;
let county: { authorization: string };
/** a point in a unit grid of the village officer's village */
let spot: { lon: number; lat: number };
const pageErrors: string[] = [];

/** What the test counts itself, in the county operator's area, with Beijing's day and month. */
async function databaseFigures() {
  const now = new Date();
  const dayStart = `${beijingDay(now)}T00:00:00+08:00`;
  const monthStart = `${beijingMonth(now)}-01T00:00:00+08:00`;
  const scope = `(SELECT scope_code FROM app_user WHERE username = 'county_operator')`;
  const { rows } = await database.pool.query<{
    today: number;
    month: number;
    month_closed: number;
    open: number;
    today_lpg: number;
    month_lpg: number;
    today_reported: number;
  }>(
    `SELECT count(*) FILTER (WHERE reported_at >= $1)::int AS today,
            count(*) FILTER (WHERE reported_at >= $2)::int AS month,
            count(*) FILTER (WHERE reported_at >= $2 AND state = 'closed')::int AS month_closed,
            count(*) FILTER (WHERE state <> 'closed')::int AS open,
            count(*) FILTER (WHERE reported_at >= $1 AND category = 'lpg')::int AS today_lpg,
            count(*) FILTER (WHERE reported_at >= $2 AND category = 'lpg')::int AS month_lpg,
            count(*) FILTER (WHERE reported_at >= $1 AND state = 'reported')::int AS today_reported
       FROM hazard WHERE village_code LIKE ${scope} || '%'`,
    [dayStart, monthStart],
  );
  const forces = await database.pool.query<{ tier: string; status: string; n: number }>(
    `SELECT tier, status, count(*)::int AS n FROM fire_station
      WHERE village_code LIKE ${scope} || '%' GROUP BY 1, 2`,
  );
  return {
    ...rows[0]!,
    forces: (tier: string, status: string) =>
      forces.rows.find((r) => r.tier === tier && r.status === status)?.n ?? 0,
  };
}

/** A chart's table row: its values, as the panel wrote them out. */
const tableValues = (chart: string, key: string) =>
  page
    .getByTestId(`wall-table-${chart}`)
    .locator(`tr[data-key="${key}"]`)
    .getAttribute('data-values', { timeout: STEP_TIMEOUT_MS })
    .then((text) => (text ?? '').split(',').map(Number));
const kpi = async (name: string) =>
  Number(((await page.getByTestId(`wall-kpi-${name}`).locator('dd').textContent()) ?? '').replace(/\D/g, ''));

const report = (category: string) => reportHazardOverHttp(server.url, spot, category, '墙面统计测试隐患');

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  database = await openTestDatabase('postgres');
  spot = await villageOfficerSpot(database.pool);
  const { startServer } = await import('../../server/src/server.ts');
  server = await startServer(
    { ...database.configOverrides, PORT: 0, HOST: '127.0.0.1', SEED_DEMO: false, LOG_LEVEL: 'warn' },
    () => {},
  );
  county = await signInOverHttp(server.url, 'county_operator');
  // something on the wall before it opens: two hazards reported today
  await report('fire_safety');
  await report('lpg');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  await signInOnPage(page, 'county_operator');
  await waitForMap(page);
}, LOAD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.destroy();
  expect(pageErrors, 'uncaught page errors').toEqual([]);
});

describe('the wall’s charts', () => {
  it('show the database’s figures at 1920×1080', async () => {
    const charts = page.getByTestId('wall-charts');
    await expect.poll(() => charts.getAttribute('data-seq'), { timeout: LOAD_TIMEOUT_MS }).not.toBe('');
    const db = await databaseFigures();
    expect(db.today).toBe(2);
    expect(await kpi('today')).toBe(db.today);
    expect(await kpi('month')).toBe(db.month);
    expect(await kpi('open')).toBe(db.open);
    expect(await tableValues('categories', 'lpg')).toEqual([db.today_lpg, db.month_lpg]);
    expect(await tableValues('states', 'reported')).toEqual([db.today_reported, db.month - db.month_closed]);
    for (const tier of ['rescue_station', 'fulltime_team', 'joint_station', 'micro_station'])
      expect(await tableValues('forces', tier)).toEqual(
        ['available', 'busy', 'out_of_service'].map((status) => db.forces(tier, status)),
      );
    // the gauges: the month's rate, and the cover the API computes
    const summary = (await (
      await fetch(new URL('/api/wall/summary', server.url), { headers: county })
    ).json()) as WallSummary;
    expect(Number(await page.getByTestId('wall-gauge-cover').getAttribute('data-value'))).toBeCloseTo(
      summary.coverage.share!,
      6,
    );
    expect(await page.getByTestId('wall-gauge-rate').getAttribute('data-value')).toBe(
      String(db.month_closed / db.month),
    );

    // every chart is drawn (ECharts' SVG), with its categories named on the axis, inside the column
    for (const id of ['categories', 'states', 'overdue', 'forces', 'patrols', 'rate', 'cover']) {
      const canvas = page.getByTestId(`wall-canvas-${id}`);
      const box = (await canvas.boundingBox())!;
      expect(box.height, id).toBeGreaterThan(40);
      expect(box.x + box.width, id).toBeLessThanOrEqual(VIEWPORT.width);
      expect(await canvas.locator('svg').count(), id).toBe(1);
    }
    // ECharts draws on the next frame: a busy machine may take a while
    await expect
      .poll(() => page.getByTestId('wall-canvas-forces').locator('svg text').allTextContents(), {
        timeout: STEP_TIMEOUT_MS,
      })
      .toEqual(expect.arrayContaining(Object.values(zhCN.enums.tier)));
    const column = (await page.locator('.column-right').boundingBox())!;
    const panel = (await page.getByTestId('wall-charts').boundingBox())!;
    expect(panel.y + panel.height).toBeLessThanOrEqual(column.y + column.height + 1);
    await page.screenshot({ path: 'test-results/wall-1080p.png' });
  });

  it('follow a hazard reported and a station turned busy, without a reload', async () => {
    await page.evaluate(() => ((window as { wallMarker?: number }).wallMarker = 1));
    const seq = Number(await page.getByTestId('wall-charts').getAttribute('data-seq'));
    await report('lpg');
    await expect.poll(() => kpi('today'), { timeout: STEP_TIMEOUT_MS }).toBe(3);
    const db = await databaseFigures();
    expect(await tableValues('categories', 'lpg')).toEqual([db.today_lpg, db.month_lpg]);
    expect(db.today_lpg).toBe(2);

    const code = (
      await database.pool.query<{ code: string }>(
        `SELECT code FROM fire_station WHERE tier = 'rescue_station' AND status = 'available' ORDER BY code LIMIT 1`,
      )
    ).rows[0]!.code;
    const busy = await fetch(new URL(`/api/stations/${code}/status`, server.url), {
      method: 'PATCH',
      headers: { ...county, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'busy', reason: '墙面统计测试' }),
    });
    expect(busy.status).toBe(200);
    const after = await databaseFigures();
    await expect
      .poll(() => tableValues('forces', 'rescue_station'), { timeout: STEP_TIMEOUT_MS })
      .toEqual(['available', 'busy', 'out_of_service'].map((s) => after.forces('rescue_station', s)));
    expect(Number(await page.getByTestId('wall-charts').getAttribute('data-seq'))).toBeGreaterThan(seq);

    // a grid member starts a patrol from a stock tracking app: the town's bar shows them on duty
    expect(await tableValues('patrols', 'none')).toEqual([0, 0]);
    const admin = await signInOverHttp(server.url, 'admin');
    const member = await database.pool.query<{ id: number; lon: number; lat: number; town: string }>(
      `SELECT u.id::int, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat,
              left(g.admin_code, 9) AS town
         FROM app_user u JOIN grid g ON g.level = 'unit' AND g.admin_code = u.scope_code
        WHERE u.username = 'grid_member' ORDER BY g.code LIMIT 1`,
    );
    const { id, lon, lat, town } = member.rows[0]!;
    const device = await fetch(new URL('/api/devices', server.url), {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '墙面巡查测试', userId: id, trackerId: 'wall-patrol-1' }),
    });
    expect(device.status, await device.clone().text()).toBe(201);
    const fix = await fetch(
      new URL(
        `/osmand?id=wall-patrol-1&lat=${lat}&lon=${lon}&timestamp=${Math.floor(Date.now() / 1000)}`,
        server.url,
      ),
    );
    expect(fix.status).toBe(200);
    const onDuty = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM patrol_session WHERE ended_at IS NULL AND area_code LIKE $1 || '%'`,
      [town],
    );
    expect(onDuty.rows[0]!.n).toBe(1);
    await expect.poll(() => tableValues('patrols', town), { timeout: STEP_TIMEOUT_MS }).toEqual([1, 0]);
    expect(await kpi('patrols')).toBe(1);
    expect(await page.evaluate(() => (window as { wallMarker?: number }).wallMarker)).toBe(1);
  });

  it('speak English after the switch, and Chinese again', async () => {
    await page.getByTestId('language-switch').click();
    await expect
      .poll(() => page.getByTestId('wall-chart-categories').locator('figcaption').textContent(), {
        timeout: STEP_TIMEOUT_MS,
      })
      .toBe(en.wall.charts.categories);
    await expect
      .poll(() => page.getByTestId('wall-canvas-forces').locator('svg text').allTextContents(), {
        timeout: STEP_TIMEOUT_MS,
      })
      .toEqual(expect.arrayContaining(Object.values(en.enums.tier)));
    await page.getByTestId('language-switch').click();
    await expect
      .poll(() => page.getByTestId('wall-chart-categories').locator('figcaption').textContent(), {
        timeout: STEP_TIMEOUT_MS,
      })
      .toBe(zhCN.wall.charts.categories);
  });

  it('still show their figures on a screen without WebGL, which says the map cannot be drawn (a screen opened in English)', async () => {
    const plain = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-3d-apis', '--disable-gpu'],
    });
    try {
      const screen = await plain.newPage({
        viewport: VIEWPORT,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      const errors: string[] = [];
      screen.on('pageerror', (error) => errors.push(error.message));
      // English from the first picture (its strings are a chunk of their own, loaded before it)
      await screen.goto(new URL('/?lang=en', server.url).href);
      await screen.waitForFunction(() => document.documentElement.lang === 'en', null, {
        timeout: STEP_TIMEOUT_MS,
      });
      await signInOnPage(screen, 'county_operator');
      const notice = screen.getByTestId('wall-map-failed');
      await notice.waitFor({ timeout: STEP_TIMEOUT_MS });
      expect(await notice.textContent()).toBe(en.app.mapFailed);
      const charts = screen.getByTestId('wall-charts');
      await expect.poll(() => charts.getAttribute('data-seq'), { timeout: STEP_TIMEOUT_MS }).not.toBe('');
      expect(await screen.getByTestId('wall-chart-categories').locator('figcaption').textContent()).toBe(
        en.wall.charts.categories,
      );
      expect(await screen.getByTestId('live-panel').isVisible()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('lay out the same picture at 3840×2160, twice the size', async () => {
    const at1080 = (await page.getByTestId('wall-charts').boundingBox())!;
    const font1080 = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    // a wall of its own at 4K, as one opens there (the map fits the district to that size)
    const uhd = await browser.newPage({ viewport: UHD, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    uhd.on('pageerror', (error) => pageErrors.push(error.message));
    await uhd.goto(server.url);
    await signInOnPage(uhd, 'county_operator');
    await waitForMap(uhd);
    const charts = uhd.getByTestId('wall-charts');
    await expect.poll(() => charts.getAttribute('data-seq'), { timeout: STEP_TIMEOUT_MS }).not.toBe('');
    expect(
      parseFloat(await uhd.evaluate(() => getComputedStyle(document.documentElement).fontSize)),
    ).toBeCloseTo(parseFloat(font1080) * 2, 2);
    const at4k = (await charts.boundingBox())!;
    expect(at4k.width / at1080.width).toBeCloseTo(2, 1);
    expect(at4k.height / at1080.height).toBeCloseTo(2, 1);
    // the charts follow: their labels are drawn at twice the size (0.72rem: 14 px, then 29 px)
    const largestLabel = () =>
      uhd
        .getByTestId('wall-canvas-forces')
        .locator('svg text')
        .evaluateAll((texts) => Math.max(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize))));
    await expect.poll(largestLabel, { timeout: STEP_TIMEOUT_MS }).toBeGreaterThanOrEqual(28);
    const lpg = await uhd
      .getByTestId('wall-table-categories')
      .locator('tr[data-key="lpg"]')
      .getAttribute('data-values');
    expect(lpg).toBe(`2,${(await databaseFigures()).month_lpg}`);
    // let the map draw the district before the picture is taken
    await uhd.waitForFunction(() => window.__gridwatch?.pendingDatasets.length === 0, null, {
      timeout: LOAD_TIMEOUT_MS,
      polling: 500,
    });
    await uhd.screenshot({ path: 'test-results/wall-4k.png' });
    await uhd.close();
  });
});
