/**
 * The road network as compact typed arrays (CSR): one entry per road edge with pgRouting's conventions
 * (`cost_s`, `reverse_cost_s`, negative = not passable that way), the edges' geometry as one flat
 * coordinate array, and two adjacency lists built from them:
 *
 * - `incoming`: for every node, the arcs that arrive at it, with their travel time. A search over it
 *   from the incident finds, in one run, how long every node takes to reach the incident (the force
 *   drives to the scene, so one-way streets count in the direction the engine drives them).
 * - `walking`: every edge in both directions weighted by length, for hose and walking distances
 *   (a hose is laid along the street whatever its direction of traffic).
 */
import { ROAD_CLASSES, type RoadClass } from '../../../../shared/src/domain.ts';
import { SegmentIndex } from './segment-index.ts';

/** What the graph is built from: one row per road edge (parallel arrays). */
export interface RoadEdges {
  /** road ids (pgRouting's edge id) */
  id: Float64Array;
  /** node ids at the edge's first and last vertex */
  source: Float64Array;
  target: Float64Array;
  costS: Float64Array;
  /** negative: one-way (not passable from target to source) */
  reverseCostS: Float64Array;
  lengthM: Float64Array;
  /** index into ROAD_CLASSES */
  roadClass: Uint8Array;
  /** road names (null when unnamed) */
  name: (string | null)[];
  /** vertices as [lon, lat, lon, lat, ...]; edge e's are vertices coordStart[e] .. coordStart[e + 1] - 1 */
  coords: Float64Array;
  coordStart: Int32Array;
}

/** A compressed adjacency list: node n's arcs are start[n] .. start[n + 1] - 1. */
export interface Adjacency {
  start: Int32Array;
  /** the arc's other node (for `incoming`: where it comes from) */
  other: Int32Array;
  /** travel time, s (incoming) or length, m (walking) */
  weight: Float64Array;
  /** the edge it runs along: e when from source to target, ~e (negative) when from target to source */
  edge: Int32Array;
}

export interface RoadGraph {
  edges: RoadEdges;
  edgeCount: number;
  nodeCount: number;
  /** database node id of each dense node index */
  nodeId: Float64Array;
  nodeIndex: Map<number, number>;
  /** dense node index of each edge's source and target */
  from: Int32Array;
  to: Int32Array;
  /** metres from an edge's first vertex to each vertex (parallel to coords / 2) */
  vertexM: Float64Array;
  incoming: Adjacency;
  /** arcs leaving each node (a force driving out: reach and coverage) */
  outgoing: Adjacency;
  walking: Adjacency;
  segments: SegmentIndex;
  builtAt: Date;
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance, m. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Metres per degree of latitude and of longitude at a latitude, on the WGS84 ellipsoid's mean values
 * (110,574 m and 111,320 m × cos φ): the local equirectangular scale the planner's rasters, the hydrant
 * grid and the scene's bounding boxes use over a county, where its error stays below 1%.
 */
export const M_PER_DEG_LAT = 110_574;
export const mPerDegLon = (lat: number): number => 111_320 * Math.cos(lat * RAD);

export const roadClassIndex = (c: RoadClass): number => ROAD_CLASSES.indexOf(c);

interface Arc {
  at: number;
  other: number;
  weight: number;
  edge: number;
}

function adjacency(nodeCount: number, arcs: Arc[]): Adjacency {
  const start = new Int32Array(nodeCount + 1);
  for (const a of arcs) start[a.at + 1]!++;
  for (let n = 0; n < nodeCount; n++) start[n + 1]! += start[n]!;
  const fill = start.slice(0, nodeCount);
  const other = new Int32Array(arcs.length);
  const weight = new Float64Array(arcs.length);
  const edge = new Int32Array(arcs.length);
  for (const a of arcs) {
    const i = fill[a.at]!++;
    other[i] = a.other;
    weight[i] = a.weight;
    edge[i] = a.edge;
  }
  return { start, other, weight, edge };
}

/** Builds the graph; linear in edges and vertices (about 0.3–0.5 s for the demo county's 63,000 edges). */
export function buildRoadGraph(edges: RoadEdges): RoadGraph {
  const edgeCount = edges.id.length;
  const nodeIndex = new Map<number, number>();
  const ids: number[] = [];
  const dense = (id: number) => {
    let n = nodeIndex.get(id);
    if (n === undefined) {
      n = ids.length;
      nodeIndex.set(id, n);
      ids.push(id);
    }
    return n;
  };
  const from = new Int32Array(edgeCount);
  const to = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    from[e] = dense(edges.source[e]!);
    to[e] = dense(edges.target[e]!);
  }
  const nodeCount = ids.length;

  const incomingArcs: Arc[] = [];
  const outgoingArcs: Arc[] = [];
  const walkingArcs: Arc[] = [];
  for (let e = 0; e < edgeCount; e++) {
    const s = from[e]!;
    const t = to[e]!;
    const cost = edges.costS[e]!;
    const reverse = edges.reverseCostS[e]!;
    if (cost >= 0) {
      incomingArcs.push({ at: t, other: s, weight: cost, edge: e });
      outgoingArcs.push({ at: s, other: t, weight: cost, edge: e });
    }
    if (reverse >= 0) {
      incomingArcs.push({ at: s, other: t, weight: reverse, edge: ~e });
      outgoingArcs.push({ at: t, other: s, weight: reverse, edge: ~e });
    }
    const len = edges.lengthM[e]!;
    walkingArcs.push({ at: s, other: t, weight: len, edge: e }, { at: t, other: s, weight: len, edge: ~e });
  }

  const vertexM = new Float64Array(edges.coords.length / 2);
  for (let e = 0; e < edgeCount; e++) {
    const first = edges.coordStart[e]!;
    const last = edges.coordStart[e + 1]! - 1;
    vertexM[first] = 0;
    for (let v = first + 1; v <= last; v++) {
      vertexM[v] =
        vertexM[v - 1]! +
        haversineM(
          edges.coords[2 * v - 2]!,
          edges.coords[2 * v - 1]!,
          edges.coords[2 * v]!,
          edges.coords[2 * v + 1]!,
        );
    }
  }

  const passable = (e: number) => edges.costS[e]! >= 0 || edges.reverseCostS[e]! >= 0;
  return {
    edges,
    edgeCount,
    nodeCount,
    nodeId: Float64Array.from(ids),
    nodeIndex,
    from,
    to,
    vertexM,
    incoming: adjacency(nodeCount, incomingArcs),
    outgoing: adjacency(nodeCount, outgoingArcs),
    walking: adjacency(nodeCount, walkingArcs),
    segments: SegmentIndex.build(edges.coords, edges.coordStart, passable),
    builtAt: new Date(),
  };
}

/** Edge e's drawn length, m (its geometry; `length_m` may differ slightly). */
const edgeLengthDrawn = (g: RoadGraph, e: number) => g.vertexM[g.edges.coordStart[e + 1]! - 1]!;

/** The point at fraction f (0 = source, 1 = target) of edge e's drawn length, as [lon, lat]. */
export function pointAlong(g: RoadGraph, e: number, f: number): [number, number] {
  const { coords, coordStart } = g.edges;
  const first = coordStart[e]!;
  const last = coordStart[e + 1]! - 1;
  const target = f * edgeLengthDrawn(g, e);
  let v = first;
  while (v < last - 1 && g.vertexM[v + 1]! < target) v++;
  const span = g.vertexM[v + 1]! - g.vertexM[v]!;
  const t = span > 0 ? Math.min(1, Math.max(0, (target - g.vertexM[v]!) / span)) : 0;
  return [
    coords[2 * v]! + t * (coords[2 * v + 2]! - coords[2 * v]!),
    coords[2 * v + 1]! + t * (coords[2 * v + 3]! - coords[2 * v + 1]!),
  ];
}

/**
 * The part of edge e between fractions fa and fb of its drawn length, in the order from fa to fb
 * (reversed when fa > fb), appended to `out` without repeating `out`'s last position.
 */
export function appendEdgePart(
  g: RoadGraph,
  e: number,
  fa: number,
  fb: number,
  out: [number, number][],
): void {
  const { coords, coordStart } = g.edges;
  const first = coordStart[e]!;
  const last = coordStart[e + 1]! - 1;
  const total = edgeLengthDrawn(g, e);
  const push = (p: [number, number]) => {
    const prev = out[out.length - 1];
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) out.push(p);
  };
  push(pointAlong(g, e, fa));
  const lo = Math.min(fa, fb) * total;
  const hi = Math.max(fa, fb) * total;
  const inner: number[] = [];
  for (let v = first; v <= last; v++) if (g.vertexM[v]! > lo && g.vertexM[v]! < hi) inner.push(v);
  if (fa > fb) inner.reverse();
  for (const v of inner) push([coords[2 * v]!, coords[2 * v + 1]!]);
  push(pointAlong(g, e, fb));
}
