import { describe, expect, it } from 'vitest';
import { seededRandom } from './pgrouting.ts';
import { RoutingEngine, type Snap } from './engine.ts';
import { buildRoadGraph, type RoadEdges } from './graph.ts';
import { buildForceTree, travelFromTrees, treeSearch } from './trees.ts';

/** A side × side grid of nodes about 100 m apart, random costs, a tenth of the edges one-way. */
function randomGrid(side: number, seed: number): RoutingEngine {
  const random = seededRandom(seed);
  const at = (x: number, y: number) => [119 + x * 0.001, 33.5 + y * 0.0009];
  const id = (x: number, y: number) => 1 + x + y * side;
  const coords: number[] = [];
  const coordStart = [0];
  const rows: { s: number; t: number; cost: number; rev: number }[] = [];
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      for (const [dx, dy] of [
        [1, 0],
        [0, 1],
      ] as const) {
        if (x + dx >= side || y + dy >= side) continue;
        const cost = 5 + random() * 20;
        rows.push({
          s: id(x, y),
          t: id(x + dx, y + dy),
          cost,
          rev: random() < 0.1 ? -1 : cost * (0.8 + random() * 0.4),
        });
        coords.push(...at(x, y), ...at(x + dx, y + dy));
        coordStart.push(coords.length / 2);
      }
  const f = (pick: (r: (typeof rows)[number], i: number) => number) => Float64Array.from(rows, pick);
  const edges: RoadEdges = {
    id: f((_, i) => i + 1),
    source: f((r) => r.s),
    target: f((r) => r.t),
    costS: f((r) => r.cost),
    reverseCostS: f((r) => r.rev),
    lengthM: f((r) => r.cost * 10),
    roadClass: new Uint8Array(rows.length).fill(4),
    name: rows.map(() => null),
    coords: Float64Array.from(coords),
    coordStart: Int32Array.from(coordStart),
  };
  return new RoutingEngine(buildRoadGraph(edges));
}

describe('force trees', () => {
  it('give the reverse search’s times, metres and routes for random incidents', () => {
    const engine = randomGrid(20, 7);
    const g = engine.graph;
    const random = seededRandom(11);
    const randomSnap = (): Snap => {
      const edge = Math.floor(random() * g.edgeCount);
      return { edge, fraction: random() < 0.1 ? 0 : random(), lon: 0, lat: 0, distanceM: 0 };
    };
    const forces = Array.from({ length: 15 }, randomSnap);
    const search = treeSearch(g);
    const trees = forces.map((f) => buildForceTree(g, search, f));
    const eligible = (o: number) => o % 4 !== 1;
    let compared = 0;
    for (let k = 0; k < 300; k++) {
      const incident = randomSnap();
      // one force on the incident's own edge now and then
      if (k % 10 === 0) forces[0] = { ...incident, fraction: random() };
      if (k % 10 === 0) trees[0] = buildForceTree(g, search, forces[0]!);
      const expected = engine.travelToIncident(incident, forces, { wanted: 3, eligible });
      const top = [...expected.timeS.keys()]
        .filter((o) => expected.timeS[o]! < Infinity && eligible(o))
        .sort((x, y) => expected.timeS[x]! - expected.timeS[y]!)
        .slice(0, 3);
      const expectedRoutes = top.map((o) => expected.route(o));
      const actual = travelFromTrees(engine, incident, trees, { wanted: 3, eligible });
      for (const [i, o] of top.entries()) {
        expect(actual.timeS[o]).toBeCloseTo(expected.timeS[o]!, 9);
        expect(actual.metres[o]).toBeCloseTo(expected.metres[o]!, 6);
        expect(actual.route(o)).toEqual(expectedRoutes[i]);
        compared++;
      }
      // the forces the search left unfinished are no faster than the third
      for (let o = 0; o < forces.length; o++)
        if (expected.timeS[o] === Infinity && top.length === 3)
          expect(actual.timeS[o]!).toBeGreaterThanOrEqual(expected.timeS[top[2]!]! - 1e-9);
    }
    expect(compared).toBeGreaterThan(800);
  });
});
