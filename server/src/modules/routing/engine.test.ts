import { describe, expect, it } from 'vitest';
import { buildRoadGraph, type RoadEdges } from './graph.ts';
import { RoutingEngine, type Snap } from './engine.ts';

/** Grid units of 0.001° from (119, 33.5): about 93 m east and 111 m north. */
const U = 0.001;
const at = (x: number, y: number): [number, number] => [119 + x * U, 33.5 + y * U];

interface EdgeSpec {
  id: number;
  s: number;
  t: number;
  cost: number;
  rev: number;
  len?: number;
  cls?: number;
}

/**
 *   1 --(10/10)-- 2 --(10/one-way →)-- 3
 *                 |                    |
 *              (20/20)             (20/20)
 *                 |                    |
 *                 4 ------------------ (4 to 3 is the edge on the right)
 *   5 --(10/10)-- 6   (an island: no edge links it to the rest)
 */
const NODES: Record<number, [number, number]> = {
  1: at(0, 0),
  2: at(1, 0),
  3: at(2, 0),
  4: at(1, -1),
  5: at(0, 5),
  6: at(1, 5),
};
const EDGES: EdgeSpec[] = [
  { id: 10, s: 1, t: 2, cost: 10, rev: 10 },
  { id: 11, s: 2, t: 3, cost: 10, rev: -1 },
  { id: 12, s: 2, t: 4, cost: 20, rev: 20 },
  { id: 13, s: 4, t: 3, cost: 20, rev: 20 },
  { id: 20, s: 5, t: 6, cost: 10, rev: 10 },
];

function edgesOf(specs: EdgeSpec[]): RoadEdges {
  const coords: number[] = [];
  const coordStart = [0];
  for (const e of specs) {
    coords.push(...NODES[e.s]!, ...NODES[e.t]!);
    coordStart.push(coords.length / 2);
  }
  const f = (pick: (e: EdgeSpec) => number) => Float64Array.from(specs, pick);
  return {
    id: f((e) => e.id),
    source: f((e) => e.s),
    target: f((e) => e.t),
    costS: f((e) => e.cost),
    reverseCostS: f((e) => e.rev),
    lengthM: f((e) => e.len ?? 100),
    roadClass: Uint8Array.from(specs, (e) => e.cls ?? 4),
    name: specs.map(() => null),
    coords: Float64Array.from(coords),
    coordStart: Int32Array.from(coordStart),
  };
}

const engine = new RoutingEngine(buildRoadGraph(edgesOf(EDGES)));
const edgeIndex = (id: number) => EDGES.findIndex((e) => e.id === id);
const snapAt = (id: number, fraction: number): Snap => {
  const e = edgeIndex(id);
  const [lon, lat] = at(0, 0);
  return { edge: e, fraction, lon, lat, distanceM: 0 };
};
const all = { wanted: Infinity, eligible: () => true };

describe('routing engine', () => {
  it('respects one-way streets: the way back goes round', () => {
    // a force at node 3 (end of the one-way 11) driving to node 1 cannot use 11 backwards: 3→4→2→1
    const answer = engine.travelToIncident(snapAt(10, 0), [snapAt(11, 1)], all);
    expect(answer.timeS[0]).toBeCloseTo(50, 9);
    // the other way round the one-way street is allowed: 1→2→3
    const forward = engine.travelToIncident(snapAt(11, 1), [snapAt(10, 0)], all);
    expect(forward.timeS[0]).toBeCloseTo(20, 9);
    expect(engine.nodeToNodeS(3, 1)).toBeCloseTo(50, 9);
    expect(engine.nodeToNodeS(1, 3)).toBeCloseTo(20, 9);
  });

  it('counts the partial edges from the snapped points at both ends', () => {
    // incident half-way along 10; the force at node 3 arrives from node 2: 3→4→2 (40) + half of 10 (5)
    const answer = engine.travelToIncident(snapAt(10, 0.5), [snapAt(11, 1), snapAt(12, 0.25)], all);
    expect(answer.timeS[0]).toBeCloseTo(45, 9);
    expect(answer.metres[0]).toBeCloseTo(250, 9);
    // a force a quarter along 12 (from 2 toward 4) drives back to 2 (5) then half of 10 (5)
    expect(answer.timeS[1]).toBeCloseTo(10, 9);
    expect(answer.metres[1]).toBeCloseTo(75, 9);
  });

  it('drives straight along the shared edge when the force is on the incident edge', () => {
    const answer = engine.travelToIncident(snapAt(10, 0.8), [snapAt(10, 0.2)], all);
    expect(answer.timeS[0]).toBeCloseTo(6, 9);
    // but never against a one-way street: on 11 from 0.8 back to 0.2 it goes 3→4→2 and along 11 again
    const oneWay = engine.travelToIncident(snapAt(11, 0.2), [snapAt(11, 0.8)], all);
    expect(oneWay.timeS[0]).toBeCloseTo(2 + 20 + 20 + 2, 9);
  });

  it('times equal forces equally (ties) and stops once enough eligible forces are final', () => {
    const origins = [snapAt(12, 0), snapAt(11, 0), snapAt(13, 1), snapAt(10, 0)];
    const answer = engine.travelToIncident(snapAt(10, 1), origins, { wanted: 2, eligible: (o) => o !== 0 });
    // origins 0 and 1 both stand on node 2 (the incident): 0 s each; 3 is 10 s away, 2 is 40 s
    expect(answer.timeS[0]).toBe(0);
    expect(answer.timeS[1]).toBe(0);
    expect(answer.timeS[3]).toBeCloseTo(10, 9);
    // the search stopped before the far force was timed
    expect(answer.timeS[2]).toBe(Infinity);
  });

  it('answers Infinity for a force on an island of the network', () => {
    const answer = engine.travelToIncident(snapAt(10, 0.5), [snapAt(20, 0.5)], all);
    expect(answer.timeS[0]).toBe(Infinity);
    expect(answer.route(0)).toEqual([]);
    expect(engine.nodeToNodeS(5, 1)).toBe(Infinity);
  });

  it('applies a congestion factor per road class', () => {
    const factor = Float64Array.from([1, 1, 1, 1, 2, 1]);
    const answer = engine.travelToIncident(snapAt(10, 0.5), [snapAt(11, 1)], { ...all, classFactor: factor });
    expect(answer.timeS[0]).toBeCloseTo(90, 9);
  });

  it('snaps to the nearest edge with the distance, and finds nothing beyond the limit', () => {
    const [lon, lat] = at(0.5, 0.2);
    const snap = engine.snap(lon, lat, 500)!;
    expect(snap.edge).toBe(edgeIndex(10));
    expect(snap.fraction).toBeCloseTo(0.5, 3);
    expect(snap.distanceM).toBeGreaterThan(21);
    expect(snap.distanceM).toBeLessThan(23);
    expect(engine.snap(lon, lat, 10)).toBeUndefined();
    expect(engine.snap(120, 34, 500)).toBeUndefined();
  });

  it('draws the route from the force to the scene', () => {
    const answer = engine.travelToIncident(snapAt(10, 0.5), [snapAt(11, 1)], all);
    const route = answer.route(0);
    expect(route[0]).toEqual(NODES[3]);
    expect(route.slice(1, 3)).toEqual([NODES[4], NODES[2]]);
    expect(route[3]![0]).toBeCloseTo(119 + 0.5 * U, 9);
    expect(route).toHaveLength(4);
  });
});
