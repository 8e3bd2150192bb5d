import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HazardStats } from '../../../../shared/src/schemas/hazards.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

/**
 * The ledgers the seeds report (DOMAIN.md), loaded as hazard records, each in a year of its own:
 * Bangtou's fire-safety and road-safety modules, Zhangjiagang's platform, Yangzhou's 100-day campaign.
 */
const LEDGERS = [
  { name: 'Bangtou fire safety', year: 2019, category: 'fire_safety', found: 565, rectified: 503, rate: 89 },
  { name: 'Bangtou road safety', year: 2019, category: 'road_traffic', found: 208, rectified: 192, rate: 92 },
  {
    name: 'Zhangjiagang',
    year: 2020,
    category: 'hazardous_chemicals',
    found: 19_053,
    rectified: 18_667,
    rate: 98,
  },
  {
    name: 'Yangzhou 100 days',
    year: 2021,
    category: 'construction',
    found: 9_545,
    rectified: 6_784,
    rate: 71,
  },
] as const;

describe.each(BACKENDS)('ledger statistics on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let county: { authorization: string };

  const stats = async (query: string, who = county) => {
    const res = await app.inject({ url: `/api/hazards/stats?${query}`, headers: who });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<HazardStats>();
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db);
    county = await authHeader(app, 'county_operator');
    const { rows } = await db.pool.query<{ lon: number; lat: number; village: string; reporter: string }>(`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat, admin_code AS village,
             (SELECT id::text FROM app_user WHERE username = 'grid_member') AS reporter
        FROM (SELECT admin_code, ST_PointOnSurface(geom) AS p FROM grid
               WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
               ORDER BY code LIMIT 1) g`);
    const at = rows[0]!;
    for (const l of LEDGERS) {
      // reported through the year; rectified ones closed 72 h after the report, the rest still open past
      // their 7-day deadline
      await db.pool.query(
        `INSERT INTO hazard (category, description, state, severity, geom, location_crs, village_code, reporter_id,
                             reported_at, deadline, closed_at, responsible)
         SELECT $1, 'ledger record', CASE WHEN i <= $3 THEN 'closed' ELSE 'classified' END, 'general',
                ST_SetSRID(ST_MakePoint($4, $5), 4326), 'wgs84', $6, $7,
                r, r + interval '7 days', CASE WHEN i <= $3 THEN r + interval '72 hours' END, '责任单位'
           FROM generate_series(1, $2) i,
                LATERAL (SELECT make_timestamptz($8, 1, 1, 0, 0, 0, 'Asia/Shanghai')
                                + (i % 360) * interval '1 day' AS r) t`,
        [l.category, l.found, l.rectified, at.lon, at.lat, at.village, at.reporter, l.year],
      );
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it.each(LEDGERS)('gives back $name: $found found, $rectified rectified, $rate%', async (l) => {
    const s = await stats(
      `by=category&category=${l.category}&from=${l.year}-01-01T00:00:00%2B08:00&to=${l.year + 1}-01-01T00:00:00%2B08:00`,
    );
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]).toMatchObject({ key: l.category, found: l.found, rectified: l.rectified });
    expect(Math.round(s.rows[0]!.rate! * 100)).toBe(l.rate);
    // the rest are open and past their deadline
    expect(s.rows[0]!.overdue).toBe(l.found - l.rectified);
    expect(s.rows[0]!.closedLate).toBe(0);
    expect(s.rows[0]!.avgCloseH).toBe(72);
  });

  it('groups one year by category and by month, with totals', async () => {
    const byCategory = await stats(
      'by=category&from=2019-01-01T00:00:00%2B08:00&to=2020-01-01T00:00:00%2B08:00',
    );
    expect(byCategory.rows.map((r) => [r.key, r.found, r.rectified])).toEqual([
      ['fire_safety', 565, 503],
      ['road_traffic', 208, 192],
    ]);
    expect(byCategory.total).toMatchObject({ found: 773, rectified: 695 });
    const byMonth = await stats('by=month&from=2020-01-01T00:00:00%2B08:00&to=2021-01-01T00:00:00%2B08:00');
    expect(byMonth.rows).toHaveLength(12);
    expect(byMonth.rows[0]!.key).toBe('2020-01');
    expect(byMonth.rows.reduce((n, r) => n + r.found, 0)).toBe(19_053);
  });

  it('names towns and villages, and keeps to the caller’s area', async () => {
    const byTown = await stats('by=town');
    expect(byTown.rows).toHaveLength(1);
    expect(byTown.rows[0]!.name).toMatch(/镇|街道|乡/);
    expect(byTown.total.found).toBe(LEDGERS.reduce((n, l) => n + l.found, 0));
    // a department handler sees only its department's cases: none were escalated
    const handler = await stats('by=town', await authHeader(app, 'department_handler'));
    expect(handler.total).toMatchObject({ found: 0, rate: null });
  });

  it('refuses a period that ends before it starts, naming the field', async () => {
    const res = await app.inject({
      url: '/api/hazards/stats?from=2021-01-01T00:00:00Z&to=2020-01-01T00:00:00Z',
      headers: county,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'querystring.to' });
  });
});
