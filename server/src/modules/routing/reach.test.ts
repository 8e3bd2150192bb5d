import { describe, expect, it } from 'vitest';
import { Dijkstra, type Seed } from './dijkstra.ts';
import type { Adjacency } from './graph.ts';
import { seededRandom } from './pgrouting.ts';
import { ReachSearch } from './reach.ts';

/**
 * A road-like test network: a side × side grid of nodes with arcs both ways between neighbours, some
 * one-way, some missing, weights from a hundredth of a second to a minute (and a few zero), in the
 * compressed form the searches read.
 */
function network(side: number, seed: number): Adjacency {
  const random = seededRandom(seed);
  const arcs: [number, number, number][] = [];
  const weight = () => (random() < 0.03 ? 0 : random() < 0.2 ? random() * 0.5 : 1 + random() * 59);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const n = y * side + x;
      for (const m of [x + 1 < side ? n + 1 : -1, y + 1 < side ? n + side : -1]) {
        if (m < 0 || random() < 0.1) continue;
        const oneWay = random() < 0.15;
        const w = weight();
        arcs.push([n, m, w]);
        if (!oneWay) arcs.push([m, n, random() < 0.5 ? w : weight()]);
      }
    }
  const nodes = side * side;
  const start = new Int32Array(nodes + 1);
  for (const [a] of arcs) start[a + 1]!++;
  for (let n = 0; n < nodes; n++) start[n + 1]! += start[n]!;
  const fill = start.slice(0, nodes);
  const other = new Int32Array(arcs.length);
  const w = new Float64Array(arcs.length);
  const edge = new Int32Array(arcs.length);
  arcs.forEach(([a, b, c], i) => {
    const k = fill[a]!++;
    other[k] = b;
    w[k] = c;
    edge[k] = i;
  });
  return { start, other, weight: w, edge } as Adjacency;
}

describe('the reach search (bucket queue)', () => {
  it('reaches exactly the nodes of a plain Dijkstra within the budget, at the same costs', () => {
    for (const seed of [1, 2, 3]) {
      const side = 60;
      const graph = network(side, seed);
      const reach = new ReachSearch(graph, side * side);
      const plain = new Dijkstra(graph, side * side);
      const random = seededRandom(seed + 100);
      for (let k = 0; k < 40; k++) {
        const seeds: Seed[] = [
          { node: Math.floor(random() * side * side), cost: random() * 20, metres: 0 },
          { node: Math.floor(random() * side * side), cost: random() * 3, metres: 0 },
        ];
        // budgets inside one bucket, across many, with several thousand buckets, and unbounded
        const budget = [0.4, 30, 240, 900, 20_000, Infinity][k % 6]!;
        const count = reach.run(seeds, budget);
        const settled = plain.run(
          seeds.filter((s) => s.cost <= budget),
          { maxCost: budget },
        );
        const ours = [...reach.order.slice(0, count)].sort((a, b) => a - b);
        const theirs = [...plain.order.slice(0, settled)].sort((a, b) => a - b);
        expect(ours).toEqual(theirs);
        for (const n of ours) {
          expect(reach.cost(n)).toBe(plain.cost(n));
          expect(reach.settled(n)).toBe(true);
        }
        // in the order settled: costs never go down
        const costs = [...reach.order.slice(0, count)].map((n) => reach.cost(n));
        for (let i = 1; i < costs.length; i++) expect(costs[i]!).toBeGreaterThanOrEqual(costs[i - 1]!);
      }
    }
  });

  it('answers nothing of an earlier search, and a seed beyond the budget reaches nothing', () => {
    const graph = network(10, 7);
    const reach = new ReachSearch(graph, 100);
    expect(reach.run([{ node: 0, cost: 0, metres: 0 }], Infinity)).toBeGreaterThan(0);
    expect(reach.reached(0)).toBe(true);
    expect(reach.run([{ node: 55, cost: 10, metres: 0 }], 5)).toBe(0);
    expect(reach.reached(0)).toBe(false);
    expect(reach.cost(55)).toBe(Infinity);
    expect(reach.run([{ node: 55, cost: 1, metres: 0 }], 1)).toBeGreaterThanOrEqual(1);
    expect(reach.cost(55)).toBe(1);
    expect(reach.settled(55)).toBe(true);
  });
});
