/** Our server's API over real HTTP, as the browser tests drive it beside the page. */
import { expect } from 'vitest';
import { TEST_PASSWORD } from './paths.ts';

/** Signs in as the test account `username` and returns the bearer header. */
export async function signInOverHttp(
  serverUrl: string,
  username: string,
): Promise<{ authorization: string }> {
  const response = await fetch(new URL('/api/auth/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  expect(response.status, `sign-in as ${username}`).toBe(200);
  return { authorization: `Bearer ${((await response.json()) as { token: string }).token}` };
}

/** A point inside the village officer's first unit grid (where they may report), with its grid, village and town. */
export async function villageOfficerSpot(
  pool: Pick<import('pg').Pool, 'query'>,
): Promise<{ lon: number; lat: number; grid: string; village: string; town: string }> {
  const { rows } = await pool.query<{
    lon: number;
    lat: number;
    grid: string;
    village: string;
    town: string;
  }>(`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat, code AS grid, admin_code AS village, left(admin_code, 9) AS town
      FROM (SELECT code, admin_code, ST_PointOnSurface(geom) AS p FROM grid
             WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
             ORDER BY code LIMIT 1) g`);
  return rows[0]!;
}

/** The village officer reports a hazard at `spot` over HTTP; its id. */
export async function reportHazardOverHttp(
  serverUrl: string,
  spot: { lon: number; lat: number },
  category: string,
  description: string,
): Promise<number> {
  const officer = await signInOverHttp(serverUrl, 'village_officer');
  const response = await fetch(new URL('/api/hazards', serverUrl), {
    method: 'POST',
    headers: { ...officer, 'content-type': 'application/json' },
    body: JSON.stringify({ category, description, location: { lon: spot.lon, lat: spot.lat, crs: 'wgs84' } }),
  });
  expect(response.status, `report ${category}`).toBe(201);
  return ((await response.json()) as { id: number }).id;
}
