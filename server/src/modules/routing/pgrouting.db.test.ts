/**
 * Our travel times against pgRouting's `pgr_dijkstraCost` over the `roads` collection's columns
 * (source, target, cost_s, reverse_cost_s), on real PostgreSQL only: PGlite has no pgRouting. CI installs
 * postgresql-15-pgrouting; where the extension cannot be created the test is skipped, saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { RoutingEngine } from './engine.ts';
import { buildRoadGraph } from './graph.ts';
import { pgRoutingCosts, randomNodePairs } from './pgrouting.ts';
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
});
