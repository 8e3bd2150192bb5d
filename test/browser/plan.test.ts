/**
 * The planner's view in a real browser (Debian Chromium) over our real server on a PostgreSQL test
 * database: a planner opens `?view=plan`, sees the county's people within reach by road and by circle
 * and the ranked gap table exactly as the API gives them, the uncovered land drawn on the map; switches
 * the level; opens the districts (建标152-2017 verdicts) and the hydrant gaps, each drawn; downloads the
 * CSV export; proposes, drags and sites stations, with the server's progress shown while siting runs.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from '../../client/src/test-hooks.ts';
import type { CoverageDistricts, CoverageGaps, HydrantGaps } from '../../shared/src/schemas/coverage.ts';
import type { RunningServer } from '../../server/src/server.ts';
import { signInOverHttp } from '../support/api.ts';
import { launchChromium, LOAD_TIMEOUT_MS, openSignedIn, STEP_TIMEOUT_MS } from '../support/browser.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';

const SCREENSHOT = 'test-results/plan.png';

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let page: Page;
let planner: { authorization: string };
const pageErrors: string[] = [];

const drawnCount = (layerId: string) =>
  page.evaluate((id) => {
    const h = window.__gridwatch!;
    return h.layersDrawn === h.layersRequested ? (h.layerFeatureCounts[id] ?? 0) : -1;
  }, layerId);
const api = async <T>(path: string) =>
  (await (await fetch(new URL(path, server.url), { headers: planner })).json()) as T;

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  database = await openTestDatabase('postgres');
  const { startServer } = await import('../../server/src/server.ts');
  server = await startServer(
    { ...database.configOverrides, PORT: 0, HOST: '127.0.0.1', SEED_DEMO: false, LOG_LEVEL: 'warn' },
    () => {},
  );
  planner = await signInOverHttp(server.url, 'planner');
  browser = await launchChromium();
  page = await openSignedIn(browser, server.url, {
    path: '/?view=plan',
    username: 'planner',
    ready: 'plan-panel',
    errors: pageErrors,
    acceptDownloads: true,
  });
}, LOAD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await page?.screenshot({ path: SCREENSHOT }).catch(() => {});
  await browser?.close();
  await server?.close();
  await database?.destroy();
  expect(pageErrors, 'uncaught page errors').toEqual([]);
});

describe('planner view', () => {
  it('shows the API’s totals and ranked gaps, and draws the uncovered land', async () => {
    const gaps = await api<CoverageGaps>('/api/coverage/gaps?level=village');
    const rows = page.getByTestId('plan-gap-row');
    await expect.poll(() => rows.count(), { timeout: STEP_TIMEOUT_MS }).toBe(Math.min(15, gaps.rows.length));
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(
      gaps.rows.slice(0, 15).map((r) => r.code),
    );
    // the first row's people left out, as zh-CN writes the number
    const first = gaps.rows[0]!;
    expect(await rows.first().locator('td').nth(1).textContent()).toBe(
      new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 }).format(first.uncoveredPopulation),
    );
    expect(await page.getByTestId('plan-totals').getAttribute('data-road')).toBe(
      String(gaps.totals.byRoad.population),
    );
    await expect
      .poll(() => drawnCount('plan-uncovered'), { timeout: STEP_TIMEOUT_MS })
      .toBe(gaps.uncovered.coordinates.length);
    // a layer still being redrawn reads -1, so this waits for the frame rather than reading it once
    await expect.poll(() => drawnCount('plan-reach'), { timeout: STEP_TIMEOUT_MS }).toBeGreaterThan(0);
    await page.screenshot({ path: SCREENSHOT });

    // unit grids: the table reads the other level
    const units = await api<CoverageGaps>('/api/coverage/gaps?level=unit');
    await page.getByTestId('plan-level').selectOption('unit');
    await expect
      .poll(async () => rows.first().getAttribute('data-code'), { timeout: STEP_TIMEOUT_MS })
      .toBe(units.rows[0]!.code);
  });

  it('downloads the gap table as CSV', async () => {
    // the level is chosen here too, so this test reads the same whether or not the one before finished
    await page.getByTestId('plan-level').selectOption('unit');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }),
      page.getByTestId('plan-export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('coverage-gaps-unit.csv');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
    expect(text.split('\n')[0]).toMatch(/^code,name,level,admin,areaKm2,/);
  });

  it('opens the printable report in a new tab', async () => {
    const [report] = await Promise.all([
      page.context().waitForEvent('page', { timeout: STEP_TIMEOUT_MS }),
      page.getByTestId('plan-report').click(),
    ]);
    await report.waitForFunction(() => document.title.includes('5分钟消防圈覆盖评估报告'), null, {
      timeout: STEP_TIMEOUT_MS,
      polling: 250,
    });
    expect(await report.locator('svg path').count()).toBeGreaterThan(1);
    expect(await report.locator('h2').count()).toBe(5);
    await report.screenshot({ path: 'test-results/plan-report.png', fullPage: true });
    await report.close();
  });

  it('shows the districts with their 建标152-2017 verdicts, and the hydrant gaps, each on the map', async () => {
    const d = await api<CoverageDistricts>('/api/coverage/districts');
    await page.getByTestId('plan-tab-districts').click();
    const items = page.getByTestId('plan-district');
    await expect.poll(() => items.count(), { timeout: STEP_TIMEOUT_MS }).toBe(d.districts.length);
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-pass')))).toEqual(
      d.districts.map((x) => String(x.verdict?.pass)),
    );
    await expect
      .poll(() => drawnCount('plan-districts'), { timeout: STEP_TIMEOUT_MS })
      .toBe(d.districts.reduce((n, x) => n + (x.district?.coordinates.length ?? 0), 0));
    await expect.poll(() => drawnCount('plan-uncovered'), { timeout: STEP_TIMEOUT_MS }).toBe(0);

    const h = await api<HydrantGaps>('/api/coverage/hydrants');
    await page.getByTestId('plan-tab-hydrants').click();
    await page.getByTestId('plan-hydrants').waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await page.getByTestId('plan-hydrant-roads').textContent()).toContain(
      new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }).format(h.roads.uncoveredKm),
    );
    await expect
      .poll(() => drawnCount('plan-hydrant-gaps'), { timeout: STEP_TIMEOUT_MS })
      .toBe(h.roads.uncovered.coordinates.length);
  });

  it('proposes a station by a click, moves it by dragging, and finds sites greedily', async () => {
    await page.getByTestId('plan-tab-whatif').click();
    await page.getByTestId('plan-whatif').waitFor({ timeout: STEP_TIMEOUT_MS });
    // a point on a road in the middle of the county, where the map puts it on the screen
    const { rows } = await database.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
         SELECT ST_LineInterpolatePoint(geom, 0.5) AS p FROM road
          ORDER BY geom <-> (SELECT ST_Centroid(geom) FROM admin_area WHERE level = 'county') LIMIT 1) r`,
    );
    const screen = (lon: number, lat: number) =>
      page.evaluate(
        ([x, y]) => {
          const p = window.__gridwatch!.map!.project([x!, y!]);
          const box = document.querySelector('[data-testid="wall-map"]')!.getBoundingClientRect();
          return { x: box.left + p.x, y: box.top + p.y };
        },
        [lon, lat],
      );
    const at = await screen(rows[0]!.lon, rows[0]!.lat);
    await page.mouse.click(at.x, at.y);
    const proposed = page.getByTestId('plan-proposed');
    await expect.poll(() => proposed.count(), { timeout: STEP_TIMEOUT_MS }).toBe(1);
    const result = page.getByTestId('plan-whatif-result');
    await result.waitFor({ timeout: STEP_TIMEOUT_MS });
    const first = Number(await result.getAttribute('data-delta'));
    expect(first).toBeGreaterThanOrEqual(0);
    await expect.poll(() => drawnCount('plan-proposed'), { timeout: STEP_TIMEOUT_MS }).toBe(1);
    const placed = await proposed.first().textContent();

    // drag it 150 px east: the list shows the new place and the figures are asked again
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(at.x + step * 15, at.y);
    await page.mouse.up();
    await expect.poll(() => proposed.first().textContent(), { timeout: STEP_TIMEOUT_MS }).not.toBe(placed);
    expect(await proposed.count()).toBe(1);

    // greedy siting: three steps, each gaining no more people than the one before; while it runs, the
    // server's progress reports show as a bar (recorded as they appear), gone once the answer is in
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid="plan-progress"]'))
          seen.push(`${el.getAttribute('data-task')}:${el.getAttribute('data-stage')}`);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByTestId('plan-site').click();
    const steps = page.getByTestId('plan-siting-step');
    await expect.poll(() => steps.count(), { timeout: STEP_TIMEOUT_MS }).toBe(3);
    await expect.poll(() => drawnCount('plan-siting'), { timeout: STEP_TIMEOUT_MS }).toBe(3);
    const progressSeen = await page.evaluate(
      () => (window as unknown as { progressSeen: string[] }).progressSeen,
    );
    expect(progressSeen.some((s) => s.startsWith('siting:'))).toBe(true);
    expect(await page.getByTestId('plan-progress').count()).toBe(0);
    await page.screenshot({ path: 'test-results/plan-whatif.png' });
  });
});
