/**
 * The planner's routes on the demo county, both backends: reach beside the circles, gaps per grid and
 * their exports, service districts with 建标152-2017 verdicts, hydrant gaps.
 */
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GAP_CSV_COLUMNS,
  type CoverageDistricts,
  type CoverageGaps,
  type CoverageReach,
  type CoverageSiting,
  type CoverageWhatIf,
  type HazardCover,
  type HazardCoverList,
  type HydrantGaps,
} from '../../../../shared/src/schemas/coverage.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

describe.each(BACKENDS)('planner on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let planner: { authorization: string };

  const get = async <T>(url: string, headers = planner) => {
    const res = await app.inject({ method: 'GET', url, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000 });
    planner = await authHeader(app, 'planner');
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('gives every force its road reach beside its circle, and the county’s people within each', async () => {
    const reach = await get<CoverageReach>('/api/coverage/reach');
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM fire_station');
    expect(reach.forces).toHaveLength(rows[0]!.n);
    expect(reach.method).toEqual({ cellM: 50, trimM: 100, turnoutMin: 1 });
    const rescue = reach.forces.filter((f) => f.tier === 'rescue_station');
    expect(rescue.length).toBeGreaterThan(0);
    for (const f of rescue) {
      expect(f.driveS).toBe(240);
      expect(f.reach?.coordinates.length).toBeGreaterThan(0);
      expect(f.reachKm2).toBeGreaterThan(0);
      expect(f.overstatedKm2).toBeLessThanOrEqual(f.circleKm2);
      expect(f.stationClass).not.toBeNull();
    }
    for (const f of reach.forces.filter((x) => x.tier === 'micro_station')) expect(f.driveS).toBe(120);
    const t = reach.totals;
    expect(t.byRoad.population).toBeGreaterThan(0);
    expect(t.byRoad.population).toBeLessThanOrEqual(t.population);
    expect(t.byCircle.population).toBeLessThanOrEqual(t.population);
    const over =
      rescue.reduce((n, f) => n + f.overstatedKm2, 0) / rescue.reduce((n, f) => n + f.circleKm2, 0);
    console.log(
      `[planner ${backend}] ${reach.forces.length} forces in ${reach.computeMs} ms; people within reach: by road ` +
        `${t.byRoad.population} (${t.byRoad.sharePct}%), by circle ${t.byCircle.population} (${t.byCircle.sharePct}%) ` +
        `of ${t.population}; rescue stations' circles overstate by ${(over * 100).toFixed(1)}% of their area`,
    );
    // the tier filter keeps only those forces
    const micro = await get<CoverageReach>('/api/coverage/reach?tier=micro_station');
    expect(micro.forces.every((f) => f.tier === 'micro_station')).toBe(true);
    expect(micro.totals.byRoad.population).toBeLessThan(t.byRoad.population);
  });

  it('ranks the gaps per grid, whose figures add up to the totals, and exports them as CSV and GeoJSON', async () => {
    const gaps = await get<CoverageGaps>('/api/coverage/gaps?level=town');
    expect(gaps.level).toBe('town');
    expect(gaps.rows.length).toBeGreaterThan(1);
    const sum = (pick: (r: CoverageGaps['rows'][number]) => number) =>
      gaps.rows.reduce((n, r) => n + pick(r), 0);
    expect(sum((r) => r.population)).toBe(gaps.totals.population);
    expect(
      Math.abs(sum((r) => r.uncoveredPopulation) - (gaps.totals.population - gaps.totals.byRoad.population)),
    ).toBeLessThan(gaps.rows.length);
    for (let i = 1; i < gaps.rows.length; i++)
      expect(gaps.rows[i - 1]!.uncoveredPopulation).toBeGreaterThanOrEqual(gaps.rows[i]!.uncoveredPopulation);
    expect(gaps.uncovered.coordinates.length).toBeGreaterThan(0);
    const { rows: e } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM enterprise');
    const risk = (r: CoverageGaps['rows'][number]) =>
      r.enterprises.red + r.enterprises.orange + r.enterprises.yellow + r.enterprises.blue;
    // an enterprise counts in the unit grid its raster cell lies in: one on a grid's very edge may fall
    // in a cell of no grid (a handful of 1,436 in the demo)
    expect(sum(risk)).toBeLessThanOrEqual(e[0]!.n);
    expect(sum(risk)).toBeGreaterThan(e[0]!.n * 0.99);

    const units = await get<CoverageGaps>('/api/coverage/gaps?level=unit');
    expect(units.rows.reduce((n, r) => n + r.population, 0)).toBe(gaps.totals.population);
    expect(units.rows[0]!.uncoveredPopulation).toBeGreaterThan(0);

    const csv = await app.inject({
      method: 'GET',
      url: '/api/coverage/gaps.csv?level=town',
      headers: planner,
    });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const table = parse(csv.body, { bom: true }) as string[][];
    expect(table[0]).toEqual([...GAP_CSV_COLUMNS]);
    expect(table.slice(1).map((r) => r[0])).toEqual(gaps.rows.map((r) => r.code));
    expect(Number(table[1]![GAP_CSV_COLUMNS.indexOf('uncoveredPopulation')])).toBe(
      gaps.rows[0]!.uncoveredPopulation,
    );

    const geo = await app.inject({
      method: 'GET',
      url: '/api/coverage/gaps.geojson?level=town',
      headers: planner,
    });
    expect(geo.statusCode, geo.body).toBe(200);
    expect(geo.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = geo.json() as {
      type: string;
      features: { id: string; geometry: { coordinates: unknown[] } }[];
    };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f) => f.id)).toEqual(gaps.rows.map((r) => r.code));
    expect(fc.features[0]!.geometry.coordinates.length).toBeGreaterThan(0);
  });

  it('shows a town operator only the grids of the town', async () => {
    const town = await authHeader(app, 'town_operator');
    const mine = await get<CoverageGaps>('/api/coverage/gaps?level=village', town);
    expect(mine.scope).toHaveLength(9);
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.every((r) => r.admin.startsWith(mine.scope))).toBe(true);
    const all = await get<CoverageGaps>('/api/coverage/gaps?level=village');
    expect(mine.totals.population).toBeLessThan(all.totals.population);
  });

  it('shares the county out to the rescue stations and judges each district by 建标152-2017', async () => {
    const d = await get<CoverageDistricts>('/api/coverage/districts');
    expect(d.districts.length).toBeGreaterThan(1);
    for (const x of d.districts) {
      expect(x.tier).toBe('rescue_station');
      expect(x.verdict).not.toBeNull();
      const v = x.verdict!;
      expect(v.area.km2).toBe(x.areaKm2);
      expect(v.pass).toBe(v.area.pass && v.edge.pass);
      expect(v.reasons.length).toBe((v.area.pass ? 0 : 1) + (v.edge.pass ? 0 : 1));
      expect(x.district?.coordinates.length).toBeGreaterThan(0);
    }
    const { rows } = await db.pool.query<{ km2: number }>(
      `SELECT ST_Area(geom::geography) / 1e6 AS km2 FROM admin_area WHERE level = 'county'`,
    );
    const shared = d.districts.reduce((n, x) => n + x.areaKm2, 0) + d.unassignedKm2;
    expect(Math.abs(shared - rows[0]!.km2) / rows[0]!.km2).toBeLessThan(0.01);
    console.log(
      `[planner ${backend}] districts: ${d.districts.filter((x) => x.verdict!.pass).length} of ${d.districts.length} ` +
        `rescue stations pass 建标152-2017 (${d.districts.filter((x) => !x.verdict!.area.pass).length} too large, ` +
        `${d.districts.filter((x) => !x.verdict!.edge.pass).length} edge beyond 5 min); ${d.computeMs} ms`,
    );
  });

  it('finds the roads beyond 150 m of an in-service hydrant, and what one hydrant’s loss changes', async () => {
    const h = await get<HydrantGaps>('/api/coverage/hydrants');
    expect(h.radiusM).toBe(150);
    expect(h.spacingM).toBe(120);
    expect(h.hydrants.inService).toBeGreaterThan(0);
    expect(h.roads.km).toBeGreaterThan(0);
    expect(h.roads.uncoveredKm).toBeLessThanOrEqual(h.roads.km);
    expect(h.spacing.over).toBeGreaterThanOrEqual(h.spacing.hydrants.length);
    expect(h.without).toBeNull();
    const { rows } = await db.pool.query<{ code: string }>(
      `SELECT code FROM water_source WHERE kind = 'hydrant' AND status = 'in_service' ORDER BY code LIMIT 1`,
    );
    const w = await get<HydrantGaps>(`/api/coverage/hydrants?without=${rows[0]!.code}`);
    expect(w.without!.id).toBe(rows[0]!.code);
    expect(w.without!.newlyUncoveredKm).toBeGreaterThanOrEqual(0);
    expect(w.without!.newlyUncoveredKm).toBeLessThanOrEqual(0.3);
    console.log(
      `[planner ${backend}] hydrants: ${h.roads.uncoveredKm} of ${h.roads.km} km of road beyond 150 m ` +
        `(${h.roads.uncoveredPct}%), ${h.spacing.over} hydrants spaced over 120 m; without ${rows[0]!.code}: ` +
        `+${w.without!.newlyUncoveredKm} km; ${h.computeMs} ms`,
    );
    const missing = await app.inject({
      method: 'GET',
      url: '/api/coverage/hydrants?without=NOPE',
      headers: planner,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ field: 'query.without' });
  });

  it('sites new stations greedily, each step gaining no more than the one before', async () => {
    const post = async <T>(url: string, payload: object) => {
      const res = await app.inject({ method: 'POST', url, headers: planner, payload });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as T;
    };
    const siting = await post<CoverageSiting>('/api/coverage/siting', { tier: 'joint_station', k: 3 });
    expect(siting.candidatesTried).toBeGreaterThan(100);
    expect(siting.steps).toHaveLength(3);
    expect(siting.method).toMatch(/1 − 1\/e/);
    let last = Infinity;
    let population = siting.before.byRoad.population;
    for (const step of siting.steps) {
      expect(step.gain.population).toBeGreaterThan(0);
      expect(step.gain.population).toBeLessThanOrEqual(last + 1);
      last = step.gain.population;
      population += step.gain.population;
      expect(Math.abs(step.population - population)).toBeLessThanOrEqual(2);
      expect(step.reach.coordinates.length).toBeGreaterThan(0);
    }
    console.log(
      `[planner ${backend}] siting 3 joint stations over ${siting.candidatesTried} road nodes in ${siting.computeMs} ms: ` +
        siting.steps.map((s) => `+${s.gain.population}`).join(' ') +
        ` people → ${siting.steps.at(-1)!.sharePct}% (from ${siting.before.byRoad.sharePct}%)`,
    );

    // what-if: the rescue stations switched off lose people (one in a town centre may lose none: the
    // micro stations there reach all it does); one put back where it stands changes nothing
    const { rows } = await db.pool.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM fire_station WHERE tier = 'rescue_station' ORDER BY code`,
    );
    const r = rows.at(-1)!;
    const off = await post<CoverageWhatIf>('/api/coverage/what-if', { remove: rows.map((x) => x.code) });
    expect(off.deltaPopulation).toBeLessThan(0);
    expect(off.changed.length).toBeGreaterThan(0);
    expect(off.changed[0]!.after).toBeGreaterThan(off.changed[0]!.before);
    const back = await post<CoverageWhatIf>('/api/coverage/what-if', {
      remove: [r.code],
      add: [{ lon: r.lon, lat: r.lat, tier: 'rescue_station' }],
    });
    expect(back.deltaPopulation).toBe(0);
    expect(back.added[0]!.reach?.coordinates.length).toBeGreaterThan(0);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/coverage/what-if',
      headers: planner,
      payload: { remove: ['NOPE'] },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ field: 'body.remove.0' });
  });

  it('raises the hazards outside the road reach or far from a hydrant, and says why', async () => {
    // three reports by the grid member: in the unit grid with the most people left out, and in two others
    const member = await authHeader(app, 'grid_member');
    const { rows: spots } = await db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
         SELECT ST_PointOnSurface(geom) AS p FROM grid
          WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'grid_member')
          ORDER BY code LIMIT 3) g`,
    );
    for (const spot of spots) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/hazards',
        headers: member,
        payload: {
          category: 'fire_safety',
          description: '消防通道堵塞',
          location: { ...spot, crs: 'wgs84' },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const list = await get<HazardCoverList>('/api/coverage/hazards');
    const { rows: open } = await db.pool.query<{ id: number; near: number | null }>(
      `SELECT h.id::int AS id,
              (SELECT ST_Distance(h.geom::geography, w.geom::geography) FROM water_source w
                WHERE w.kind = 'hydrant' AND w.status = 'in_service'
                ORDER BY w.geom <-> h.geom LIMIT 1) AS near
         FROM hazard h WHERE h.state <> 'closed' ORDER BY h.id`,
    );
    expect(list.items.map((h) => h.id).sort((a, b) => a - b)).toEqual(open.map((h) => h.id));
    for (const h of list.items) {
      const near = open.find((o) => o.id === h.id)!.near;
      // the nearest in-service hydrant, as PostGIS measures it (ours: haversine, within 0.5%)
      if (near !== null && near <= 1000)
        expect(Math.abs(h.nearestHydrantM! - near) / near).toBeLessThan(0.005);
      expect(h.reasons.includes('far_from_water')).toBe(
        h.nearestHydrantM === null || h.nearestHydrantM > 150,
      );
      expect(h.reasons.includes('outside_reach')).toBe(h.outsideReach);
      expect(h.raised).toBe(h.reasons.length > 0);
    }
    // raised ones first; and the ones outside the reach are those the gap table counts
    const raised = list.items.map((h) => h.raised);
    expect(raised).toEqual([...raised].sort((a, b) => Number(b) - Number(a)));
    const gaps = await get<CoverageGaps>('/api/coverage/gaps?level=town');
    expect(list.items.filter((h) => h.outsideReach).length).toBe(
      gaps.rows.reduce((n, r) => n + r.uncoveredOpenHazards, 0),
    );
    const one = await get<HazardCover>(`/api/coverage/hazards/${list.items[0]!.id}`);
    expect(one).toEqual(list.items[0]);
    const missing = await app.inject({
      method: 'GET',
      url: '/api/coverage/hazards/999999',
      headers: planner,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ field: 'params.id' });
  });

  it('prints a Chinese report with the same figures, a map picture and the verdicts', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/coverage/report.html', headers: planner });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body;
    const gaps = await get<CoverageGaps>('/api/coverage/gaps?level=village');
    const d = await get<CoverageDistricts>('/api/coverage/districts');
    const zh = (x: number) => new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 }).format(x);
    expect(html).toContain('淮安区 5分钟消防圈覆盖评估报告');
    expect(html).toContain(zh(gaps.totals.byRoad.population));
    expect(html).toContain(`<td>${gaps.rows[0]!.name}</td>`);
    expect(html).toContain('建标152-2017');
    expect(html.match(/<td class="(pass|fail)">/g)).toHaveLength(d.districts.length);
    expect(html).toMatch(/<svg[^>]*>[\s\S]*<path d="M[\d.]+,[\d.]+L/);
    // nothing is fetched from outside the page
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('answers a bad level or tier with a 400 naming the field', async () => {
    const bad = await app.inject({ method: 'GET', url: '/api/coverage/gaps?level=street', headers: planner });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'query.level' });
    const tier = await app.inject({ method: 'GET', url: '/api/coverage/reach?tier=tank', headers: planner });
    expect(tier.statusCode).toBe(400);
    expect(tier.json().field).toMatch(/^query\.tier/);
  });
});
