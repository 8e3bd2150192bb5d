/**
 * pgRouting as the reference for our travel times (tests and the benchmark; real PostgreSQL only).
 * `pgr_dijkstraCost` runs directed over the same columns the `roads` collection exposes.
 */
import type { Queryable } from '../../db/transaction.ts';
import { seededRandom } from '../../simulator/network.ts';
import type { RoadGraph } from './graph.ts';

export { seededRandom };

export const pgrEdgesSql = (table = 'road') =>
  `SELECT id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM ${table}`;

/** `count` pairs of distinct database node ids drawn at random from the graph. */
export function randomNodePairs(graph: RoadGraph, count: number, seed: number): [number, number][] {
  const random = seededRandom(seed);
  const pick = () => graph.nodeId[Math.floor(random() * graph.nodeCount)]!;
  const pairs: [number, number][] = [];
  while (pairs.length < count) {
    const s = pick();
    const t = pick();
    if (s !== t) pairs.push([s, t]);
  }
  return pairs;
}

/** pgRouting's cost for each pair (`source:target` → seconds); pairs without a path are absent. */
export async function pgRoutingCosts(db: Queryable, pairs: [number, number][]): Promise<Map<string, number>> {
  const values = pairs.map(([s, t]) => `(${Math.trunc(s)}::bigint, ${Math.trunc(t)}::bigint)`).join(', ');
  const { rows } = await db.query<{ s: number; t: number; cost: number }>(
    `SELECT start_vid::float8 AS s, end_vid::float8 AS t, agg_cost AS cost
       FROM pgr_dijkstraCost($1, $2, directed => true)`,
    [pgrEdgesSql(), `SELECT * FROM (VALUES ${values}) AS c(source, target)`],
  );
  return new Map(rows.map((r) => [`${r.s}:${r.t}`, r.cost]));
}
