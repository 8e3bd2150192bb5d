/**
 * GDAL's OAPIF driver (what QGIS uses too) reads every collection with its feature count.
 * CI installs gdal-bin; `ogrinfo` must be on the PATH.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION_IDS } from '../../../../shared/src/schemas/features.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

const run = promisify(execFile);

describe('GDAL OAPIF driver', () => {
  let db: TestDatabase;
  /** GDAL sends the bearer token through its HTTP header option. */
  const gdal = () => ({
    env: { ...process.env, GDAL_HTTP_HEADERS: `Authorization: ${headers.authorization}` },
  });
  let app: FastifyInstance;
  let headers: { authorization: string };
  let base: string;
  beforeAll(async () => {
    db = await openTestDatabase('embedded');
    app = await buildTestApp(db);
    headers = await authHeader(app, 'county_operator');
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('lists all collections', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-q', `OAPIF:${base}/ogc`], gdal());
    for (const id of COLLECTION_IDS) expect(stdout).toMatch(new RegExp(`: ${id}\\b`));
  });

  it.each(['grids', 'stations', 'coverage-circles'])(
    'reads %s with the count the API reports',
    async (id) => {
      const api = await app.inject({ method: 'GET', headers, url: `/ogc/collections/${id}/items?limit=1` });
      const matched = (api.json() as { numberMatched: number }).numberMatched;
      const { stdout } = await run('ogrinfo', ['-ro', '-so', `OAPIF:${base}/ogc`, id], {
        ...gdal(),
        maxBuffer: 1 << 24,
      });
      expect(stdout).toMatch(new RegExp(`Feature Count: ${matched}\\b`));
    },
  );
});
