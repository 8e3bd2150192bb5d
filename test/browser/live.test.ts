/**
 * The wall's live layers in a real browser (Debian Chromium, software WebGL) over our real server on a
 * PostgreSQL test database: changes made through the API reach the map, the counters and the ticker
 * without a page reload; a restarted server is resumed by seq (no snapshot reload); a gap reloads the
 * snapshot. Asserts on what the operator sees (panels, the title bar) and on deck.gl's own picking.
 *
 * Patrol positions: this branch has no `POST /api/positions` yet (the patrol feature is built in
 * parallel), so the test commits patrol events through the server's own event writer, as that feature
 * will.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewLiveEvent } from '../../shared/src/schemas/live.ts';
import { zhCN } from '../../client/src/i18n/locales/zh-CN.ts';
import { HAZARD_PULSE } from '../../client/src/map/symbols.ts';
import type {} from '../../client/src/test-hooks.ts';
import type { RunningServer } from '../../server/src/server.ts';
import { createEventWriter } from '../../server/src/modules/events/with-events.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';
import { signInOverHttp } from '../support/api.ts';
import { launchChromium, LOAD_TIMEOUT_MS, STEP_TIMEOUT_MS, VIEWPORT } from '../support/browser.ts';
import { TEST_PASSWORD } from '../support/paths.ts';

const SCREENSHOT = 'test-results/live.png';

let database: TestDatabase;
let server: RunningServer;
let port: number;
let browser: Browser;
let page: Page;
/** A point inside a unit grid of the village officer's village, where they may report. */
let spot: { lon: number; lat: number; grid: string; village: string };
/** Uncaught page errors: none are allowed, not even while the server is down. */
const pageErrors: string[] = [];
/** `afterSeq` of every Socket.IO handshake the page sent. */
const handshakes: number[] = [];
const snapshotRequests: string[] = [];

async function start(listenOn = 0): Promise<RunningServer> {
  const { startServer } = await import('../../server/src/server.ts');
  return startServer(
    { ...database.configOverrides, PORT: listenOn, HOST: '127.0.0.1', SEED_DEMO: false, LOG_LEVEL: 'warn' },
    () => {},
  );
}

const apiSignIn = (username: string) => signInOverHttp(server.url, username);

const live = () => page.evaluate(() => window.__gridwatch?.live ?? null);
const counterValue = async (testId: string) =>
  (await page.getByTestId(testId).locator('.live-counter-value').textContent()) ?? '';
const tickerTexts = () => page.getByTestId('ticker-item').allTextContents();

/** The ids of the live layer's objects deck.gl picks under the whole viewport. */
function pickLive(layerId: string): Promise<number[]> {
  return page.evaluate(
    ({ layerId, width, height }) => {
      const deck = window.__gridwatch?.deck;
      if (!deck) throw new Error('no deck overlay');
      return deck.pickObjects({ x: 0, y: 0, width, height, layerIds: [layerId] }).map((info) => {
        const row = info.object as { hazard?: { id: number }; sessionId?: number };
        return row.hazard?.id ?? row.sessionId ?? -1;
      });
    },
    { layerId, ...VIEWPORT },
  );
}

/** A marker on the window: still there means the page was not reloaded. */
const markPage = () => page.evaluate(() => ((window as { liveMarker?: number }).liveMarker = 1));
const pageKept = () => page.evaluate(() => (window as { liveMarker?: number }).liveMarker === 1);

function patrolEvents(sessionId: number, fixes: number): NewLiveEvent[] {
  const base = { area: spot.village, grid: spot.grid, subject: `patrol:${sessionId}` };
  const member = '测试网格员';
  return [
    {
      ...base,
      type: 'patrol.started',
      data: { sessionId, userId: 1, member, grid: spot.grid, startedAt: new Date().toISOString() },
    },
    ...Array.from({ length: fixes }, (_, i) => ({
      ...base,
      type: 'patrol.position' as const,
      data: {
        sessionId,
        userId: 1,
        member,
        lon: spot.lon + i * 0.0004,
        lat: spot.lat,
        fixAt: new Date().toISOString(),
        speedKmh: 5,
        bearing: 90,
        inOwnGrid: true,
      },
    })),
  ];
}

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  database = await openTestDatabase('postgres');
  const { rows } = await database.pool.query<typeof spot>(`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat, code AS grid, admin_code AS village
      FROM (SELECT code, admin_code, ST_PointOnSurface(geom) AS p FROM grid
             WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
             ORDER BY code LIMIT 1) g`);
  spot = rows[0]!;
  server = await start();
  port = Number(new URL(server.url).port);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/api/live/snapshot') snapshotRequests.push(url.pathname);
    for (const match of (request.postData() ?? '').matchAll(/40\{[^}]*"afterSeq":(\d+)/g))
      handshakes.push(Number(match[1]));
  });
  page.on('websocket', (socket) =>
    socket.on('framesent', (frame) => {
      const match = /^40\{.*"afterSeq":(\d+)/.exec(String(frame.payload));
      if (match) handshakes.push(Number(match[1]));
    }),
  );
  // The embedded demo runs a simulator and says so at /api/health: this server does not, so the test
  // answers for it (the badge must follow the server's word).
  await page.route('**/api/health', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), simulated: true } });
  });
  await page.goto(server.url);
  await page.getByTestId('sign-in-username').fill('county_operator');
  await page.getByTestId('sign-in-password').fill(TEST_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.waitForFunction(
    () => {
      const hooks = window.__gridwatch;
      return (
        !!hooks?.map &&
        hooks.mapLoaded &&
        hooks.deckDrawCount > 0 &&
        hooks.pendingDatasets.length === 0 &&
        hooks.live?.connection === 'live'
      );
    },
    null,
    { timeout: LOAD_TIMEOUT_MS, polling: 250 },
  );
}, LOAD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await page?.screenshot({ path: SCREENSHOT }).catch(() => {});
  await browser?.close();
  await server?.close();
  await database?.destroy();
  expect(pageErrors, 'uncaught page errors').toEqual([]);
});

describe('wall live layers', () => {
  it('starts from the snapshot, live, with the simulated badge the server asks for', async () => {
    const state = await live();
    expect(state?.connection).toBe('live');
    expect(state?.snapshotLoads).toBe(1);
    expect(handshakes[0], 'the first handshake resumes after the snapshot').toBe(state?.appliedSeq);
    expect(await page.getByTestId('live-status-state').textContent()).toBe(zhCN.live.connection.live);
    expect(await page.getByTestId('simulated-badge').textContent()).toBe(zhCN.live.simulated);
    expect(await counterValue('live-counter-open-hazards')).toBe('0');
    const available = await page.getByTestId('live-available-rescue_station').textContent();
    expect(available).toMatch(/\d+ \/ \d+/);
  });

  it('draws a hazard reported through the API, pulses it, and puts it in the ticker and counters', async () => {
    await markPage();
    const officer = await apiSignIn('village_officer');
    const response = await fetch(new URL('/api/hazards', server.url), {
      method: 'POST',
      headers: { ...officer, 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'lpg',
        description: '餐馆液化气钢瓶与灶具距离不足',
        location: { lon: spot.lon, lat: spot.lat, crs: 'wgs84' },
      }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    await expect.poll(async () => (await live())?.hazardIds, { timeout: STEP_TIMEOUT_MS }).toContain(id);
    // It pulses for its first seconds (software WebGL draws a few frames a second: ask at once).
    await expect
      .poll(() => page.evaluate(() => window.__gridwatch?.layerFeatureCounts['live-hazards-pulse']), {
        // the pulse lasts durationMs from the event's arrival, which the store saw just before this
        timeout: HAZARD_PULSE.durationMs - 500,
        interval: 100,
      })
      .toBe(1);
    await expect
      .poll(() => counterValue('live-counter-open-hazards'), { timeout: STEP_TIMEOUT_MS })
      .toBe('1');
    await expect
      .poll(tickerTexts, { timeout: STEP_TIMEOUT_MS })
      .toContainEqual(expect.stringContaining('新隐患：瓶装液化气 · 餐馆液化气钢瓶与灶具距离不足'));
    await expect.poll(() => pickLive('live-hazards'), { timeout: STEP_TIMEOUT_MS }).toContain(id);

    expect(await pageKept()).toBe(true);
  });

  it('applies a station status change to the station symbol, the available counter and the ticker', async () => {
    const county = await apiSignIn('county_operator');
    const { rows } = await database.pool.query<{ code: string; name: string }>(
      `SELECT code, name FROM fire_station WHERE tier = 'rescue_station' AND status = 'available' ORDER BY code LIMIT 1`,
    );
    const station = rows[0]!;
    const before = await page.getByTestId('live-available-rescue_station').textContent();
    const response = await fetch(new URL(`/api/stations/${station.code}/status`, server.url), {
      method: 'PATCH',
      headers: { ...county, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'busy', reason: '出警' }),
    });
    expect(response.status).toBe(200);
    await expect
      .poll(async () => (await live())?.stationStatus[station.code], { timeout: STEP_TIMEOUT_MS })
      .toBe('busy');
    await expect
      .poll(tickerTexts, { timeout: STEP_TIMEOUT_MS })
      .toContainEqual(expect.stringContaining(`${station.name}：${zhCN.enums.stationStatus.busy}`));
    const [available, total] = (before ?? '').match(/\d+/g)!.map(Number);
    expect(await page.getByTestId('live-available-rescue_station').textContent()).toContain(
      `${available! - 1} / ${total}`,
    );
    // The map draws the station with the busy symbol (its icon is chosen from the live status).
    await expect
      .poll(
        () =>
          page.evaluate((code) => {
            // The overlay keeps the layers it was given in its (private) props.
            const overlay = window.__gridwatch?.deck as unknown as {
              _props: { layers: Array<{ id: string; props: Record<string, unknown> }> };
            };
            const layer = overlay._props.layers.find((l) => l.id === 'stations');
            const data = layer?.props.data as Array<{ id: string }> | undefined;
            const getIcon = layer?.props.getIcon as ((f: unknown) => { id: string }) | undefined;
            const feature = data?.find((f) => f.id === code);
            return feature && getIcon?.(feature).id;
          }, station.code),
        { timeout: STEP_TIMEOUT_MS },
      )
      .toBe('station/rescue_station/busy');
  });

  it('draws a dispatch: the routes and the busy forces, gone again when it is closed', async () => {
    const dispatcher = await apiSignIn('dispatcher');
    const { rows } = await database.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
         FROM (SELECT ST_LineInterpolatePoint(geom, 0.5) AS p FROM road WHERE class = 'arterial' ORDER BY id LIMIT 1) r`,
    );
    const spot = rows[0]!;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(new URL(path, server.url), {
        ...init,
        headers: { ...dispatcher, 'content-type': 'application/json' },
      });
    const nearest = (await (
      await api(`/api/dispatch/nearest?lon=${spot.lon}&lat=${spot.lat}&limit=2`)
    ).json()) as {
      stations: { id: string }[];
    };
    const codes = nearest.stations.map((s) => s.id);
    expect(codes).toHaveLength(2);
    const created = await api('/api/dispatches', {
      method: 'POST',
      body: JSON.stringify({ ...spot, stations: codes }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    await expect
      .poll(async () => (await live())?.stationStatus[codes[0]!], { timeout: STEP_TIMEOUT_MS })
      .toBe('busy');
    // one route per force and the incident ring, drawn by deck.gl
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const h = window.__gridwatch!;
            return h.layersDrawn === h.layersRequested ? h.layerFeatureCounts['dispatch-routes'] : -1;
          }),
        { timeout: STEP_TIMEOUT_MS },
      )
      .toBe(2);
    expect(await page.evaluate(() => window.__gridwatch!.layerFeatureCounts['dispatch-incidents'])).toBe(1);
    // the coverage loss the wall shows is the server's for these busy forces
    const loss = (await (await api('/api/coverage/live')).json()) as { lost: { population: number } };
    await expect
      .poll(() => page.getByTestId('live-coverage-loss').getAttribute('data-lost-population'), {
        timeout: STEP_TIMEOUT_MS,
      })
      .toBe(String(loss.lost.population));
    await expect
      .poll(tickerTexts, { timeout: STEP_TIMEOUT_MS })
      .toContainEqual(expect.stringContaining(`出警调派 #${id}`));

    const closed = await api(`/api/dispatches/${id}/close`, { method: 'POST', body: '{}' });
    expect(closed.status).toBe(200);
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const h = window.__gridwatch!;
            return h.layersDrawn === h.layersRequested ? h.layerFeatureCounts['dispatch-routes'] : -1;
          }),
        { timeout: STEP_TIMEOUT_MS },
      )
      .toBe(0);
    expect((await live())?.stationStatus[codes[0]!]).toBe('available');
  });

  it('draws patrol positions with a short trail', async () => {
    await server.app.live.events.transaction(async (_client, emit) => {
      for (const event of patrolEvents(101, 5)) emit(event);
    });
    await expect
      .poll(async () => (await live())?.patrolSessions, { timeout: STEP_TIMEOUT_MS })
      .toContain(101);
    await expect.poll(() => counterValue('live-counter-patrols'), { timeout: STEP_TIMEOUT_MS }).toBe('1');
    await expect.poll(() => pickLive('live-patrols'), { timeout: STEP_TIMEOUT_MS }).toContain(101);
    expect(await tickerTexts()).toContainEqual(expect.stringContaining('测试网格员 开始巡查'));
  });

  it('shows reconnecting while the server is down, then resumes by seq without a reload', async () => {
    await markPage();
    const before = (await live())!;
    await server.close();
    await page.getByTestId('live-status').and(page.locator('[data-state="reconnecting"]')).waitFor({
      timeout: STEP_TIMEOUT_MS,
    });
    expect(await page.getByTestId('live-status-state').textContent()).toBe(zhCN.live.connection.reconnecting);
    await expect
      .poll(() => page.getByTestId('live-status-freshness').textContent(), { timeout: STEP_TIMEOUT_MS })
      .toMatch(/数据截至 .*秒前/);
    // Committed while no server is up: only the log's replay can bring it to the wall.
    await createEventWriter(database.pool).transaction(async (_client, emit) => {
      for (const event of patrolEvents(102, 3)) emit(event);
    });
    server = await start(port);
    await page.waitForFunction(() => window.__gridwatch?.live?.connection === 'live', null, {
      timeout: STEP_TIMEOUT_MS,
    });
    await expect
      .poll(async () => (await live())?.patrolSessions, { timeout: STEP_TIMEOUT_MS })
      .toContain(102);
    const after = (await live())!;
    expect(after.snapshotLoads, 'resumed by seq, no snapshot reload').toBe(before.snapshotLoads);
    expect(handshakes.at(-1), 'the reconnect handshake carries the last applied seq').toBe(before.appliedSeq);
    expect(after.appliedSeq).toBeGreaterThan(before.appliedSeq);
    expect(await pageKept()).toBe(true);
    expect(await page.getByTestId('live-status-state').textContent()).toBe(zhCN.live.connection.live);
  });

  it('reloads the snapshot when a batch skips a seq', async () => {
    const before = (await live())!;
    const requests = snapshotRequests.length;
    await page.evaluate((seq) => {
      window.__gridwatch?.liveReceive?.([
        {
          seq,
          type: 'hazard.reported',
          topic: 'hazard',
          at: new Date().toISOString(),
          area: '320803',
          grid: null,
          department: null,
          subject: 'hazard:999999',
          data: { id: 999_999, state: 'reported', lon: 119.1, lat: 33.5, title: 'never committed' },
        },
      ]);
    }, before.appliedSeq + 3);
    await expect
      .poll(async () => (await live())?.snapshotLoads, { timeout: STEP_TIMEOUT_MS })
      .toBe(before.snapshotLoads + 1);
    expect(snapshotRequests.length).toBeGreaterThan(requests);
    await page.waitForFunction(() => window.__gridwatch?.live?.connection === 'live', null, {
      timeout: STEP_TIMEOUT_MS,
    });
    const after = (await live())!;
    expect(after.hazardIds).not.toContain(999_999);
    // The snapshot has what the events had brought: the open hazard and the busy station.
    expect(after.hazardIds).toEqual(before.hazardIds);
    expect(after.stationStatus).toEqual(before.stationStatus);
  });
});
