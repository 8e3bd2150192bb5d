/**
 * Turns OSM road ways into graph edges: a way is split wherever one of its nodes is shared with another
 * way (an intersection) or is its end, so every edge joins two road nodes. A closed way (a roundabout)
 * that would start and end at the same node is split once more so no edge is a loop.
 */
import type { RoadClass } from '../../shared/src/domain.ts';
import type { Direction } from './osm-tags.ts';

export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface RoadWay {
  id: number;
  nodeIds: number[];
  name: string | undefined;
  roadClass: RoadClass;
  speedKmh: number;
  direction: Direction;
  bridge: boolean;
}

export interface RoadEdge {
  wayId: number;
  /** OSM node ids along the edge, in the direction it may be driven (both ways unless `oneway`) */
  nodeIds: number[];
  name: string | undefined;
  roadClass: RoadClass;
  speedKmh: number;
  oneway: boolean;
  bridge: boolean;
}

export const inBbox = (b: Bbox, lon: number, lat: number) =>
  lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];

/** Pieces of a way made of consecutive known nodes (inside the bbox, present in the file), repeats dropped. */
function runs(way: RoadWay, known: (id: number) => boolean): number[][] {
  const out: number[][] = [];
  let run: number[] = [];
  for (const id of way.nodeIds) {
    if (!known(id)) {
      if (run.length >= 2) out.push(run);
      run = [];
    } else if (run.at(-1) !== id) run.push(id);
  }
  if (run.length >= 2) out.push(run);
  return out;
}

export function splitWays(ways: RoadWay[], known: (id: number) => boolean): RoadEdge[] {
  const pieces = ways.map((way) => ({ way, runs: runs(way, known) }));
  // a node used by two ways, twice by one way, or ending a piece is a graph node
  const uses = new Map<number, number>();
  const junction = new Set<number>();
  for (const { runs: rs } of pieces)
    for (const run of rs) {
      junction.add(run[0]!);
      junction.add(run.at(-1)!);
      for (const id of run) uses.set(id, (uses.get(id) ?? 0) + 1);
    }
  for (const [id, n] of uses) if (n > 1) junction.add(id);

  const edges: RoadEdge[] = [];
  for (const { way, runs: rs } of pieces)
    for (const run of rs) {
      let start = 0;
      for (let i = 1; i < run.length; i++) {
        if (!junction.has(run[i]!)) continue;
        const part = run.slice(start, i + 1);
        start = i;
        if (part[0] === part.at(-1)) {
          // a loop between one junction and itself: split it at its middle vertex
          if (part.length < 3) continue;
          const mid = Math.floor(part.length / 2);
          edges.push(edge(way, part.slice(0, mid + 1)), edge(way, part.slice(mid)));
        } else edges.push(edge(way, part));
      }
    }
  return edges;
}

function edge(way: RoadWay, nodeIds: number[]): RoadEdge {
  return {
    wayId: way.id,
    nodeIds: way.direction === 'backward' ? nodeIds.toReversed() : nodeIds,
    name: way.name,
    roadClass: way.roadClass,
    speedKmh: way.speedKmh,
    oneway: way.direction !== 'both',
    bridge: way.bridge,
  };
}
