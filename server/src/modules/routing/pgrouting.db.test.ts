/**
 * Our travel times against pgRouting's `pgr_dijkstraCost` over the `roads` collection's columns
 * (source, target, cost_s, reverse_cost_s), on real PostgreSQL only: PGlite has no pgRouting. CI installs
 * postgresql-15-pgrouting; where the extension cannot be created the test is skipped, saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { RoutingEngine } from './engine.ts';
import { buildRoadGraph } from './graph.ts';
import { pgrEdgesSql, pgRoutingCosts, randomNodePairs } from './pgrouting.ts';
import { routingRepository } from './repo.ts';

const PAIRS = 200;
const TOLERANCE = 0.005;

describe('travel times agree with pgRouting on postgres', () => {
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

  it(`agrees within ${TOLERANCE * 100}% on ${PAIRS} random node pairs, and on which are unreachable`, async (ctx) => {
    if (unavailable) return ctx.skip(unavailable);
    const engine = new RoutingEngine(buildRoadGraph(await routingRepository.roadEdges(db.pool)));
    const pairs = randomNodePairs(engine.graph, PAIRS, 20_260_101);
    const theirs = await pgRoutingCosts(db.pool, pairs);
    let compared = 0;
    for (const [s, t] of pairs) {
      const ours = engine.nodeToNodeS(s, t);
      const expected = theirs.get(`${s}:${t}`);
      if (expected === undefined) {
        expect(ours, `${s}→${t}: pgRouting finds no path`).toBe(Infinity);
        continue;
      }
      expect(
        Math.abs(ours - expected) / Math.max(expected, 1e-9),
        `${s}→${t}: ${ours} vs ${expected}`,
      ).toBeLessThanOrEqual(TOLERANCE);
      compared++;
    }
    // the demo network is connected enough that nearly every pair has a path
    expect(compared).toBeGreaterThan(PAIRS * 0.9);
  });

  it('reaches the same road nodes in 5 minutes as pgr_drivingDistance, from 20 nodes', async (ctx) => {
    if (unavailable) return ctx.skip(unavailable);
    const engine = new RoutingEngine(buildRoadGraph(await routingRepository.roadEdges(db.pool)));
    const g = engine.graph;
    const starts = randomNodePairs(g, 20, 7).map(([s]) => s);
    const limit = 300;
    let compared = 0;
    for (const start of starts) {
      const n = g.nodeIndex.get(start)!;
      // a force standing exactly at the node: the start of an edge leaving it
      const edge = [...Array(g.edgeCount).keys()].find((e) => g.from[e] === n || g.to[e] === n)!;
      const snap = { edge, fraction: g.from[edge] === n ? 0 : 1, lon: 0, lat: 0, distanceM: 0 };
      const ours = new Set([...engine.reachFrom(snap, limit)].map((i) => g.nodeId[i]!));
      const { rows } = await db.pool.query<{ node: number; agg_cost: number }>(
        `SELECT node::float8 AS node, agg_cost FROM pgr_drivingDistance($1, $2::bigint, $3::float8, directed => true)`,
        [pgrEdgesSql(), start, limit],
      );
      // nodes within a hair of the limit may fall either side of it (summation order)
      const theirs = new Set(rows.filter((r) => r.agg_cost < limit - 1e-6).map((r) => r.node));
      const edgeOfLimit = new Set(rows.filter((r) => r.agg_cost >= limit - 1e-6).map((r) => r.node));
      for (const node of theirs) expect(ours.has(node), `${start}: pgRouting reaches ${node}`).toBe(true);
      for (const node of ours)
        expect(
          theirs.has(node) || edgeOfLimit.has(node),
          `${start}: we reach ${node}, pgRouting does not`,
        ).toBe(true);
      compared += theirs.size;
    }
    expect(compared).toBeGreaterThan(100);
  });
});
