import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATION_TIERS, TIER_TARGET_MIN } from '../../../shared/src/domain.ts';
import { coverageRadiusM } from '../../../shared/src/standards.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { migrate } from './migrate.ts';

describe.each(BACKENDS)('schema on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => db?.destroy());

  it('refuses to start when a migration numbered below the applied version was never applied', async () => {
    await expect(migrate(db.pool)).resolves.toBeGreaterThanOrEqual(8);
    // as if 003 had landed after 008 was applied: postgrator alone would skip it for good
    await db.pool.query(`DELETE FROM schemaversion WHERE version = 3`);
    try {
      await expect(migrate(db.pool)).rejects.toThrow(/never applied: 3 event-log/);
    } finally {
      await db.pool.query(
        `INSERT INTO schemaversion (version, name, md5, run_at) VALUES (3, 'event-log', '', now())`,
      );
    }
  });

  it('keeps the coverage rule equal to shared/src/standards.ts for every tier', async () => {
    const { rows } = await db.pool.query<{ tier: string; target: number; radius: number }>(
      'SELECT tier, target_minutes::float8 AS target, coverage_radius_m(t) AS radius FROM fire_force_tier t ORDER BY tier',
    );
    expect(rows.map((r) => r.tier).sort()).toEqual([...STATION_TIERS].sort());
    for (const row of rows) {
      const tier = row.tier as (typeof STATION_TIERS)[number];
      expect(row.target).toBe(TIER_TARGET_MIN[tier]);
      expect(row.radius).toBeCloseTo(coverageRadiusM(TIER_TARGET_MIN[tier]), 6);
    }
  });

  it.each([
    [
      'a self-intersecting (bow-tie) grid polygon',
      `INSERT INTO grid (code, name, level, admin_code, population, households, synthetic, geom)
       VALUES ('Gx', 'bad', 'town', '320803', 0, 0, true,
               ST_Multi(ST_GeomFromText('POLYGON((119 33, 119.1 33.1, 119.1 33, 119 33.1, 119 33))', 4326)))`,
      /check constraint/,
    ],
    [
      'a micro station with a rescue-station class',
      `INSERT INTO fire_station (code, name, tier, station_class, crew, vehicles, synthetic, geom)
       VALUES ('x', 'x', 'micro_station', 'class1', 3, 0, true, ST_SetSRID(ST_MakePoint(119.1, 33.5), 4326))`,
      /check constraint/,
    ],
    [
      'a water source with an unknown status',
      `INSERT INTO water_source (code, kind, flow_lps, status, synthetic, geom)
       VALUES ('x', 'hydrant', 20, 'broken', true, ST_SetSRID(ST_MakePoint(119.1, 33.5), 4326))`,
      /check constraint/,
    ],
    [
      'a road edge whose source equals its target',
      `INSERT INTO road (id, source, target, class, speed_kmh, length_m, synthetic, geom)
       SELECT 999999999, id, id, 'street', 30, 10, true, ST_MakeLine(geom, ST_Translate(geom, 0.0001, 0))
         FROM road_node LIMIT 1`,
      /check constraint/,
    ],
    [
      'a grid in a projected CRS',
      `INSERT INTO grid (code, name, level, admin_code, population, households, synthetic, geom)
       VALUES ('Gy', 'bad', 'town', '320803', 0, 0, true,
               ST_Multi(ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))', 3857)))`,
      /SRID/,
    ],
  ])('rejects %s', async (_name, sql, message) => {
    await expect(db.pool.query(sql)).rejects.toThrow(message);
  });

  it('derives pgRouting costs from length and speed, with -1 against a one-way street', async () => {
    const { rows } = await db.pool.query<{ n: number; bad: number; oneway: number }>(`
      SELECT count(*)::int AS n,
             count(*) FILTER (WHERE abs(cost_s - length_m / (speed_kmh / 3.6)) > 1e-6)::int AS bad,
             count(*) FILTER (WHERE oneway AND reverse_cost_s = -1)::int AS oneway
        FROM road`);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(50_000);
    expect(rows[0]!.bad).toBe(0);
    expect(rows[0]!.oneway).toBeGreaterThan(0);
  });

  it('stores edge end points exactly on their nodes', async () => {
    const { rows } = await db.pool.query<{ off: number }>(`
      SELECT count(*)::int AS off FROM road r
        JOIN road_node s ON s.id = r.source JOIN road_node t ON t.id = r.target
       WHERE NOT ST_Equals(ST_StartPoint(r.geom), s.geom) OR NOT ST_Equals(ST_EndPoint(r.geom), t.geom)`);
    expect(rows[0]!.off).toBe(0);
  });

  it('uses the GiST index for a bbox query on grids', async () => {
    const client = await db.pool.connect();
    let plan: string;
    try {
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT code FROM grid WHERE geom && ST_MakeEnvelope(119.1, 33.45, 119.2, 33.55, 4326)`,
      );
      plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
    expect(plan).toMatch(/grid_geom_idx/);
  });
});
