import type { FastifyInstance } from 'fastify';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

type Ring = [number, number][];

describe.each(BACKENDS)('PUT /api/grids/:code/geometry on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let unit: { code: string; square: Ring[] };
  let outsideTown: string;

  const put = async (role: string, code: string, payload: Record<string, unknown>) =>
    app.inject({
      method: 'PUT',
      url: `/api/grids/${code}/geometry`,
      headers: await authHeader(app, role),
      payload,
    });

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db);
    // a unit grid of the town operator's town, and a 60 m square well inside it
    const { rows } = await db.pool.query<{ code: string; square: { coordinates: Ring[] } }>(`
      SELECT g.code, ST_AsGeoJSON(ST_Envelope(ST_Buffer(ST_PointOnSurface(g.geom)::geography, 30)::geometry), 7)::json AS square
        FROM grid g WHERE g.level = 'unit'
         AND g.admin_code LIKE (SELECT scope_code FROM app_user WHERE username = 'town_operator') || '%'
       ORDER BY g.code LIMIT 1`);
    unit = { code: rows[0]!.code, square: rows[0]!.square.coordinates };
    outsideTown = (
      await db.pool.query<{ code: string }>(`
        SELECT code FROM grid WHERE level = 'unit'
           AND admin_code NOT LIKE (SELECT scope_code FROM app_user WHERE username = 'town_operator') || '%'
         ORDER BY code LIMIT 1`)
    ).rows[0]!.code;
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('stores a shape sent in GCJ-02 as WGS84, and audits both shapes', async () => {
    const gcj = unit.square.map((ring) =>
      ring.map((p) => gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02) as [number, number]),
    );
    const res = await put('town_operator', unit.code, {
      crs: 'gcj02',
      geometry: { type: 'Polygon', coordinates: gcj },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: unit.code, level: 'unit' });
    expect(res.json().areaKm2).toBeGreaterThan(0.002);
    const { rows } = await db.pool.query<{ off_m: number }>(
      `SELECT ST_HausdorffDistance(g.geom::geography::geometry, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) * 111000 AS off_m
         FROM grid g WHERE code = $1`,
      [unit.code, JSON.stringify({ type: 'Polygon', coordinates: unit.square })],
    );
    expect(rows[0]!.off_m).toBeLessThan(1);
    const audit = await db.pool.query(
      `SELECT actor, after->>'crs' AS crs FROM audit_log WHERE action = 'grid.geometry'`,
    );
    expect(audit.rows).toEqual([{ actor: 'town_operator', crs: 'gcj02' }]);
  });

  it.each([
    [
      'a self-intersecting ring, with PostGIS reason',
      {
        crs: 'wgs84',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [119.14, 33.5],
              [119.141, 33.501],
              [119.141, 33.5],
              [119.14, 33.501],
              [119.14, 33.5],
            ],
          ],
        },
      },
      'body.geometry',
      /Self-intersection/,
    ],
    [
      'an unclosed ring',
      {
        crs: 'wgs84',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [119.14, 33.5],
              [119.141, 33.5],
              [119.141, 33.501],
              [119.14, 33.501],
            ],
          ],
        },
      },
      'body.geometry',
      /not closed/,
    ],
    [
      'an unknown CRS',
      { crs: 'epsg3857', geometry: { type: 'Polygon', coordinates: [] } },
      'body.crs',
      /one of/,
    ],
    [
      'a latitude out of range',
      {
        crs: 'wgs84',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [119, 95],
              [119.1, 95],
              [119.1, 96],
              [119, 95],
            ],
          ],
        },
      },
      'body.geometry',
      /./,
    ],
    [
      'a shape outside its village grid',
      {
        crs: 'wgs84',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [118.0, 33.0],
              [118.01, 33.0],
              [118.01, 33.01],
              [118.0, 33.01],
              [118.0, 33.0],
            ],
          ],
        },
      },
      'body.geometry',
      /outside its village grid/,
    ],
  ])('rejects %s with 400 naming %s', async (_name, payload, field, message) => {
    const res = await put('town_operator', unit.code, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toMatch(new RegExp(`^${field.replace('.', '\\.')}`));
    expect(res.json().message).toMatch(message);
  });

  it('answers 403 to a role that does not edit grids and 404 outside the area', async () => {
    const body = { crs: 'wgs84', geometry: { type: 'Polygon', coordinates: unit.square } };
    expect((await put('planner', unit.code, body)).statusCode).toBe(403);
    expect((await put('town_operator', outsideTown, body)).statusCode).toBe(404);
    expect((await put('town_operator', 'G320803001', body)).json()).toMatchObject({
      statusCode: 400,
      field: 'params.code',
    });
  });
});
