/**
 * The planner's isochrones against pgRouting (real PostgreSQL only; PGlite has no pgRouting): from
 * where each of the demo's forces meets the road, `pgr_drivingDistance` over the same columns with the
 * force's driving budget reaches exactly our reached nodes, and every one of them lies inside the
 * painted isochrone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { dispatchRepository } from '../dispatch/repo.ts';
import { RoutingEngine } from '../routing/engine.ts';
import { buildRoadGraph } from '../routing/graph.ts';
import { pgrEdgesSql } from '../routing/pgrouting.ts';
import { routingRepository } from '../routing/repo.ts';
import { buildLand } from './land.ts';
import { budgetOf, paintReach } from './plan.ts';
import { cellAt } from './raster.ts';
import { coverageRepository } from './repo.ts';

describe('isochrones agree with pgr_drivingDistance on postgres', () => {
  let db: TestDatabase;
  let unavailable: string | undefined;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    try {
      await db.pool.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
    } catch (err) {
      unavailable = `pgRouting cannot be created here (${(err as Error).message}); CI installs postgresql-15-pgrouting`;
    }
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('reaches the same nodes from every rescue station and a sample of the other forces, all inside the isochrone', async (ctx) => {
    if (unavailable) return ctx.skip(unavailable);
    const engine = new RoutingEngine(buildRoadGraph(await routingRepository.roadEdges(db.pool)));
    const g = engine.graph;
    const land = buildLand(
      (await coverageRepository.county(db.pool))!,
      await coverageRepository.grids(db.pool),
      50,
    );
    // where each node is: the first vertex of an edge it starts, the last of one it ends
    const nodeAt = new Float64Array(2 * g.nodeCount);
    const { coords, coordStart } = g.edges;
    for (let e = 0; e < g.edgeCount; e++) {
      const first = coordStart[e]!;
      const last = coordStart[e + 1]! - 1;
      nodeAt.set([coords[2 * first]!, coords[2 * first + 1]!], 2 * g.from[e]!);
      nodeAt.set([coords[2 * last]!, coords[2 * last + 1]!], 2 * g.to[e]!);
    }
    const forces = await dispatchRepository.forces(db.pool);
    const sample = [
      ...forces.filter((f) => f.tier === 'rescue_station'),
      ...forces.filter((f) => f.tier !== 'rescue_station').filter((_, i) => i % 12 === 0),
    ];
    expect(sample.length).toBeGreaterThan(15);
    let compared = 0;
    for (const f of sample) {
      const snap = engine.snap(f.lon, f.lat, 500);
      if (!snap) continue;
      // start at the nearer end of its edge (pgRouting starts from nodes), in a direction it may drive
      const atFrom = snap.fraction < 0.5;
      const node = atFrom ? g.from[snap.edge]! : g.to[snap.edge]!;
      const start = { ...snap, fraction: atFrom ? 0 : 1 };
      const budget = budgetOf(f.tier);
      const reach = paintReach(land, engine, start, budget);
      const ours = new Set([...reach.nodes].map((i) => g.nodeId[i]!));
      const { rows } = await db.pool.query<{ node: number; agg_cost: number }>(
        `SELECT node::float8 AS node, agg_cost FROM pgr_drivingDistance($1, $2::bigint, $3::float8, directed => true)`,
        [pgrEdgesSql(), g.nodeId[node]!, budget],
      );
      const theirs = new Set(rows.filter((r) => r.agg_cost < budget - 1e-6).map((r) => r.node));
      const atLimit = new Set(rows.filter((r) => r.agg_cost >= budget - 1e-6).map((r) => r.node));
      for (const n of theirs) expect(ours.has(n), `${f.code}: pgRouting reaches node ${n}`).toBe(true);
      for (const n of ours)
        expect(theirs.has(n) || atLimit.has(n), `${f.code}: we reach node ${n}, pgRouting does not`).toBe(
          true,
        );
      // every reached node is inside the painted isochrone
      const w = reach.window;
      for (const n of reach.nodes) {
        const i = cellAt(w, nodeAt[2 * n]!, nodeAt[2 * n + 1]!);
        expect(i >= 0 && w.cells[i] === 1, `${f.code}: node ${g.nodeId[n]} outside the isochrone`).toBe(true);
      }
      compared += theirs.size;
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
