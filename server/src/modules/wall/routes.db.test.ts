import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../shared/src/auth.ts';
import type { CoverageLive } from '../../../../shared/src/schemas/coverage.ts';
import type { WallSummary } from '../../../../shared/src/schemas/wall.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { createWallService } from './service.ts';

/** 12:00 on 10 March 2025 in Beijing: the day began at 16:00 UTC on the 9th. */
const NOW = new Date('2025-03-10T12:00:00+08:00');

/**
 * Seven hazards made by hand around NOW (Beijing times), with what the wall must make of them:
 * today = reported since Beijing midnight, this month = since 1 March, overdue = open past the deadline.
 */
const HAZARDS = [
  // today (00:30 Beijing is still the 9th in UTC), just reported
  { category: 'fire_safety', state: 'reported', level: 'village', at: '2025-03-10T00:30', deadline: null },
  // today, past its deadline of 11:00
  {
    category: 'lpg',
    state: 'classified',
    level: 'village',
    at: '2025-03-10T08:00',
    deadline: '2025-03-10T11:00',
  },
  // this month, rectified
  {
    category: 'fire_safety',
    state: 'closed',
    level: 'village',
    at: '2025-03-02T10:00',
    deadline: '2025-03-09T10:00',
  },
  // this month, held by the town and overdue
  {
    category: 'construction',
    state: 'handling',
    level: 'town',
    at: '2025-03-03T10:00',
    deadline: '2025-03-08T10:00',
  },
  // yesterday 23:30 Beijing: this month but not today; with a department, in time
  {
    category: 'hazardous_chemicals',
    state: 'assigned',
    level: 'department',
    at: '2025-03-09T23:30',
    deadline: '2025-03-20T10:00',
  },
  // last month, still open at the county and overdue
  {
    category: 'road_traffic',
    state: 'assigned',
    level: 'county',
    at: '2025-02-20T10:00',
    deadline: '2025-02-25T10:00',
  },
  // last month and closed: not on the wall at all
  {
    category: 'road_traffic',
    state: 'closed',
    level: 'village',
    at: '2025-02-10T10:00',
    deadline: '2025-02-17T10:00',
  },
] as const;

describe.each(BACKENDS)('wall figures on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let county: { authorization: string };
  let handlerDepartment: string;

  const summary = async (who = county) => {
    const res = await app.inject({ url: '/api/wall/summary', headers: who });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<WallSummary>();
  };
  const principalOf = async (username: string): Promise<Principal> => {
    const { rows } = await db.pool.query<{
      id: string;
      role: Principal['role'];
      scope: string;
      department: string | null;
    }>('SELECT id::text, role, scope_code AS scope, department FROM app_user WHERE username = $1', [
      username,
    ]);
    const u = rows[0]!;
    return {
      userId: Number(u.id),
      username,
      role: u.role,
      scope: u.scope,
      department: u.department,
    } as Principal;
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000 });
    county = await authHeader(app, 'county_operator');
    handlerDepartment = (
      await db.pool.query<{ department: string }>(
        `SELECT department FROM app_user WHERE username = 'department_handler'`,
      )
    ).rows[0]!.department;
    const { rows } = await db.pool.query<{ lon: number; lat: number; village: string; reporter: string }>(`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat, admin_code AS village,
             (SELECT id::text FROM app_user WHERE username = 'grid_member') AS reporter
        FROM (SELECT admin_code, ST_PointOnSurface(geom) AS p FROM grid
               WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
               ORDER BY code LIMIT 1) g`);
    const place = rows[0]!;
    for (const h of HAZARDS) {
      const closed = h.state === 'closed';
      await db.pool.query(
        `INSERT INTO hazard (category, description, state, severity, geom, location_crs, village_code, reporter_id,
                             reported_at, deadline, closed_at, responsible, level, department)
         VALUES ($1, 'wall test', $2, CASE WHEN $2 = 'reported' THEN NULL ELSE 'general' END,
                 ST_SetSRID(ST_MakePoint($3, $4), 4326), 'wgs84', $5, $6,
                 ($7 || '+08:00')::timestamptz, ($8 || '+08:00')::timestamptz,
                 CASE WHEN $9 THEN ($7 || '+08:00')::timestamptz + interval '2 days' END, '责任单位', $10, $11)`,
        [
          h.category,
          h.state,
          place.lon,
          place.lat,
          place.village,
          place.reporter,
          h.at,
          h.deadline,
          closed,
          h.level,
          h.level === 'department' ? handlerDepartment : null,
        ],
      );
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('counts today, this month, open and overdue cases in Beijing time', async () => {
    const coverage = {
      live: async () => ({ population: 0, nowPopulation: 0, plannedPopulation: 0 }) as CoverageLive,
    };
    const wall = createWallService(db.pool, coverage);
    const s = await wall.summary(await principalOf('county_operator'), NOW);
    expect(s.day).toBe('2025-03-10');
    expect(s.month).toBe('2025-03');
    expect(s.today.from).toBe('2025-03-09T16:00:00.000Z');
    expect(s.thisMonth.from).toBe('2025-02-28T16:00:00.000Z');
    expect(s.today).toMatchObject({ found: 2, rectified: 0, rate: 0 });
    expect(nonZero(s.today.byCategory)).toEqual({ fire_safety: 1, lpg: 1 });
    expect(nonZero(s.today.byState)).toEqual({ reported: 1, classified: 1 });
    expect(s.thisMonth).toMatchObject({ found: 5, rectified: 1, rate: 0.2 });
    expect(nonZero(s.thisMonth.byCategory)).toEqual({
      fire_safety: 2,
      lpg: 1,
      construction: 1,
      hazardous_chemicals: 1,
    });
    expect(nonZero(s.thisMonth.byState)).toEqual({
      reported: 1,
      classified: 1,
      closed: 1,
      handling: 1,
      assigned: 1,
    });
    // every category and state is present (the bars never move), zero where none
    expect(Object.keys(s.thisMonth.byCategory)).toHaveLength(13);
    expect(s.open).toBe(5);
    expect(s.overdueByLevel).toEqual({ village: 1, town: 1, county: 1, department: 0 });
    expect(s.coverage.share).toBeNull();

    // a department handler sees its department's case only
    const handler = await wall.summary(await principalOf('department_handler'), NOW);
    expect(handler.thisMonth).toMatchObject({ found: 1, rectified: 0 });
    expect(handler.today.found).toBe(0);
    expect(handler.open).toBe(1);
  });

  it('reads the forces, the patrols and the cover now, with the event head it is consistent with', async () => {
    const before = await summary();
    const head = await db.pool.query<{ seq: string }>('SELECT seq FROM event_seq');
    expect(before.seq).toBe(Number(head.rows[0]!.seq));
    const total = (tier: keyof WallSummary['forces']) =>
      Object.values(before.forces[tier]).reduce((n, v) => n + v, 0);
    const stations = await db.pool.query<{ tier: keyof WallSummary['forces']; n: number }>(
      `SELECT tier, count(*)::int AS n FROM fire_station
        WHERE village_code LIKE (SELECT scope_code FROM app_user WHERE username = 'county_operator') || '%'
        GROUP BY tier`,
    );
    expect(stations.rows.length).toBeGreaterThan(0);
    for (const row of stations.rows) expect(total(row.tier)).toBe(row.n);
    expect(before.patrols).toEqual({ onDuty: 0, outsideGrid: 0, byTown: [] });

    // a rescue station turns busy: the wall's forces and cover follow, and the event head moves past it
    const code = (
      await db.pool.query<{ code: string }>(
        `SELECT code FROM fire_station WHERE tier = 'rescue_station' AND status = 'available' ORDER BY code LIMIT 1`,
      )
    ).rows[0]!.code;
    const busy = await app.inject({
      method: 'PATCH',
      url: `/api/stations/${code}/status`,
      headers: county,
      payload: { status: 'busy', reason: 'wall test' },
    });
    expect(busy.statusCode, busy.body).toBe(200);
    const after = await summary();
    expect(after.seq).toBeGreaterThan(before.seq);
    expect(after.forces.rescue_station.busy).toBe(before.forces.rescue_station.busy + 1);
    expect(after.forces.rescue_station.available).toBe(before.forces.rescue_station.available - 1);
    const live = (await app.inject({ url: '/api/coverage/live', headers: county })).json<CoverageLive>();
    expect(after.coverage).toEqual({
      population: live.population,
      nowPopulation: live.nowPopulation,
      plannedPopulation: live.plannedPopulation,
      share: live.nowPopulation / live.population,
    });
    expect(after.coverage.nowPopulation).toBeLessThanOrEqual(before.coverage.nowPopulation);
    expect(after.coverage.share).toBeGreaterThan(0);
    expect(after.coverage.share).toBeLessThan(1);
  });

  it('counts the members on patrol and those outside their own grid', async () => {
    const admin = await authHeader(app, 'admin');
    const member = await db.pool.query<{ id: number }>(
      `SELECT id::int FROM app_user WHERE username = 'grid_member'`,
    );
    const points = await db.pool.query<{
      inside: { coordinates: [number, number] };
      outside: { coordinates: [number, number] };
    }>(
      `SELECT ST_AsGeoJSON(ST_PointOnSurface(g.geom))::json AS inside,
              ST_AsGeoJSON(ST_PointOnSurface(o.geom))::json AS outside
         FROM grid g, grid o
        WHERE g.code = (SELECT coalesce(u.grid_code, (SELECT min(code) FROM grid WHERE level = 'unit' AND admin_code = u.scope_code))
                          FROM app_user u WHERE u.username = 'grid_member')
          AND o.level = 'unit' AND o.admin_code <> g.admin_code AND o.admin_code LIKE left(g.admin_code, 6) || '%'
        ORDER BY g.code, o.code LIMIT 1`,
    );
    const { inside, outside } = points.rows[0]!;
    const fix = async (trackerId: string, [lon, lat]: [number, number], secondsAgo: number) => {
      const at = Math.floor(Date.now() / 1000) - secondsAgo;
      const res = await app.inject({
        method: 'GET',
        url: `/osmand?id=${trackerId}&lat=${lat}&lon=${lon}&timestamp=${at}`,
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    for (const n of [1, 2]) {
      const trackerId = `wall-${backend}-${n}`;
      const res = await app.inject({
        method: 'POST',
        url: '/api/devices',
        headers: admin,
        payload: { name: `handheld ${n}`, userId: member.rows[0]!.id, trackerId },
      });
      expect(res.statusCode, res.body).toBe(201);
      // both start in the member's grid; the second walks out of it a minute later
      await fix(trackerId, inside.coordinates, 120);
      if (n === 2) await fix(trackerId, outside.coordinates, 60);
    }
    const s = await summary();
    const town = await db.pool.query<{ code: string; name: string }>(
      `SELECT a.code, a.name FROM admin_area a, patrol_session p
        WHERE p.ended_at IS NULL AND a.code = left(p.area_code, 9) LIMIT 1`,
    );
    expect(s.patrols).toEqual({
      onDuty: 2,
      outsideGrid: 1,
      byTown: [{ code: town.rows[0]!.code, name: town.rows[0]!.name, onDuty: 2, outsideGrid: 1 }],
    });
    expect(town.rows[0]!.code).toMatch(/^\d{9}$/);
  });

  it('answers only a signed-in caller, and takes no query', async () => {
    expect((await app.inject({ url: '/api/wall/summary' })).statusCode).toBe(401);
    const res = await app.inject({ url: '/api/wall/summary?at=2025-01-01', headers: county });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'query.at' });
  });
});

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
