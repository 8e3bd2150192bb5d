/**
 * Shortest-path trees kept per fire force (issue 6): one forward search over the whole graph from where
 * a force meets the road gives its free-flow time to every node and the arc it arrives by. A dispatch
 * query is then a lookup per force at the two ends of the incident's edge (plus the partial edge), and
 * a route is read back along the tree: no search per incident.
 *
 * Memory is 12 bytes per node per force (the demo county: 54,016 nodes × 196 forces ≈ 127 MB), so the
 * trees are only built while that stays within `maxBytes`; beyond it, and with congestion factors on
 * (the trees are free flow), the dispatcher uses the reverse search instead. Both give the same times.
 */
import { Dijkstra, type Seed } from './dijkstra.ts';
import type { RoutingEngine, Snap, TravelAnswer, TravelOptions } from './engine.ts';
import { appendEdgePart, type RoadGraph } from './graph.ts';

export interface ForceTree {
  origin: Snap;
  /** seconds from the force to each node (Infinity: unreachable) */
  cost: Float64Array;
  /** the outgoing arc each node is reached by (-1 at the tree's roots or unreached) */
  via: Int32Array;
}

/** The ends of the origin's edge it may drive to, with the partial cost (as the engine's reach). */
function forwardSeeds(g: RoadGraph, origin: Snap): Seed[] {
  const { costS, reverseCostS } = g.edges;
  const e = origin.edge;
  const f = origin.fraction;
  const seeds: Seed[] = [];
  if (costS[e]! >= 0 || f === 1)
    seeds.push({ node: g.to[e]!, cost: (1 - f) * Math.max(0, costS[e]!), metres: 0 });
  if (reverseCostS[e]! >= 0 || f === 0)
    seeds.push({ node: g.from[e]!, cost: f * Math.max(0, reverseCostS[e]!), metres: 0 });
  return seeds;
}

export function buildForceTree(g: RoadGraph, search: Dijkstra, origin: Snap): ForceTree {
  search.run(forwardSeeds(g, origin));
  const cost = new Float64Array(g.nodeCount);
  const via = new Int32Array(g.nodeCount);
  for (let n = 0; n < g.nodeCount; n++) {
    cost[n] = search.cost(n);
    via[n] = search.via(n);
  }
  return { origin, cost, via };
}

/** A searcher for building trees over `g`'s outgoing arcs (kept between builds). */
export const treeSearch = (g: RoadGraph) => new Dijkstra(g.outgoing, g.nodeCount);

const edgeOf = (signed: number) => (signed >= 0 ? signed : ~signed);

/**
 * Free-flow times, road metres and routes from every force (by its tree) to the incident: the same
 * answer as `RoutingEngine.travelToIncident` without congestion. A force without a tree is unreachable.
 * Metres are worked out for the forces no slower than the `wanted`-th eligible one (the ones an answer
 * shows); the others' are left Infinity.
 */
export function travelFromTrees(
  engine: RoutingEngine,
  incident: Snap,
  trees: (ForceTree | null)[],
  options: Pick<TravelOptions, 'wanted' | 'eligible'>,
): TravelAnswer {
  const g = engine.graph;
  const { costS, reverseCostS, lengthM } = g.edges;
  const ei = incident.edge;
  const fi = incident.fraction;
  const n = trees.length;
  const timeS = new Float64Array(n).fill(Infinity);
  const metres = new Float64Array(n).fill(Infinity);
  /** the node the route arrives at the incident's edge from, or -2 (along the incident's own edge) */
  const end = new Int32Array(n).fill(-1);
  const a = g.from[ei]!;
  const b = g.to[ei]!;
  // a point at an edge's very end is at the node, whichever way the edge may be driven
  const intoFromA = costS[ei]! >= 0 || fi === 0 ? fi * Math.max(0, costS[ei]!) : Infinity;
  const intoFromB = reverseCostS[ei]! >= 0 || fi === 1 ? (1 - fi) * Math.max(0, reverseCostS[ei]!) : Infinity;
  for (let o = 0; o < n; o++) {
    const t = trees[o];
    if (!t) continue;
    const viaA = t.cost[a]! + intoFromA;
    const viaB = t.cost[b]! + intoFromB;
    if (viaA <= viaB && viaA < Infinity) {
      timeS[o] = viaA;
      end[o] = a;
    } else if (viaB < Infinity) {
      timeS[o] = viaB;
      end[o] = b;
    }
    // a force on the incident's own edge may drive straight along it
    const s = t.origin;
    if (s.edge === ei) {
      const f = s.fraction;
      const forward = f <= fi && costS[ei]! >= 0 ? (fi - f) * costS[ei]! : Infinity;
      const backward = f >= fi && reverseCostS[ei]! >= 0 ? (f - fi) * reverseCostS[ei]! : Infinity;
      const direct = Math.min(forward, backward);
      if (direct <= timeS[o]!) {
        timeS[o] = direct;
        end[o] = -2;
      }
    }
  }

  /** The arcs from the tree's root to `node`, first to last. */
  const arcsTo = (t: ForceTree, node: number): number[] => {
    const arcs: number[] = [];
    for (let x = node, arc = t.via[x]!; arc >= 0; arc = t.via[x]!) {
      arcs.push(arc);
      const signed = g.outgoing.edge[arc]!;
      const e = edgeOf(signed);
      x = signed >= 0 ? g.from[e]! : g.to[e]!;
    }
    return arcs.reverse();
  };

  const route = (o: number): [number, number][] => {
    const out: [number, number][] = [];
    const t = trees[o];
    const last = end[o]!;
    if (!t || last === -1) return out;
    const s = t.origin;
    if (last === -2) {
      appendEdgePart(g, ei, s.fraction, fi, out);
      return out;
    }
    const arcs = arcsTo(t, last);
    // from the force's point along its own edge to the root the tree starts at
    const root = arcs.length
      ? (() => {
          const signed = g.outgoing.edge[arcs[0]!]!;
          const e = edgeOf(signed);
          return signed >= 0 ? g.from[e]! : g.to[e]!;
        })()
      : last;
    appendEdgePart(g, s.edge, s.fraction, root === g.to[s.edge] ? 1 : 0, out);
    for (const arc of arcs) {
      const signed = g.outgoing.edge[arc]!;
      const e = edgeOf(signed);
      appendEdgePart(g, e, signed >= 0 ? 0 : 1, signed >= 0 ? 1 : 0, out);
    }
    appendEdgePart(g, ei, last === a ? 0 : 1, fi, out);
    return out;
  };

  // road metres of the forces an answer shows: the partial edges plus the arcs of the tree path
  const eligibleTimes: number[] = [];
  for (let o = 0; o < n; o++) if (timeS[o]! < Infinity && options.eligible(o)) eligibleTimes.push(timeS[o]!);
  eligibleTimes.sort((x, y) => x - y);
  const shown = eligibleTimes.length >= options.wanted ? eligibleTimes[options.wanted - 1]! : Infinity;
  for (let o = 0; o < n; o++) {
    const t = trees[o];
    const last = end[o]!;
    if (!t || last === -1 || timeS[o]! > shown) continue;
    const s = t.origin;
    if (last === -2) {
      metres[o] = Math.abs(fi - s.fraction) * lengthM[ei]!;
      continue;
    }
    const arcs = arcsTo(t, last);
    let m = 0;
    let root = last;
    for (const arc of arcs) {
      const signed = g.outgoing.edge[arc]!;
      const e = edgeOf(signed);
      m += lengthM[e]!;
      if (arc === arcs[0]) root = signed >= 0 ? g.from[e]! : g.to[e]!;
    }
    m += (root === g.to[s.edge] ? 1 - s.fraction : s.fraction) * lengthM[s.edge]!;
    m += (last === a ? fi : 1 - fi) * lengthM[ei]!;
    metres[o] = m;
  }
  return { timeS, metres, route };
}
