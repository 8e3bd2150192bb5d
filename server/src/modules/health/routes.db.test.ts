import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

/** The newest numbered migration in the repository. */
const LATEST_MIGRATION = Math.max(
  ...readdirSync(path.join(import.meta.dirname, '../../db/migrations')).map((f) => Number(f.split('.')[0])),
);
const POSTGIS_MAJOR_MINOR = { embedded: /^3\.6\./, postgres: /^3\./ };

describe.each(BACKENDS)('GET /api/health on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let headers: { authorization: string };
  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db);
    headers = await authHeader(app, 'county_operator');
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('reports the backend, the PostGIS version and the migration version', async () => {
    const res = await app.inject({ method: 'GET', headers, url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'ok', backend, migration: LATEST_MIGRATION, simulated: false });
    expect(body.postgis).toMatch(POSTGIS_MAJOR_MINOR[backend]);
    expect(body.postgres).toMatch(backend === 'embedded' ? /^18/ : /^15/);
  });

  it('names the district the database holds', async () => {
    const res = await app.inject({ method: 'GET', headers, url: '/api/district' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ code: '320803', name: '淮安区' });
    // 淮安区 bbox from data/reference/README.md
    expect(body.bbox[0]).toBeCloseTo(118.981991, 5);
    expect(body.bbox[3]).toBeCloseTo(33.762119, 5);
  });

  it('answers 503 degraded when the database is gone, without crashing', async () => {
    await db.close();
    const res = await app.inject({ method: 'GET', headers, url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'degraded', backend });
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await app.inject({ method: 'GET', headers, url: '/api/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'GET /api/nope not found',
      field: 'url',
    });
  });
});
