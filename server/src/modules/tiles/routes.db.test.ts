import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import type { FastifyInstance } from 'fastify';
import { PbfReader as Pbf } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TILE_LAYERS, TILE_MEDIA_TYPE } from '../../../../shared/src/schemas/tiles.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { createOgcRepository, type OgcRepository } from '../ogc/repo.ts';
import { createTileService } from './service.ts';

/** The XYZ tile holding a point (Web Mercator, as MapLibre asks for them). */
function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}
/** A tile's bounds in degrees, grown by `grow` of its size on every side. */
function boundsOf(
  { z, x, y }: { z: number; x: number; y: number },
  grow = 0,
): [number, number, number, number] {
  const n = 2 ** z;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  return [lon(x - grow), lat(y + 1 + grow), lon(x + 1 + grow), lat(y - grow)];
}

interface Decoded {
  layers: string[];
  /** id → properties */
  features: Map<string, Record<string, unknown>>;
  extent: number;
}
function decode(body: Buffer): Decoded {
  const tile = new VectorTile(new Pbf(body));
  const layers = Object.keys(tile.layers);
  const features = new Map<string, Record<string, unknown>>();
  let extent = 0;
  for (const name of layers) {
    const layer = tile.layers[name]!;
    extent = layer.extent;
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      features.set(String(f.properties.id), f.properties);
      // every geometry decodes, inside the tile and its buffer
      for (const ring of f.loadGeometry())
        for (const p of ring) {
          expect(p.x).toBeGreaterThanOrEqual(-layer.extent);
          expect(p.x).toBeLessThanOrEqual(2 * layer.extent);
        }
    }
  }
  return { layers, features, extent };
}

/** What each backend served, compared after both ran. */
const served = new Map<string, Map<string, Decoded>>();

describe.each(BACKENDS)('vector tiles on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let county: { authorization: string };
  let tile: { z: number; x: number; y: number };
  const get = (url: string, headers: Record<string, string> = county) => app.inject({ url, headers });

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { TILES_REFRESH_MS: 0, RATE_LIMIT_PER_MIN: 100_000 });
    county = await authHeader(app, 'county_operator');
    // a zoom-13 tile in the middle of the district's roads
    const { rows } = await db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(ST_Collect(geom)) AS c FROM road) r`,
    );
    tile = tileOf(rows[0]!.lon, rows[0]!.lat, 13);
    served.set(backend, new Map());
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('serves each layer’s tile with the rows that reach it, their properties, and cache headers', async () => {
    let gzipped = 0;
    for (const layer of TILE_LAYERS) {
      const res = await get(`/tiles/${layer}/${tile.z}/${tile.x}/${tile.y}.mvt`);
      expect(res.statusCode, `${layer}: ${res.body.slice(0, 200)}`).toBe(200);
      expect(res.headers['content-type']).toBe(TILE_MEDIA_TYPE);
      expect(res.headers['cache-control']).toBe('private, max-age=300');
      expect(res.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      // gzipped for a caller that takes it (from 2 KB: smaller answers are not worth it), the same
      // bytes once unzipped, the same ETag
      const zipped = await get(`/tiles/${layer}/${tile.z}/${tile.x}/${tile.y}.mvt`, {
        ...county,
        'accept-encoding': 'gzip',
      });
      expect(zipped.headers.etag).toBe(res.headers.etag);
      const big = res.rawPayload.length >= 2048;
      expect(zipped.headers['content-encoding'], `${layer}: ${res.rawPayload.length} bytes`).toBe(
        big ? 'gzip' : undefined,
      );
      expect((big ? gunzipSync(zipped.rawPayload) : zipped.rawPayload).equals(res.rawPayload)).toBe(true);
      if (big) gzipped += 1;
      const decoded = decode(res.rawPayload);
      expect(decoded.layers).toEqual([layer]);
      expect(decoded.extent).toBe(4096);
      served.get(backend)!.set(layer, decoded);
    }
    expect(gzipped, 'tiles big enough to be gzipped').toBeGreaterThan(0);
    // roads: every road crossing the tile is in it, and none from beyond its buffer (64 of 4096 units)
    const roads = served.get(backend)!.get('roads')!;
    const inTile = async (grow: number) =>
      new Set(
        (
          await db.pool.query<{ id: string }>(
            `SELECT id::text FROM road WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))`,
            boundsOf(tile, grow),
          )
        ).rows.map((r) => r.id),
      );
    const inside = await inTile(0);
    const withBuffer = await inTile(2 * (64 / 4096));
    expect(inside.size).toBeGreaterThan(20);
    for (const id of inside) expect(roads.features.has(id), `road ${id}`).toBe(true);
    for (const id of roads.features.keys()) expect(withBuffer.has(id), `road ${id}`).toBe(true);
    // a road's properties are the OGC item's
    const [id, props] = [...roads.features.entries()][0]!;
    const item = (await get(`/ogc/collections/roads/items/${id}`)).json<{
      properties: Record<string, unknown>;
    }>();
    for (const key of ['class', 'source', 'target', 'speed_kmh', 'oneway'])
      expect(props[key], key).toEqual(item.properties[key]);
  });

  it('keeps one grid level when asked, and refuses a level on a layer without levels', async () => {
    const all = served.get(backend)!.get('grids')!;
    const unitUrl = `/tiles/grids/${tile.z}/${tile.x}/${tile.y}.mvt?level=unit`;
    const units = decode((await get(unitUrl)).rawPayload);
    expect(units.layers).toEqual(['grids']);
    const expected = [...all.features].filter(([, p]) => p.level === 'unit').map(([id]) => id);
    expect(expected.length).toBeGreaterThan(0);
    expect([...units.features.keys()].sort()).toEqual(expected.sort());
    for (const [id, props] of units.features) expect(props, id).toEqual(all.features.get(id));
    const towns = decode((await get(unitUrl.replace('unit', 'town'))).rawPayload);
    for (const props of towns.features.values()) expect(props.level).toBe('town');
    const bad = await get(`/tiles/roads/${tile.z}/${tile.x}/${tile.y}.mvt?level=unit`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ field: string }>().field).toBe('query.level');
    const unknown = await get(unitUrl.replace('unit', 'parcel'));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ field: string }>().field).toBe('query.level');
  });

  it('answers 304 to its own ETag, and an empty tile where no feature reaches', async () => {
    const url = `/tiles/grids/${tile.z}/${tile.x}/${tile.y}.mvt`;
    const first = await get(url);
    const again = await get(url, { ...county, 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // the far side of the world: an empty tile
    const empty = await get(`/tiles/grids/${tile.z}/0/0.mvt`);
    expect(empty.statusCode).toBe(200);
    expect(empty.rawPayload.length).toBe(0);
    expect(decode(empty.rawPayload).layers).toEqual([]);
  });

  it('cuts a layer again when its table changes', async () => {
    const roads = served.get(backend)!.get('roads')!;
    const [id, props] = [...roads.features.entries()].find(([, p]) => p.class !== 'village')!;
    await db.pool.query(`UPDATE road SET name = '测试改名路' WHERE id = $1`, [Number(id)]);
    const res = await get(`/tiles/roads/${tile.z}/${tile.x}/${tile.y}.mvt`);
    expect(decode(res.rawPayload).features.get(id)!.name).toBe('测试改名路');
    expect(props.name).not.toBe('测试改名路');
  });

  it('asks for a layer’s version once per refresh whatever the areas, and keeps the areas used last', async () => {
    // the real repository, counted
    const ogc = createOgcRepository(db.pool);
    const calls = { version: 0, listItems: 0 };
    const counted: Pick<OgcRepository, 'listItems' | 'version'> = {
      version: (collection) => (calls.version++, ogc.version(collection)),
      listItems: (collection, query) => (calls.listItems++, ogc.listItems(collection, query)),
    };
    const tiles = createTileService(counted, { refreshMs: 60_000, maxIndexes: 2 });
    const { rows } = await db.pool.query<{ code: string }>(
      `SELECT code FROM admin_area WHERE level = 'town' ORDER BY code LIMIT 3`,
    );
    const [a, b, c] = rows.map((r) => r.code) as [string, string, string];
    const cut = (scope: string) => tiles.tile('grids', scope, tile.z, tile.x, tile.y);
    await Promise.all([cut(a), cut(a), cut(b)]);
    expect(calls).toEqual({ version: 1, listItems: 2 });
    await cut(a); // a is now the most recently used
    await cut(c); // a third area: b, used longest ago, is dropped
    expect(calls).toEqual({ version: 1, listItems: 3 });
    await cut(a);
    expect(calls.listItems).toBe(3);
    await cut(b);
    expect(calls.listItems).toBe(4);
  });

  it('refuses a tile outside its zoom, an unknown layer and an anonymous caller, naming the field', async () => {
    const field = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      return res.json<{ field: string }>().field;
    };
    expect(await field('/tiles/roads/3/8/0.mvt')).toBe('params.x');
    expect(await field('/tiles/roads/3/0/8.mvt')).toBe('params.y');
    expect(await field('/tiles/roads/23/0/0.mvt')).toBe('params.z');
    expect(await field('/tiles/parcels/3/0/0.mvt')).toBe('params.layer');
    expect(await field('/tiles/roads/3/0/0.mvt?format=pbf')).toBe('query.format');
    expect((await app.inject({ url: '/tiles/roads/3/0/0.mvt' })).statusCode).toBe(401);
  });
});

describe('vector tiles on both backends', () => {
  it('hold the same features with the same properties', () => {
    const [a, b] = BACKENDS.map((backend) => served.get(backend)!);
    for (const layer of TILE_LAYERS) {
      const [fa, fb] = [a!.get(layer)!.features, b!.get(layer)!.features];
      expect([...fb.keys()].sort(), layer).toEqual([...fa.keys()].sort());
      for (const [id, props] of fa) expect(fb.get(id), `${layer} ${id}`).toEqual(props);
    }
  });
});
