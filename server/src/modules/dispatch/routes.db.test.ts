import type { FastifyInstance } from 'fastify';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchNearest } from '../../../../shared/src/schemas/dispatch.ts';
import { HYDRANT_PROTECTION_RADIUS_M } from '../../../../shared/src/standards.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { haversineM } from '../routing/graph.ts';

describe.each(BACKENDS)('nearest forces on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let as: Record<'dispatcher' | 'town_operator' | 'planner', { authorization: string }>;
  /** a point inside a unit grid of the town operator's town, and one outside that town */
  let home: { lon: number; lat: number };
  let away: { lon: number; lat: number };

  const nearest = (query: Record<string, string | number>, who = as.dispatcher) =>
    app.inject({
      method: 'GET',
      url: `/api/dispatch/nearest?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`,
      headers: who,
    });

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, {
      RATE_LIMIT_PER_MIN: 100_000,
      ROUTING_REFRESH_MS: 100,
      FORCES_CACHE_MS: 0,
    });
    as = {
      dispatcher: await authHeader(app, 'dispatcher'),
      town_operator: await authHeader(app, 'town_operator'),
      planner: await authHeader(app, 'planner'),
    };
    const spot = async (inTown: boolean) =>
      (
        await db.pool.query<{ lon: number; lat: number }>(
          `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
             SELECT ST_PointOnSurface(geom) AS p FROM grid
              WHERE level = 'unit' AND (admin_code LIKE (SELECT scope_code FROM app_user WHERE username = 'town_operator') || '%') = $1
              ORDER BY code LIMIT 1) g`,
          [inTown],
        )
      ).rows[0]!;
    home = await spot(true);
    away = await spot(false);
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('answers the three fastest available forces, fastest first, with routes from the station to the scene', async () => {
    const res = await nearest({ ...home });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as DispatchNearest;
    expect(body.snapped.distanceM).toBeLessThan(500);
    expect(body.stations).toHaveLength(3);
    const times = body.stations.map((s) => s.travelTimeS);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const { rows } = await db.pool.query<{ code: string; lon: number; lat: number; status: string }>(
      `SELECT code, ST_X(geom) AS lon, ST_Y(geom) AS lat, status FROM fire_station WHERE code = ANY ($1)`,
      [body.stations.map((s) => s.id)],
    );
    for (const s of body.stations) {
      const row = rows.find((r) => r.code === s.id)!;
      expect(row.status).toBe('available');
      expect(s.route.type).toBe('LineString');
      const first = s.route.coordinates[0]!;
      const last = s.route.coordinates[s.route.coordinates.length - 1]!;
      // the route starts on the road by the station and ends at the snapped incident
      expect(haversineM(first[0], first[1], row.lon, row.lat)).toBeLessThan(500);
      expect(haversineM(last[0], last[1], body.snapped.lon, body.snapped.lat)).toBeLessThan(0.5);
      expect(s.distanceM).toBeGreaterThanOrEqual(s.straightLineM - 2 * 500);
      expect(s.travelTimeS).toBeGreaterThan(0);
    }
    expect(body.skipped).toEqual([]);
    expect(body.warnings.some((w) => w.includes('not timed'))).toBe(false);
    expect(body.congestion).toBe(false);
  });

  it('skips a faster busy force and says why', async () => {
    const before = (await nearest({ ...home })).json() as DispatchNearest;
    const first = before.stations[0]!;
    const saved = Object.values(
      (
        await db.pool.query<{ lon: number; lat: number }>(
          `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM fire_station WHERE code = $1`,
          [before.stations[2]!.id],
        )
      ).rows[0]!,
    );
    await db.pool.query(`UPDATE fire_station SET status = 'busy' WHERE code = $1`, [first.id]);
    try {
      const after = (await nearest({ ...home })).json() as DispatchNearest;
      expect(after.stations.map((s) => s.id)).not.toContain(first.id);
      expect(after.stations[0]!.id).toBe(before.stations[1]!.id);
      expect(after.skipped).toEqual([
        expect.objectContaining({ id: first.id, status: 'busy', travelTimeS: first.travelTimeS }),
      ]);
      expect(after.skipped[0]!.reason).toMatch(/busy/);
      // a force moved far from every road is not timed, and the answer says so
      await db.pool.query(
        `UPDATE fire_station SET geom = ST_SetSRID(ST_MakePoint(100, 30), 4326) WHERE code = $1`,
        [before.stations[2]!.id],
      );
      const moved = (await nearest({ ...home })).json() as DispatchNearest;
      expect(moved.stations.map((s) => s.id)).not.toContain(before.stations[2]!.id);
      expect(moved.warnings).toContainEqual(
        expect.stringMatching(/^1 force\(s\) in your area lie farther than 500 m/),
      );
    } finally {
      await db.pool.query(`UPDATE fire_station SET status = 'available' WHERE code = $1`, [first.id]);
      await db.pool.query(
        `UPDATE fire_station SET geom = ST_SetSRID(ST_MakePoint($2, $3), 4326) WHERE code = $1`,
        [before.stations[2]!.id, ...saved],
      );
    }
  });

  it('keeps the forces in memory, and sees a status change made through the product at once', async () => {
    // an instance with the default force cache: the first answer reads the forces, later ones do not
    const cached = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000 });
    try {
      const headers = await authHeader(cached, 'dispatcher');
      const county = await authHeader(cached, 'county_operator');
      const ask = async () => {
        const res = await cached.inject({
          method: 'GET',
          url: `/api/dispatch/nearest?lon=${home.lon}&lat=${home.lat}`,
          headers,
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as DispatchNearest;
      };
      const before = await ask();
      const first = before.stations[0]!.id;
      const patch = await cached.inject({
        method: 'PATCH',
        url: `/api/stations/${first}/status`,
        headers: county,
        payload: { status: 'out_of_service', reason: 'pump repair' },
      });
      expect(patch.statusCode, patch.body).toBe(200);
      try {
        const after = await ask();
        expect(after.stations.map((s) => s.id)).not.toContain(first);
        expect(after.skipped).toEqual([
          expect.objectContaining({ id: first, status: 'out_of_service', reason: 'out of service' }),
        ]);
      } finally {
        const back = await cached.inject({
          method: 'PATCH',
          url: `/api/stations/${first}/status`,
          headers: county,
          payload: { status: 'available', reason: 'repaired' },
        });
        expect(back.statusCode, back.body).toBe(200);
      }
      expect((await ask()).stations[0]!.id).toBe(first);
    } finally {
      await cached.close();
    }
  });

  it('answers the same from the forces’ shortest-path trees as from the search per incident', async () => {
    const limits = { RATE_LIMIT_PER_MIN: 100_000, LOGIN_RATE_LIMIT_PER_MIN: 100 };
    const searching = await buildTestApp(db, { ...limits, DISPATCH_TREES_MB: 0 });
    const withTrees = await buildTestApp(db, limits);
    try {
      const { rows } = await db.pool.query<{ lon: number; lat: number }>(
        `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
           SELECT ST_LineInterpolatePoint(geom, 0.3) AS p FROM road ORDER BY id LIMIT 2000) r
          ORDER BY lon LIMIT 1000`,
      );
      const points = rows.filter((_, i) => i % 50 === 0);
      const headers = new Map([
        [searching, await authHeader(searching, 'dispatcher')],
        [withTrees, await authHeader(withTrees, 'dispatcher')],
      ]);
      const ask = async (app: FastifyInstance, p: { lon: number; lat: number }) => {
        const res = await app.inject({
          method: 'GET',
          url: `/api/dispatch/nearest?lon=${p.lon}&lat=${p.lat}&limit=4`,
          headers: headers.get(app)!,
        });
        expect(res.statusCode, res.body).toBe(200);
        const { stations, skipped } = res.json() as DispatchNearest;
        return { stations, skipped };
      };
      // the answers' sources, from the computation histogram (it counts them by name)
      const admin = await authHeader(withTrees, 'admin');
      const counts = async () => {
        const metrics = await withTrees.inject({ method: 'GET', url: '/metrics', headers: admin });
        const count = (name: string) =>
          Number(
            metrics.body.match(
              new RegExp(`gridwatch_computation_duration_seconds_count\\{name="${name}"\\} (\\d+)`),
            )?.[1] ?? 0,
          );
        return { trees: count('dispatch_trees'), search: count('dispatch_search') };
      };
      // the first answer starts building the trees in the background: ask until one comes from them
      // (how long the build takes is the benchmark's business, not this test's)
      const deadline = Date.now() + 90_000;
      for (;;) {
        await ask(withTrees, points[0]!);
        if ((await counts()).trees > 0) break;
        expect(Date.now(), 'the trees were not built within 90 s').toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 500));
      }
      const before = await counts();
      for (const p of points) expect(await ask(withTrees, p)).toEqual(await ask(searching, p));
      // and every one of these answers came from the trees
      expect(await counts()).toEqual({ trees: before.trees + points.length, search: before.search });
    } finally {
      await searching.close();
      await withTrees.close();
    }
  });

  it('filters by tier and honours limit', async () => {
    const res = await nearest({ ...home, limit: 5, tier: 'micro_station' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as DispatchNearest;
    expect(body.stations.length).toBeGreaterThan(0);
    expect(body.stations.length).toBeLessThanOrEqual(5);
    for (const s of body.stations) expect(s.tier).toBe('micro_station');
  });

  it('takes GCJ-02 and BD-09 coordinates and converts them to WGS84', async () => {
    const wgs = (await nearest({ ...home })).json() as DispatchNearest;
    for (const crs of ['gcj02', 'bd09'] as const) {
      const [lon, lat] = gcoord.transform(
        [home.lon, home.lat],
        gcoord.WGS84,
        crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09,
      );
      const body = (await nearest({ lon, lat, crs })).json() as DispatchNearest;
      expect(body.snapped.roadId).toBe(wgs.snapped.roadId);
      expect(Math.abs(body.snapped.distanceM - wgs.snapped.distanceM)).toBeLessThan(1);
      expect(body.stations.map((s) => s.id)).toEqual(wgs.stations.map((s) => s.id));
    }
  });

  it('lists in-service hydrants within 150 m and warns when none is in service', async () => {
    const { rows } = await db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM water_source
        WHERE kind = 'hydrant' AND status = 'in_service'
          AND village_code LIKE (SELECT scope_code FROM app_user WHERE username = 'town_operator') || '%'
        ORDER BY code LIMIT 1`,
    );
    const at = rows[0]!;
    const body = (await nearest({ ...at })).json() as DispatchNearest;
    const hydrants = body.waterSources.filter((w) => w.kind === 'hydrant');
    expect(hydrants.length).toBeGreaterThan(0);
    for (const h of hydrants) {
      expect(h.status).toBe('in_service');
      expect(h.straightLineM).toBeLessThanOrEqual(HYDRANT_PROTECTION_RADIUS_M);
      expect(h.hoseDistanceM).not.toBeNull();
      expect(h.hoseDistanceM!).toBeGreaterThanOrEqual(h.straightLineM - 1);
    }
    const open = body.waterSources.filter((w) => w.kind !== 'hydrant');
    expect(open).toHaveLength(1);
    expect(['fire_pool', 'natural_intake']).toContain(open[0]!.kind);
    expect(body.warnings.some((w) => w.includes('no hydrant'))).toBe(false);

    const ids = hydrants.map((h) => h.id);
    await db.pool.query(`UPDATE water_source SET status = 'under_repair' WHERE code = ANY ($1)`, [ids]);
    try {
      const dry = (await nearest({ ...at })).json() as DispatchNearest;
      expect(dry.waterSources.filter((w) => w.kind === 'hydrant')).toEqual([]);
      expect(dry.warnings.find((w) => w.includes('no hydrant in service within 150 m'))).toMatch(
        /out of service/,
      );
    } finally {
      await db.pool.query(`UPDATE water_source SET status = 'in_service' WHERE code = ANY ($1)`, [ids]);
    }
  });

  it('says what is at the scene: the enterprise there with its board (check overdue) and open hazards nearby', async () => {
    // a hazard reported by the village officer in their village, and the enterprise nearest to it
    const officer = await authHeader(app, 'village_officer');
    const spot = (
      await db.pool.query<{ lon: number; lat: number }>(
        `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
           SELECT ST_PointOnSurface(geom) AS p FROM grid
            WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
            ORDER BY code LIMIT 1) g`,
      )
    ).rows[0]!;
    const reported = await app.inject({
      method: 'POST',
      url: '/api/hazards',
      headers: officer,
      payload: { category: 'lpg', description: '液化气瓶露天存放', location: { ...spot, crs: 'wgs84' } },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const hazardId = (reported.json() as { id: number }).id;
    // move the nearest enterprise onto the spot and give it a board last checked 200 days ago
    const { rows } = await db.pool.query<{ code: string }>(
      `SELECT code FROM enterprise ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 1`,
      [spot.lon, spot.lat],
    );
    const code = rows[0]!.code;
    await db.pool.query(
      `UPDATE enterprise SET geom = ST_SetSRID(ST_MakePoint($2, $3 + 0.0002), 4326) WHERE code = $1`,
      [code, spot.lon, spot.lat],
    );
    await db.pool.query(
      `INSERT INTO responsibility_board (enterprise_code, first_responsible, first_responsible_phone, actual_controller,
         safety_manager, safety_manager_phone, town_supervisor, village_supervisor, supervisor_phone, posted_at, checked_at)
       VALUES ($1, '张三', '13800000000', '李四', '王五', '13900000000', '赵六', '钱七', '13700000000',
               now() - interval '200 days', now() - interval '200 days')
       ON CONFLICT (enterprise_code) DO UPDATE SET checked_at = now() - interval '200 days', posted_at = now() - interval '200 days'`,
      [code],
    );
    const res = await nearest({ ...spot });
    expect(res.statusCode, res.body).toBe(200);
    const { scene } = res.json() as DispatchNearest;
    expect(scene.enterprise).toMatchObject({ code, board: { safetyManager: '王五', overdue: true } });
    expect(scene.enterprise!.distanceM).toBeGreaterThan(15);
    expect(scene.enterprise!.distanceM).toBeLessThan(30);
    const mine = scene.openHazards.find((h) => h.id === hazardId);
    expect(mine).toMatchObject({ category: 'lpg', state: 'reported' });
    expect(mine!.distanceM).toBeLessThan(1);
    // the oracle: every open hazard within 500 m, nearest first
    const oracle = await db.pool.query<{ id: string }>(
      `SELECT id FROM hazard WHERE state <> 'closed'
          AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, 500)
        ORDER BY ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography), id LIMIT 20`,
      [spot.lon, spot.lat],
    );
    expect(scene.openHazards.map((h) => h.id)).toEqual(oracle.rows.map((r) => Number(r.id)));
  });

  it('answers 422 naming lon for a point off the road network, and 404 outside the caller area', async () => {
    const off = await nearest({ lon: 100, lat: 30 });
    expect(off.statusCode).toBe(422);
    expect(off.json()).toMatchObject({ field: 'query.lon', message: expect.stringContaining('500 m') });
    const outside = await nearest({ ...away }, as.town_operator);
    expect(outside.statusCode, outside.body).toBe(404);
    expect(outside.json()).toMatchObject({ field: 'query.lon' });
    expect((await nearest({ ...home }, as.town_operator)).statusCode).toBe(200);
    expect((await nearest({ ...home }, as.planner)).statusCode).toBe(403);
    const bad = await nearest({ ...home, limit: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'query.limit' });
  });

  it('sees a road change without a restart (the graph is rebuilt)', async () => {
    const before = (await nearest({ ...home })).json() as DispatchNearest;
    const road = before.snapped.roadId;
    const saved = await db.pool.query(`SELECT * FROM road WHERE id = $1`, [road]);
    await db.pool.query(`DELETE FROM road WHERE id = $1`, [road]);
    try {
      let snapped = road;
      for (let i = 0; i < 100 && snapped === road; i++) {
        await new Promise((r) => setTimeout(r, 100));
        snapped = ((await nearest({ ...home })).json() as DispatchNearest).snapped.roadId;
      }
      expect(snapped).not.toBe(road);
    } finally {
      const r = saved.rows[0] as Record<string, unknown>;
      await db.pool.query(
        `INSERT INTO road (id, source, target, class, name, speed_kmh, length_m, oneway, bridge, synthetic, geom)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          r.id,
          r.source,
          r.target,
          r.class,
          r.name,
          r.speed_kmh,
          r.length_m,
          r.oneway,
          r.bridge,
          r.synthetic,
          r.geom,
        ],
      );
    }
  });
});
