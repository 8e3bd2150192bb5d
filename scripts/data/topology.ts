/**
 * Exact shared boundaries after rounding to 6 decimals.
 *
 * Each cut of a parent polygon is a separate clipping operation, so the point where a cell boundary
 * meets the parent's edge is computed once per neighbour and, rounded to the 1e-6° grid, can land on
 * two neighbouring grid points; and a point where a new boundary meets an old edge (a T-junction) lies
 * up to ~0.07 m off that edge while the polygon on the other side does not have it. Either way the
 * neighbours leave slivers of a few m² between them. This pass
 *  1. merges vertices closer than 0.35 m into one (the one of the highest level wins: county, town,
 *     village, unit), and
 *  2. inserts every vertex lying within 0.3 m of another polygon's edge into that edge (repeated
 *     until nothing changes),
 * so neighbours, children and parents share identical vertex sequences and tile each other exactly. A
 * polygon the pass would make invalid keeps its previous shape (the caller logs how many).
 */
import type { Position } from 'geojson';
import { polygonsOf, type PolygonCoords, type Polygonal } from './geo.ts';
import { cleanPolygonal } from './partition.ts';
import { BoxGrid } from './spatial.ts';
import { validityError } from './validity.ts';

/**
 * Tolerance in micro-degrees (1e-6°), about 0.3 m. A rounded junction point is at most 0.71 µ° off the
 * true line, and so is each rounded end of the edge it must join; merged vertices (below) move ends by
 * up to MERGE_TOL more, so the bound is loose on purpose. In a tiling, a vertex that close to another
 * polygon's edge is on their shared boundary anyway.
 */
const TOL = 3.0;
/**
 * Vertices closer than this (about 0.35 m) are one point computed twice, e.g. a cut landing next to an
 * existing boundary vertex; merging them first keeps a polygon from needing the same vertex twice.
 */
const MERGE_TOL = 3.5;

const mi = (v: number): number => Math.round(v * 1e6);

interface Vertices {
  xy: [number, number][];
  keys: string[];
  owners: Set<number>[];
  index: Map<string, number>;
  grid: BoxGrid;
}

function collect(geoms: readonly Polygonal[]): Vertices {
  const xy: [number, number][] = [];
  const keys: string[] = [];
  const owners: Set<number>[] = [];
  const index = new Map<string, number>();
  geoms.forEach((g, gi) => {
    for (const p of polygonsOf(g)) {
      for (const r of p) {
        for (const c of r) {
          const x = mi(c[0]!);
          const y = mi(c[1]!);
          const key = `${x},${y}`;
          let i = index.get(key);
          if (i === undefined) {
            i = xy.length;
            index.set(key, i);
            xy.push([x, y]);
            keys.push(key);
            owners.push(new Set());
          }
          owners[i]!.add(gi);
        }
      }
    }
  });
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of xy) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const grid = new BoxGrid([minX, minY, maxX, maxY], 2000);
  xy.forEach(([x, y], i) => grid.insert(i, x, y, x, y));
  return { xy, keys, owners, index, grid };
}

const rebuild = (g: Polygonal, polys: PolygonCoords[]): Polygonal =>
  polys.length === 1 && g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polys[0]! }
    : { type: 'MultiPolygon', coordinates: polys };

/** Step 1: merge near-coincident vertices; rank[gi] orders the polygons (lower wins). */
function mergeVertices(geoms: readonly Polygonal[], rank: readonly number[]): Polygonal[] {
  const v = collect(geoms);
  const best = v.owners.map((o) => Math.min(...[...o].map((g) => rank[g]!)));
  const order = v.xy
    .map((_, i) => i)
    .sort((a, b) => best[a]! - best[b]! || v.xy[a]![0] - v.xy[b]![0] || v.xy[a]![1] - v.xy[b]![1]);
  const target = new Int32Array(v.xy.length).fill(-1);
  for (const i of order) {
    if (target[i]! >= 0) continue;
    target[i] = i;
    const [x, y] = v.xy[i]!;
    for (const j of v.grid.query(x - MERGE_TOL, y - MERGE_TOL, x + MERGE_TOL, y + MERGE_TOL)) {
      if (target[j]! >= 0 || best[j] === 0) continue; // the real boundary's vertices never move
      if (Math.hypot(v.xy[j]![0] - x, v.xy[j]![1] - y) <= MERGE_TOL) target[j] = i;
    }
  }
  return geoms.map((g) => {
    let moved = false;
    const polys = polygonsOf(g).map((p) =>
      p.map((ring) =>
        ring.map((c) => {
          const i = v.index.get(`${mi(c[0]!)},${mi(c[1]!)}`)!;
          const t = target[i]!;
          if (t === i) return c;
          moved = true;
          return [v.xy[t]![0] / 1e6, v.xy[t]![1] / 1e6];
        }),
      ),
    );
    return moved ? (cleanPolygonal(rebuild(g, polys)) ?? g) : g;
  });
}

/** Step 2, one pass: insert other polygons' vertices lying on this polygon's edges. */
function insertJunctions(geoms: readonly Polygonal[]): [Polygonal[], number] {
  const v = collect(geoms);
  let inserted = 0;
  const out = geoms.map((g, gi): Polygonal => {
    let changed = false;
    const polys: PolygonCoords[] = polygonsOf(g).map((p) =>
      p.map((ring) => {
        // best edge for each candidate vertex (a vertex goes into one edge of a ring at most)
        const bestEdge = new Map<number, [number, number, number]>(); // vertex → [edge, t, dist]
        for (let k = 0; k + 1 < ring.length; k++) {
          const ax = mi(ring[k]![0]!);
          const ay = mi(ring[k]![1]!);
          const bx = mi(ring[k + 1]![0]!);
          const by = mi(ring[k + 1]![1]!);
          const dx = bx - ax;
          const dy = by - ay;
          const len2 = dx * dx + dy * dy;
          if (len2 === 0) continue;
          const len = Math.sqrt(len2);
          for (const vi of v.grid.query(
            Math.min(ax, bx) - TOL,
            Math.min(ay, by) - TOL,
            Math.max(ax, bx) + TOL,
            Math.max(ay, by) + TOL,
          )) {
            if (v.owners[vi]!.has(gi)) continue; // only other polygons' vertices
            const [vx, vy] = v.xy[vi]!;
            const t = ((vx - ax) * dx + (vy - ay) * dy) / len2;
            if (t <= 0 || t >= 1) continue;
            const dist = Math.abs(dx * (vy - ay) - dy * (vx - ax)) / len;
            if (dist > TOL + 1e-9) continue;
            const prev = bestEdge.get(vi);
            if (!prev || dist < prev[2]) bestEdge.set(vi, [k, t, dist]);
          }
        }
        if (bestEdge.size === 0) return ring;
        const perEdge = new Map<number, [number, number][]>();
        for (const [vi, [k, t]] of bestEdge) {
          let l = perEdge.get(k);
          if (!l) perEdge.set(k, (l = []));
          l.push([t, vi]);
        }
        const res: Position[] = [];
        for (let k = 0; k + 1 < ring.length; k++) {
          res.push(ring[k]!);
          const l = perEdge.get(k);
          if (!l) continue;
          l.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
          for (const [, vi] of l) res.push([v.xy[vi]![0] / 1e6, v.xy[vi]![1] / 1e6]);
          inserted += l.length;
          changed = true;
        }
        res.push(ring[ring.length - 1]!);
        return res;
      }),
    );
    return changed ? rebuild(g, polys) : g;
  });
  return [out, inserted];
}

export interface SnapResult {
  geoms: Polygonal[];
  /** Polygons left as they were because snapping would have made them invalid. */
  kept: number;
}

/** Snap a set of polygons of several levels (rank: 0 = top level, higher = deeper) to shared boundaries. */
export function snapSharedBoundaries(geoms: readonly Polygonal[], rank: readonly number[]): SnapResult {
  let cur = mergeVertices(geoms, rank);
  for (let pass = 0; pass < 6; pass++) {
    const [next, inserted] = insertJunctions(cur);
    cur = next;
    if (inserted === 0) break;
  }
  let kept = 0;
  const out = cur.map((g, i) => {
    if (g === geoms[i] || validityError(g) === null) return g;
    kept++;
    return geoms[i]!;
  });
  return { geoms: out, kept };
}
