/**
 * The ledger view in a real browser (Debian Chromium) over our real server on a PostgreSQL test
 * database: the county grid centre opens `?view=ledger`, sees patrol compliance per village exactly as
 * the API gives it, worst first, with the grids coloured on the map; switches to unit grids; reads the
 * key-hazard list and the bulletin of this month with the hazards just reported; downloads the
 * bulletin as an Excel workbook and opens its printable page; calls today's skid-mounted stations on
 * the video roll-call tab and records one, plays a station's HLS stream (a fixture served from another
 * origin, allowed by STREAM_ORIGINS) inside its card, says why a broken one cannot play, and takes in a
 * result another screen records (the live stream's `rollcall.recorded`).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from '../../client/src/test-hooks.ts';
import { beijingMonth } from '../../shared/src/beijing-time.ts';
import type { HazardDetail } from '../../shared/src/schemas/hazards.ts';
import type { Bulletin, KeyHazardList } from '../../shared/src/schemas/ledger.ts';
import type { PatrolCompliance } from '../../shared/src/schemas/patrol.ts';
import type { RollcallDay, RollcallMonth } from '../../shared/src/schemas/rollcall.ts';
import type { RunningServer } from '../../server/src/server.ts';
import { zhCN } from '../../client/src/i18n/locales/zh-CN.ts';
import { signInOverHttp } from '../support/api.ts';
import { launchChromium, LOAD_TIMEOUT_MS, openSignedIn, STEP_TIMEOUT_MS } from '../support/browser.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';

const SCREENSHOT = 'test-results/ledger.png';

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let page: Page;
let county: { authorization: string };
let officer: { authorization: string };
let major: HazardDetail;
const pageErrors: string[] = [];
/** The HLS fixture (data/fixtures/hls: 8 s of 320×180 H.264) on an origin of its own, as a camera's. */
let streams: Server;
let streamOrigin: string;
const HLS_FIXTURE = path.resolve('data/fixtures/hls');
const HLS_TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t' };

async function serveStreams(): Promise<void> {
  streams = createServer((request, response) => {
    const name = path.basename(new URL(request.url ?? '/', 'http://x').pathname);
    const type = HLS_TYPES[path.extname(name)];
    // hls.js fetches the playlist and segments from the page's origin: the camera allows it
    response.setHeader('access-control-allow-origin', '*');
    if (!type) return void response.writeHead(404).end();
    readFile(path.join(HLS_FIXTURE, name)).then(
      (body) => response.writeHead(200, { 'content-type': type }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => streams.listen(0, '127.0.0.1', resolve));
  const address = streams.address();
  streamOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const drawnCount = (layerId: string) =>
  page.evaluate((id) => {
    const h = window.__gridwatch!;
    return h.layersDrawn === h.layersRequested ? (h.layerFeatureCounts[id] ?? 0) : -1;
  }, layerId);
const api = async <T>(path: string, who = county) =>
  (await (await fetch(new URL(path, server.url), { headers: who })).json()) as T;
const post = async (path: string, body: unknown) => {
  const response = await fetch(new URL(path, server.url), {
    method: 'POST',
    headers: { ...officer, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as HazardDetail;
};
const codesOf = (selector: string) =>
  page.getByTestId(selector).evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  database = await openTestDatabase('postgres');
  await serveStreams();
  const { startServer } = await import('../../server/src/server.ts');
  server = await startServer(
    {
      ...database.configOverrides,
      PORT: 0,
      HOST: '127.0.0.1',
      SEED_DEMO: false,
      LOG_LEVEL: 'warn',
      STREAM_ORIGINS: streamOrigin,
    },
    () => {},
  );
  county = await signInOverHttp(server.url, 'county_operator');
  officer = await signInOverHttp(server.url, 'village_officer');
  // two reports in one unit grid of the officer's village, one of them classified major
  const { rows } = await database.pool.query<{ lon: number; lat: number }>(`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat
      FROM (SELECT ST_PointOnSurface(geom) AS p FROM grid
             WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
             ORDER BY code LIMIT 1) g`);
  const location = { ...rows[0]!, crs: 'wgs84' };
  const first = await post('/api/hazards', { category: 'lpg', description: '液化气钢瓶室内存放', location });
  await post('/api/hazards', { category: 'fire_safety', description: '疏散指示灯损坏', location });
  major = await post(`/api/hazards/${first.id}/actions`, {
    action: 'classify',
    version: first.version,
    severity: 'major',
  });

  browser = await launchChromium();
  page = await openSignedIn(browser, server.url, {
    path: '/?view=ledger',
    username: 'county_operator',
    ready: 'ledger-panel',
    errors: pageErrors,
    acceptDownloads: true,
  });
}, LOAD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await page?.screenshot({ path: SCREENSHOT }).catch(() => {});
  await browser?.close();
  await server?.close();
  streams?.close();
  await database?.destroy();
  expect(pageErrors, 'uncaught page errors').toEqual([]);
});

describe('ledger view', () => {
  const month = beijingMonth(new Date());

  it('shows patrol compliance per village as the API gives it, worst first, and colours the grids', async () => {
    const compliance = await api<PatrolCompliance>(`/api/patrols/compliance?month=${month}&level=village`);
    const worstFirst = [...compliance.rows]
      .sort((a, b) => a.compliantPct - b.compliantPct || a.code.localeCompare(b.code))
      .slice(0, 15)
      .map((r) => r.code);
    await expect
      .poll(() => codesOf('ledger-compliance-row'), { timeout: STEP_TIMEOUT_MS })
      .toEqual(worstFirst);
    const total = page.getByTestId('ledger-compliance-total');
    expect(await total.getAttribute('data-units')).toBe(String(compliance.total.units));
    expect(await total.getAttribute('data-compliant')).toBe(String(compliance.total.compliant));
    expect(await page.getByTestId('ledger-legend').locator('li').count()).toBe(4);
    // every village grid with a row is drawn (the village grids load in the second phase)
    await expect
      .poll(() => drawnCount('ledger-compliance'), { timeout: LOAD_TIMEOUT_MS })
      .toBe(compliance.rows.length);

    await page.getByTestId('ledger-level').selectOption('unit');
    const units = await api<PatrolCompliance>(`/api/patrols/compliance?month=${month}&level=unit`);
    // the unit grids are coloured from the vector tiles: every unit grid with a row is in the layer
    await page.waitForFunction(
      () => (window.__gridwatch?.tileViewportLoads['ledger-compliance'] ?? 0) > 0,
      null,
      { timeout: LOAD_TIMEOUT_MS },
    );
    const rowCodes = new Set(units.rows.map((r) => r.code));
    expect(rowCodes.size).toBeGreaterThan(0);
    await expect
      .poll(
        async () => {
          const codes = await page.evaluate(() => {
            const h = window.__gridwatch!;
            if (h.layersDrawn !== h.layersRequested || !h.deck) return [];
            return h.deck
              .pickObjects({
                x: 0,
                y: 0,
                width: innerWidth,
                height: innerHeight,
                layerIds: ['ledger-compliance'],
              })
              .map((info) => (info.object as { properties: { code: string } }).properties.code);
          });
          return new Set(codes.filter((code) => rowCodes.has(code))).size;
        },
        { timeout: LOAD_TIMEOUT_MS },
      )
      .toBe(rowCodes.size);
    // the unit grid with this month's two reports meets the reporting rule
    expect(units.rows.filter((r) => r.reports >= 2).map((r) => r.reportsOk)).toEqual([1]);
    await page.screenshot({ path: 'test-results/ledger-compliance.png' });
  });

  it('lists this half month’s key hazards and bulletins the month, as the API gives them', async () => {
    await page.getByTestId('ledger-tab-lists').click();
    // the map leaves the compliance colours to the patrol tab
    await expect.poll(() => drawnCount('ledger-compliance'), { timeout: STEP_TIMEOUT_MS }).toBe(0);
    const key = await api<KeyHazardList>('/api/ledger/key-hazards');
    expect(key.total.listed).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() => page.getByTestId('ledger-counts').getAttribute('data-listed'), { timeout: STEP_TIMEOUT_MS })
      .toBe(String(key.total.listed));
    const row = page.locator(`[data-testid="ledger-row"][data-id="${major.id}"]`);
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await row.textContent()).toContain('重大隐患');

    await page.getByTestId('ledger-list').selectOption('bulletin');
    const bulletin = await api<Bulletin>(`/api/ledger/bulletin?month=${month}`);
    expect(bulletin.total.found).toBe(2);
    await expect
      .poll(() => page.getByTestId('ledger-bulletin').getAttribute('data-found'), {
        timeout: STEP_TIMEOUT_MS,
      })
      .toBe('2');
    expect(await codesOf('ledger-town')).toEqual(bulletin.towns.slice(0, 15).map((t) => t.code));
    await page.screenshot({ path: SCREENSHOT });
  });

  it('shows today’s roll-call draw as the API gives it and records a station present', async () => {
    await page.getByTestId('ledger-tab-rollcall').click();
    const today = await api<RollcallDay>('/api/rollcall');
    expect(today.drawn.length).toBeGreaterThan(0);
    await expect
      .poll(() => codesOf('rollcall-card'), { timeout: STEP_TIMEOUT_MS })
      .toEqual(today.drawn.map((s) => s.code));
    // no stream is set in the demo: the card says how to call instead
    expect(await page.getByTestId('rollcall-nostream').count()).toBe(today.drawn.length);
    const card = page.locator(`[data-testid="rollcall-card"][data-code="${today.drawn[0]!.code}"]`);
    await card.getByTestId('rollcall-note').fill('人员在岗，器材完好');
    await card.getByTestId('rollcall-present').click();
    await expect.poll(() => card.getAttribute('data-outcome'), { timeout: STEP_TIMEOUT_MS }).toBe('present');
    expect(await card.getByTestId('rollcall-result').textContent()).toContain('人员在岗，器材完好');
    const month = await api<RollcallMonth>('/api/rollcall/monthly');
    expect(month.total.present).toBe(1);
    const row = page.locator(`[data-testid="rollcall-month-row"][data-code="${today.drawn[0]!.code}"]`);
    await expect.poll(() => row.locator('td').nth(2).textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('1');
    await page.screenshot({ path: 'test-results/ledger-rollcall.png' });
  });

  it('plays a station’s video in its card, says why a broken stream cannot, and shows a result recorded elsewhere', async () => {
    const today = await api<RollcallDay>('/api/rollcall');
    expect(today.drawn.length).toBeGreaterThanOrEqual(2);
    // the first was recorded present above; the other screen records the second
    const [good, broken] = today.drawn.map((s) => s.code) as [string, string];
    const other = broken;
    const setStream = async (code: string, url: string) => {
      const response = await fetch(new URL(`/api/stations/${code}/stream`, server.url), {
        method: 'PUT',
        headers: { ...county, 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
      expect(response.status, await response.text()).toBe(200);
    };
    await setStream(good, `${streamOrigin}/index.m3u8`);
    await setStream(broken, `${streamOrigin}/gone.m3u8`);
    // another screen of the county centre records a station absent: this page re-reads its day (and
    // so also sees the streams just set)
    const recorded = await fetch(new URL('/api/rollcall/results', server.url), {
      method: 'POST',
      headers: { ...county, 'content-type': 'application/json' },
      body: JSON.stringify({ date: today.date, station: other, outcome: 'absent', note: '值班室无人' }),
    });
    expect(recorded.status, await recorded.text()).toBe(201);
    const card = (code: string) => page.locator(`[data-testid="rollcall-card"][data-code="${code}"]`);
    await expect
      .poll(() => card(other).getAttribute('data-outcome'), { timeout: STEP_TIMEOUT_MS })
      .toBe('absent');
    await expect
      .poll(() => card(good).getByTestId('rollcall-play').count(), { timeout: STEP_TIMEOUT_MS })
      .toBe(1);
    expect(await page.getByTestId('rollcall-nostream').count()).toBe(today.drawn.length - 2);

    // the call: the stream plays in the card (hls.js, from the camera's origin)
    await card(good).getByTestId('rollcall-play').click();
    const player = card(good).getByTestId('rollcall-player');
    await expect.poll(() => player.getAttribute('data-state'), { timeout: STEP_TIMEOUT_MS }).toBe('playing');
    const video = card(good).getByTestId('rollcall-video');
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: STEP_TIMEOUT_MS })
      .toBeGreaterThan(0.5);
    expect(
      await video.evaluate((v: HTMLVideoElement) => ({ width: v.videoWidth, height: v.videoHeight })),
    ).toEqual({ width: 320, height: 180 });
    await page.screenshot({ path: 'test-results/ledger-rollcall-video.png' });

    // one call at a time: calling the broken one stops the first, and says why it cannot play
    await card(broken).getByTestId('rollcall-play').click();
    expect(await card(good).getByTestId('rollcall-player').count()).toBe(0);
    const failed = card(broken).getByTestId('rollcall-player');
    await expect.poll(() => failed.getAttribute('data-state'), { timeout: STEP_TIMEOUT_MS }).toBe('error');
    expect(await card(broken).getByTestId('rollcall-player-error').textContent()).toContain(
      zhCN.rollcall.player.failed.network,
    );
    await card(broken).getByTestId('rollcall-play').click();
    expect(await page.getByTestId('rollcall-player').count()).toBe(0);
    await page.getByTestId('ledger-tab-lists').click();
  });

  it('downloads the bulletin as an Excel workbook and opens its printable page', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }),
      page.getByTestId('ledger-excel').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`bulletin-${month}.xlsx`);
    const sheets = await readXlsxFile(await readFile(await download.path()));
    expect(sheets.map((s) => s.sheet)).toEqual(['说明', '乡镇排名', '隐患类别']);

    const [printable] = await Promise.all([
      page.context().waitForEvent('page', { timeout: STEP_TIMEOUT_MS }),
      page.getByTestId('ledger-print').click(),
    ]);
    await printable.waitForFunction(() => document.title.includes('月度通报'), null, {
      timeout: STEP_TIMEOUT_MS,
      polling: 250,
    });
    expect(await printable.locator('h2').allTextContents()).toEqual(['乡镇（街道）排名', '隐患类别']);
    await printable.screenshot({ path: 'test-results/ledger-bulletin.png', fullPage: true });
    await printable.close();
  });
});
