import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION_IDS } from '../../../../shared/src/schemas/features.ts';
import { TIER_TARGET_MIN, type StationTier } from '../../../../shared/src/domain.ts';
import { coverageRadiusM } from '../../../../shared/src/standards.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

/** 淮安区 bbox from data/reference (WGS84), with a margin for generated features on the edge. */
const DISTRICT_BBOX = [118.98, 33.28, 119.62, 33.77];

interface FeatureCollection {
  type: string;
  numberMatched: number;
  numberReturned: number;
  links: { rel: string; href: string; type?: string }[];
  features: {
    id: string | number;
    geometry: { type: string; coordinates: unknown };
    properties: Record<string, unknown>;
  }[];
}

describe.each(BACKENDS)('OGC API – Features on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let headers: { authorization: string };
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', headers, url });
    return { status: res.statusCode, headers: res.headers, body: res.json() as Record<string, unknown> };
  };
  const items = async (url: string) => (await get(url)).body as unknown as FeatureCollection;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db);
    headers = await authHeader(app, 'county_operator');
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('links the landing page to conformance, collections and the OpenAPI document', async () => {
    const { status, body } = await get('/ogc');
    expect(status).toBe(200);
    const rels = (body.links as { rel: string }[]).map((l) => l.rel);
    expect(rels).toEqual(
      expect.arrayContaining(['self', 'conformance', 'data', 'service-desc', 'service-doc']),
    );
    const openapi = await app.inject({ method: 'GET', headers, url: '/docs/json' });
    expect(openapi.statusCode).toBe(200);
    expect(Object.keys(openapi.json().paths)).toContain('/ogc/collections/roads/items');
  });

  it('declares the Core and GeoJSON conformance classes', async () => {
    const { body } = await get('/ogc/conformance');
    expect(body.conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      ]),
    );
  });

  it('lists every collection with an extent inside the district and an items link', async () => {
    const { body } = await get('/ogc/collections');
    const collections = body.collections as {
      id: string;
      extent: { spatial: { bbox: number[][] } };
      links: { rel: string; href: string }[];
    }[];
    expect(collections.map((c) => c.id)).toEqual([...COLLECTION_IDS]);
    for (const c of collections) {
      const [x0, y0, x1, y1] = c.extent.spatial.bbox[0]!;
      expect(x0).toBeGreaterThanOrEqual(DISTRICT_BBOX[0]! - 0.05);
      expect(y0).toBeGreaterThanOrEqual(DISTRICT_BBOX[1]! - 0.05);
      expect(x1).toBeLessThanOrEqual(DISTRICT_BBOX[2]! + 0.05);
      expect(y1).toBeLessThanOrEqual(DISTRICT_BBOX[3]! + 0.05);
      expect(c.links.find((l) => l.rel === 'items')?.href).toMatch(
        new RegExp(`/ogc/collections/${c.id}/items$`),
      );
    }
  });

  it('returns the 19 real townships of 淮安区 as town grids, with GeoJSON media type', async () => {
    const res = await app.inject({
      method: 'GET',
      headers,
      url: '/ogc/collections/grids/items?level=town&limit=100',
    });
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    const fc = res.json() as FeatureCollection;
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.numberMatched).toBe(19);
    expect(fc.numberReturned).toBe(19);
    const names = fc.features.map((f) => f.properties.name);
    expect(names).toContain('淮城街道');
    for (const f of fc.features) {
      expect(f.geometry.type).toMatch(/Polygon/);
      expect(f.properties.level).toBe('town');
      expect(f.properties.area_km2).toBeGreaterThan(0);
    }
  });

  it('pages with next links until every feature has been returned exactly once', async () => {
    const total = (await items('/ogc/collections/stations/items?limit=1')).numberMatched;
    expect(total).toBeGreaterThan(20);
    const seen = new Set<string | number>();
    let url: string | undefined = '/ogc/collections/stations/items?limit=37';
    let pages = 0;
    while (url) {
      const page: FeatureCollection = await items(url);
      for (const f of page.features) seen.add(f.id);
      const next = page.links.find((l) => l.rel === 'next')?.href;
      url = next ? new URL(next).pathname + new URL(next).search : undefined;
      pages += 1;
    }
    expect(seen.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 37));
  });

  it('leaves the geometry out when asked (skipGeometry), keeping ids, properties and paging', async () => {
    const full = await items('/ogc/collections/grids/items?level=unit&limit=50');
    const bare = await items('/ogc/collections/grids/items?level=unit&limit=50&skipGeometry=true');
    expect(bare.numberMatched).toBe(full.numberMatched);
    expect(bare.features.map((f) => f.id)).toEqual(full.features.map((f) => f.id));
    expect(bare.features.map((f) => f.properties)).toEqual(full.features.map((f) => f.properties));
    for (const f of bare.features) expect(f.geometry).toBeNull();
    expect(bare.links.find((l) => l.rel === 'next')!.href).toContain('skipGeometry=true');
    const bad = await get('/ogc/collections/grids/items?skipGeometry=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('query.skipGeometry');
  });

  it('filters by bbox', async () => {
    const all = await items('/ogc/collections/water-sources/items?limit=1');
    const core = await items(
      '/ogc/collections/water-sources/items?limit=10000&bbox=119.10,33.47,119.20,33.53',
    );
    expect(core.numberMatched).toBeGreaterThan(0);
    expect(core.numberMatched).toBeLessThan(all.numberMatched);
    for (const f of core.features) {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      expect(lon).toBeGreaterThanOrEqual(119.1);
      expect(lon).toBeLessThanOrEqual(119.2);
      expect(lat).toBeGreaterThanOrEqual(33.47);
      expect(lat).toBeLessThanOrEqual(33.53);
    }
  });

  it('serves roads with pgRouting conventions', async () => {
    const fc = await items('/ogc/collections/roads/items?limit=2000&class=street');
    expect(fc.numberMatched).toBeGreaterThan(1000);
    for (const f of fc.features) {
      const p = f.properties as Record<string, number | boolean | string>;
      expect(Number.isInteger(p.source)).toBe(true);
      expect(Number.isInteger(p.target)).toBe(true);
      expect(p.cost_s as number).toBeCloseTo((p.length_m as number) / ((p.speed_kmh as number) / 3.6), 1);
      expect(p.reverse_cost_s).toBe(p.oneway ? -1 : p.cost_s);
      expect(f.geometry.type).toBe('LineString');
    }
    expect(fc.features.some((f) => f.properties.oneway === true)).toBe(true);
  });

  it('draws each coverage circle with its tier radius', async () => {
    const fc = await items('/ogc/collections/coverage-circles/items?limit=10000');
    const stations = await items('/ogc/collections/stations/items?limit=1');
    expect(fc.numberMatched).toBe(stations.numberMatched);
    for (const f of fc.features) {
      const tier = f.properties.tier as StationTier;
      expect(f.properties.target_minutes).toBe(TIER_TARGET_MIN[tier]);
      expect(f.properties.radius_m).toBeCloseTo(coverageRadiusM(TIER_TARGET_MIN[tier]), 0);
    }
    const { rows } = await db.pool.query<{ ratio: number }>(
      `SELECT max(abs(ST_Area(geom::geography) / (pi() * radius_m ^ 2) - 1)) AS ratio FROM coverage_circle`,
    );
    expect(rows[0]!.ratio).toBeLessThan(0.01);
  });

  it('returns one feature by id and 404 for a missing one', async () => {
    const first = (await items('/ogc/collections/stations/items?limit=1')).features[0]!;
    const one = await get(`/ogc/collections/stations/items/${encodeURIComponent(String(first.id))}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(first.id);
    expect((one.body.properties as Record<string, unknown>).tier).toBeDefined();
    const road = await get('/ogc/collections/roads/items/1');
    expect(road.status).toBe(200);
    expect(road.body.id).toBe(1);
    expect((await get('/ogc/collections/stations/items/NOPE')).status).toBe(404);
    expect((await get('/ogc/collections/nope/items')).status).toBe(404);
  });

  it.each([
    ['/ogc/collections/grids/items?limit=0', 'query.limit'],
    ['/ogc/collections/grids/items?limit=10001', 'query.limit'],
    ['/ogc/collections/grids/items?limit=abc', 'query.limit'],
    ['/ogc/collections/grids/items?bbox=1,2,3', 'query.bbox'],
    ['/ogc/collections/grids/items?bbox=119,34,120,33', 'query.bbox'],
    ['/ogc/collections/grids/items?bbox=119,33,200,34', 'query.bbox'],
    ['/ogc/collections/grids/items?level=county', 'query.level'],
    ['/ogc/collections/grids/items?colour=red', 'query.colour'],
    ['/ogc/collections/roads/items/abc', 'params.featureId'],
    ['/ogc/collections/grids/items?f=html', 'query.f'],
  ])('answers %s with 400 naming %s', async (url, field) => {
    const { status, body } = await get(url);
    expect(status).toBe(400);
    expect(body.field).toBe(field);
    expect(typeof body.message).toBe('string');
  });
});

describe('both backends agree', () => {
  it('on feature counts per collection and the ids inside a bbox', async () => {
    const results: Record<string, unknown>[] = [];
    for (const backend of BACKENDS) {
      const db = await openTestDatabase(backend);
      const app = await buildTestApp(db);
      const headers = await authHeader(app, 'county_operator');
      try {
        const summary: Record<string, unknown> = {};
        for (const id of COLLECTION_IDS) {
          const res = await app.inject({
            method: 'GET',
            headers,
            url: `/ogc/collections/${id}/items?limit=1`,
          });
          summary[id] = (res.json() as FeatureCollection).numberMatched;
        }
        const box = await app.inject({
          method: 'GET',
          headers,
          url: '/ogc/collections/grids/items?level=unit&limit=10000&bbox=119.12,33.48,119.16,33.52',
        });
        summary.bboxIds = (box.json() as FeatureCollection).features.map((f) => f.id);
        results.push(summary);
      } finally {
        await app.close();
        await db.destroy();
      }
    }
    expect(results[1]).toEqual(results[0]);
    expect((results[0]!.bboxIds as unknown[]).length).toBeGreaterThan(0);
  });
});
