/**
 * The routing engine over one built RoadGraph: snapping points to the nearest passable edge, travel
 * times from many origins (fire forces) to one incident in a single reverse search, routes as
 * coordinate lists, walking (hose) distances, and node-to-node costs (to compare with pgRouting).
 */
import { Dijkstra, type Seed } from './dijkstra.ts';
import { appendEdgePart, type RoadGraph } from './graph.ts';
import { ReachSearch } from './reach.ts';

/** A point snapped onto an edge: `fraction` of the edge's drawn length from its source (0) to its target (1). */
export interface Snap {
  edge: number;
  fraction: number;
  lon: number;
  lat: number;
  /** straight-line metres from the point to the road */
  distanceM: number;
}

export interface TravelOptions {
  /** stop once this many eligible origins have their final time */
  wanted: number;
  /** which origins count toward `wanted` (the others are timed only while the search runs anyway) */
  eligible: (origin: number) => boolean;
  /** travel-time multiplier per road class index (congestion); absent = free flow */
  classFactor?: Float64Array | null;
}

export interface TravelAnswer {
  /** seconds and road metres from each origin to the incident; Infinity when not found (unreachable or not needed) */
  timeS: Float64Array;
  metres: Float64Array;
  /** the route from origin i to the incident as [lon, lat] positions (call before the next search) */
  route(origin: number): [number, number][];
}

/** `via` values of an origin's best path that are not graph nodes. */
const SAME_EDGE = -2;
const NONE = -1;

export class RoutingEngine {
  private readonly drive: Dijkstra;
  private readonly walk: Dijkstra;
  private readonly out: Dijkstra;
  /** driving reach from one origin (reachFrom, reachRoads) */
  private readonly reach: ReachSearch;
  /** metres of each incoming arc */
  private readonly arcMetres: Float64Array;
  /** road class index of each incoming arc */
  private readonly arcClass: Uint8Array;
  private readonly arcFactorCache = new Map<string, Float64Array>();

  constructor(readonly graph: RoadGraph) {
    this.drive = new Dijkstra(graph.incoming, graph.nodeCount);
    this.walk = new Dijkstra(graph.walking, graph.nodeCount);
    this.out = new Dijkstra(graph.outgoing, graph.nodeCount);
    this.reach = new ReachSearch(graph.outgoing, graph.nodeCount);
    const arcs = graph.incoming.edge.length;
    this.arcMetres = new Float64Array(arcs);
    this.arcClass = new Uint8Array(arcs);
    for (let a = 0; a < arcs; a++) {
      const e = this.edgeOf(graph.incoming.edge[a]!);
      this.arcMetres[a] = graph.edges.lengthM[e]!;
      this.arcClass[a] = graph.edges.roadClass[e]!;
    }
  }

  private edgeOf(signed: number) {
    return signed >= 0 ? signed : ~signed;
  }

  /** The nearest passable edge within `maxM` metres, or undefined. */
  snap(lon: number, lat: number, maxM: number): Snap | undefined {
    const g = this.graph;
    const hit = g.segments.nearest(lon, lat, maxM);
    if (!hit) return undefined;
    const first = g.edges.coordStart[hit.edge]!;
    const last = g.edges.coordStart[hit.edge + 1]! - 1;
    const drawn = g.vertexM[last]! - g.vertexM[first]!;
    const along = g.vertexM[hit.vertex]! + hit.t * (g.vertexM[hit.vertex + 1]! - g.vertexM[hit.vertex]!);
    const fraction = drawn > 0 ? Math.min(1, Math.max(0, along / drawn)) : 0;
    return { edge: hit.edge, fraction, lon: hit.lon, lat: hit.lat, distanceM: hit.distanceM };
  }

  private arcFactors(classFactor: Float64Array | null | undefined): Float64Array | null {
    if (!classFactor || classFactor.every((f) => f === 1)) return null;
    const key = classFactor.join(',');
    let factors = this.arcFactorCache.get(key);
    if (!factors) {
      factors = new Float64Array(this.arcClass.length);
      for (let a = 0; a < factors.length; a++) factors[a] = classFactor[this.arcClass[a]!]!;
      if (this.arcFactorCache.size > 32) this.arcFactorCache.clear();
      this.arcFactorCache.set(key, factors);
    }
    return factors;
  }

  /** Where a force standing at `origin` joins the graph: the ends of its edge it may drive to, with the partial cost. */
  private forwardSeeds(origin: Snap, label = 0): Seed[] {
    const g = this.graph;
    const { costS, reverseCostS } = g.edges;
    const e = origin.edge;
    const f = origin.fraction;
    const seeds: Seed[] = [];
    // driving forward along its edge to the target, or backward to the source
    if (costS[e]! >= 0 || f === 1)
      seeds.push({ node: g.to[e]!, cost: (1 - f) * Math.max(0, costS[e]!), metres: 0, label });
    if (reverseCostS[e]! >= 0 || f === 0)
      seeds.push({ node: g.from[e]!, cost: f * Math.max(0, reverseCostS[e]!), metres: 0, label });
    return seeds;
  }

  /**
   * Service districts on the road graph: for every node, which origin reaches it first by driving
   * (-1: none does) and in how many seconds (one search from all origins at once).
   */
  districts(origins: Snap[]): { owner: Int32Array; costS: Float64Array } {
    const n = this.graph.nodeCount;
    this.out.run(origins.flatMap((o, i) => this.forwardSeeds(o, i)));
    const owner = new Int32Array(n);
    const costS = new Float64Array(n);
    for (let v = 0; v < n; v++) {
      owner[v] = this.out.label(v);
      costS[v] = this.out.cost(v);
    }
    return { owner, costS };
  }

  /**
   * The road nodes a force standing at `origin` reaches within `maxCostS` seconds of driving (one-way
   * streets respected; the partial edge from its snapped point counted), in the order they are reached.
   */
  reachFrom(origin: Snap, maxCostS: number): Int32Array {
    const settled = this.reach.run(this.forwardSeeds(origin), maxCostS);
    return this.reach.order.slice(0, settled);
  }

  /**
   * The road a force standing at `origin` drives within `maxCostS` seconds, as polylines: every edge it
   * can drive to the end, and the part of each further edge it gets along before time runs out
   * (partial edges counted from the reached end, in a direction the edge may be driven; its own edge
   * from the snapped point). Also the reached nodes, as `reachFrom` gives them.
   */
  reachRoads(origin: Snap, maxCostS: number): { nodes: Int32Array; lines: [number, number][][] } {
    const g = this.graph;
    const nodes = this.reachFrom(origin, maxCostS);
    const { start, other, weight, edge } = g.outgoing;
    const out = this.reach;
    const lines: [number, number][][] = [];
    const whole = new Set<number>();
    const piece = (e: number, fa: number, fb: number) => {
      const line: [number, number][] = [];
      appendEdgePart(g, e, fa, fb, line);
      if (line.length === 1) line.push(line[0]!);
      lines.push(line);
    };
    for (const u of nodes) {
      const cu = out.cost(u);
      for (let a = start[u]!; a < start[u + 1]!; a++) {
        const signed = edge[a]!;
        const e = this.edgeOf(signed);
        const w = weight[a]!;
        const forward = signed >= 0;
        if (cu + w <= maxCostS) {
          if (!whole.has(e)) {
            whole.add(e);
            piece(e, 0, 1);
          }
          continue;
        }
        if (out.settled(other[a]!) && out.cost(other[a]!) + w <= maxCostS) continue; // whole from the other end
        const share = w > 0 ? (maxCostS - cu) / w : 1;
        if (share <= 0) continue;
        piece(e, forward ? 0 : 1, forward ? share : 1 - share);
      }
    }
    // its own edge, from the snapped point as far as it drives each way
    const { costS, reverseCostS } = g.edges;
    const e = origin.edge;
    const f = origin.fraction;
    if (!whole.has(e)) {
      if (costS[e]! >= 0) {
        const reach = costS[e]! > 0 ? maxCostS / costS[e]! : 1;
        piece(e, f, Math.min(1, f + reach));
      }
      if (reverseCostS[e]! >= 0) {
        const reach = reverseCostS[e]! > 0 ? maxCostS / reverseCostS[e]! : 1;
        piece(e, f, Math.max(0, f - reach));
      }
    }
    return { nodes, lines };
  }

  /**
   * Travel times from every origin to the incident (each force drives to the scene), in one search
   * over the reversed arcs from the incident's snapped point. The partial edge at both ends is counted
   * from the snapped point; an origin on the incident's own edge may drive straight along it.
   */
  travelToIncident(incident: Snap, origins: Snap[], options: TravelOptions): TravelAnswer {
    const g = this.graph;
    const { costS, reverseCostS, lengthM, roadClass } = g.edges;
    const factorOf = (e: number) => options.classFactor?.[roadClass[e]!] ?? 1;
    const ei = incident.edge;
    const fi = incident.fraction;
    // a point at an edge's very end is at the node, whichever way the edge may be driven
    const seeds: Seed[] = [];
    if (costS[ei]! >= 0 || fi === 0)
      seeds.push({ node: g.from[ei]!, cost: fi * costS[ei]! * factorOf(ei), metres: fi * lengthM[ei]! });
    if (reverseCostS[ei]! >= 0 || fi === 1)
      seeds.push({
        node: g.to[ei]!,
        cost: (1 - fi) * reverseCostS[ei]! * factorOf(ei),
        metres: (1 - fi) * lengthM[ei]!,
      });

    const n = origins.length;
    const timeS = new Float64Array(n).fill(Infinity);
    const metres = new Float64Array(n).fill(Infinity);
    const via = new Int32Array(n).fill(NONE);
    // origins waiting at each node: the node a force reaches first from its snapped point, with the partial cost
    const waiting = new Map<number, { origin: number; cost: number; metres: number }[]>();
    const wait = (node: number, origin: number, cost: number, m: number) => {
      const list = waiting.get(node);
      const entry = { origin, cost, metres: m };
      if (list) list.push(entry);
      else waiting.set(node, [entry]);
    };
    for (let o = 0; o < n; o++) {
      const s = origins[o]!;
      const e = s.edge;
      const f = s.fraction;
      const k = factorOf(e);
      if (costS[e]! >= 0 || f === 1) wait(g.to[e]!, o, (1 - f) * costS[e]! * k, (1 - f) * lengthM[e]!);
      if (reverseCostS[e]! >= 0 || f === 0) wait(g.from[e]!, o, f * reverseCostS[e]! * k, f * lengthM[e]!);
      if (e === ei) {
        const forward = f <= fi && costS[e]! >= 0 ? (fi - f) * costS[e]! * k : Infinity;
        const backward = f >= fi && reverseCostS[e]! >= 0 ? (f - fi) * reverseCostS[e]! * k : Infinity;
        const direct = Math.min(forward, backward);
        if (direct < Infinity) {
          timeS[o] = direct;
          metres[o] = Math.abs(fi - f) * lengthM[e]!;
          via[o] = SAME_EDGE;
        }
      }
    }

    // the k-th smallest time among eligible origins: once the search passes it, nothing eligible can beat it
    let kth = Infinity;
    const recomputeKth = () => {
      const eligible: number[] = [];
      for (let o = 0; o < n; o++) if (timeS[o]! < Infinity && options.eligible(o)) eligible.push(timeS[o]!);
      if (eligible.length < options.wanted) return;
      eligible.sort((a, b) => a - b);
      kth = eligible[options.wanted - 1]!;
    };
    recomputeKth();

    const drive = this.drive;
    drive.run(seeds, {
      arcFactor: this.arcFactors(options.classFactor),
      arcMetres: this.arcMetres,
      onSettle: (node, cost) => {
        if (cost > kth) return true;
        const list = waiting.get(node);
        if (!list) return false;
        let changed = false;
        for (const w of list) {
          const t = cost + w.cost;
          if (t < timeS[w.origin]!) {
            timeS[w.origin] = t;
            metres[w.origin] = drive.metres(node) + w.metres;
            via[w.origin] = node;
            changed ||= options.eligible(w.origin);
          }
        }
        if (changed) recomputeKth();
        return false;
      },
    });

    const route = (o: number): [number, number][] => {
      const out: [number, number][] = [];
      const s = origins[o]!;
      const start = via[o]!;
      if (start === NONE) return out;
      if (start === SAME_EDGE) {
        appendEdgePart(g, ei, s.fraction, fi, out);
        return out;
      }
      appendEdgePart(g, s.edge, s.fraction, start === g.to[s.edge] ? 1 : 0, out);
      let x = start;
      for (let a = drive.via(x); a !== NONE; a = drive.via(x)) {
        const signed = g.incoming.edge[a]!;
        const e = this.edgeOf(signed);
        appendEdgePart(g, e, signed >= 0 ? 0 : 1, signed >= 0 ? 1 : 0, out);
        x = signed >= 0 ? g.to[e]! : g.from[e]!;
      }
      appendEdgePart(g, ei, x === g.from[ei] ? 0 : 1, fi, out);
      return out;
    };
    return { timeS, metres, route };
  }

  /**
   * Metres along roads (either direction: hoses and feet ignore one-way streets) from the incident's
   * snapped point to each target's snapped point, up to `maxM`; Infinity beyond.
   */
  walkingMetres(incident: Snap, targets: Snap[], maxM: number): Float64Array {
    const g = this.graph;
    const len = g.edges.lengthM;
    const ei = incident.edge;
    this.walk.run(
      [
        { node: g.from[ei]!, cost: incident.fraction * len[ei]!, metres: 0 },
        { node: g.to[ei]!, cost: (1 - incident.fraction) * len[ei]!, metres: 0 },
      ],
      { maxCost: maxM },
    );
    return Float64Array.from(targets, (t) => {
      const l = len[t.edge]!;
      const best = Math.min(
        t.fraction * l + this.walk.cost(g.from[t.edge]!),
        (1 - t.fraction) * l + this.walk.cost(g.to[t.edge]!),
        t.edge === ei ? Math.abs(t.fraction - incident.fraction) * l : Infinity,
      );
      return best <= maxM ? best : Infinity;
    });
  }

  /** Free-flow seconds from node `sourceId` to node `targetId` (database ids), as pgr_dijkstraCost gives them. */
  nodeToNodeS(sourceId: number, targetId: number): number {
    const s = this.graph.nodeIndex.get(sourceId);
    const t = this.graph.nodeIndex.get(targetId);
    if (s === undefined || t === undefined) return Infinity;
    if (s === t) return 0;
    this.drive.run([{ node: t, cost: 0, metres: 0 }], { onSettle: (node) => node === s });
    return this.drive.settled(s) ? this.drive.cost(s) : Infinity;
  }
}
