/**
 * The road network a simulated grid member walks on: nodes and undirected edges with their geometry, read
 * from the OGC API like any other client would, and a walker that moves along it at a given speed.
 */
import { distance } from '@turf/turf';

export type LonLat = [number, number];

interface Edge {
  to: number;
  /** geometry from this node to `to` */
  coords: LonLat[];
  lengthM: number;
}

export interface WalkNetwork {
  nodes: Map<number, LonLat>;
  edges: Map<number, Edge[]>;
}

export interface RoadFeature {
  geometry: { type: 'LineString'; coordinates: LonLat[] };
  properties: { source: number; target: number; length_m: number; class: string };
}

/** Walkable roads (no expressways or ramps) as an undirected graph. */
export function buildWalkNetwork(roads: Iterable<RoadFeature>): WalkNetwork {
  const nodes = new Map<number, LonLat>();
  const edges = new Map<number, Edge[]>();
  const add = (from: number, e: Edge) => {
    const list = edges.get(from);
    if (list) list.push(e);
    else edges.set(from, [e]);
  };
  for (const road of roads) {
    const p = road.properties;
    if (p.class === 'expressway' || p.class === 'ramp') continue;
    const coords = road.geometry.coordinates;
    if (coords.length < 2) continue;
    nodes.set(p.source, coords[0]!);
    nodes.set(p.target, coords.at(-1)!);
    add(p.source, { to: p.target, coords, lengthM: p.length_m });
    add(p.target, { to: p.source, coords: [...coords].reverse(), lengthM: p.length_m });
  }
  return { nodes, edges };
}

export const metres = (a: LonLat, b: LonLat) => distance(a, b, { units: 'meters' });

/** Degrees clockwise from north from a to b (flat approximation; fine over metres). */
export function bearing(a: LonLat, b: LonLat): number {
  const dx = (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180);
  const dy = b[1] - a[1];
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
}

/**
 * Walks the network: at each node it picks the next edge at random, avoiding the way it came and, once
 * farther than `leash` metres from home, preferring edges that lead back (a grid member patrols their
 * own grid and sometimes strays out of it).
 */
export class Walker {
  private edge: Edge;
  private from: number;
  /** metres along the current edge */
  private along = 0;
  private segment = 0;
  private segmentStart = 0;
  position: LonLat;
  heading = 0;

  constructor(
    private readonly net: WalkNetwork,
    start: number,
    private readonly home: LonLat,
    private readonly leash: number,
    private readonly random: () => number,
  ) {
    this.from = start;
    this.edge = this.pick(start, -1);
    this.position = net.nodes.get(start)!;
  }

  private pick(node: number, cameFrom: number): Edge {
    const options = this.net.edges.get(node) ?? [];
    if (options.length === 0) throw new Error(`node ${node} has no walkable edge`);
    const forward = options.length > 1 ? options.filter((e) => e.to !== cameFrom) : options;
    const here = this.net.nodes.get(node)!;
    if (metres(here, this.home) > this.leash && this.random() < 0.85) {
      // head home: the edge whose end is nearest home
      return forward.reduce((best, e) =>
        metres(this.net.nodes.get(e.to)!, this.home) < metres(this.net.nodes.get(best.to)!, this.home)
          ? e
          : best,
      );
    }
    return forward[Math.floor(this.random() * forward.length)]!;
  }

  /** Moves `m` metres along the network. */
  advance(m: number): void {
    let left = m;
    for (let guard = 0; left > 0 && guard < 10_000; guard++) {
      const coords = this.edge.coords;
      const a = coords[this.segment]!;
      const b = coords[this.segment + 1]!;
      const segLen = Math.max(metres(a, b), 0.01);
      const remaining = segLen - (this.along - this.segmentStart);
      if (left < remaining) {
        this.along += left;
        const t = (this.along - this.segmentStart) / segLen;
        this.position = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
        this.heading = bearing(a, b);
        return;
      }
      left -= remaining;
      this.along = this.segmentStart + segLen;
      this.position = b;
      this.heading = bearing(a, b);
      if (this.segment + 2 < coords.length) {
        this.segment += 1;
        this.segmentStart = this.along;
      } else {
        const arrived = this.edge.to;
        const next = this.pick(arrived, this.from);
        this.from = arrived;
        this.edge = next;
        this.along = 0;
        this.segment = 0;
        this.segmentStart = 0;
      }
    }
  }
}

/** Mulberry32: a small seeded PRNG so a simulation can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
