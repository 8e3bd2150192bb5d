/**
 * OGC simple-features validity for the generated polygons (the rules PostGIS ST_IsValid applies that
 * matter here), evaluated exactly on coordinates rounded to 6 decimals (integer micro-degrees):
 *  - rings closed, at least 4 positions, non-zero area;
 *  - no ring crosses or touches itself (no self-intersection, no spike, no self-tangency);
 *  - rings of one polygon do not cross or overlap, and touch each other at most at one point;
 *  - holes lie inside their shell; polygons of a MultiPolygon do not overlap (they may touch at points).
 * turf's booleanValid misses self-intersections, so the generator uses this instead.
 */
import type { Position } from 'geojson';
import { orient, polygonsOf, ringSignedArea, type Polygonal } from './geo.ts';
import { BoxGrid, PolygonIndex } from './spatial.ts';

interface Seg {
  poly: number;
  ring: number; // global ring index
  k: number; // segment index in its ring
  n: number; // segment count of its ring
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

const toInt = (v: number): number => Math.round(v * 1e6);

/** Returns null when valid, otherwise a short reason. */
export function validityError(geom: Polygonal): string | null {
  const polys = polygonsOf(geom);
  if (polys.length === 0) return 'empty geometry';
  const segs: Seg[] = [];
  const ringPoly: number[] = [];
  const ringsInt: number[][][] = [];
  for (let p = 0; p < polys.length; p++) {
    const rings = polys[p]!;
    if (rings.length === 0) return `polygon ${p} has no rings`;
    for (let r = 0; r < rings.length; r++) {
      const ring = rings[r]!;
      if (ring.length < 4) return `ring ${p}/${r} has ${ring.length} positions`;
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) return `ring ${p}/${r} is not closed`;
      for (const c of ring) {
        if (!Number.isFinite(c[0]) || !Number.isFinite(c[1]))
          return `ring ${p}/${r} has a non-finite coordinate`;
      }
      const pts = ring.map((c: Position) => [toInt(c[0]!), toInt(c[1]!)]);
      for (let i = 1; i < pts.length; i++) {
        if (pts[i]![0] === pts[i - 1]![0] && pts[i]![1] === pts[i - 1]![1]) {
          return `ring ${p}/${r} repeats a vertex at ${i}`;
        }
      }
      if (ringSignedArea(pts.slice(0, -1)) === 0) return `ring ${p}/${r} has zero area`;
      const gi = ringsInt.length;
      ringsInt.push(pts);
      ringPoly.push(p);
      const n = pts.length - 1;
      for (let k = 0; k < n; k++) {
        segs.push({
          poly: p,
          ring: gi,
          k,
          n,
          ax: pts[k]![0]!,
          ay: pts[k]![1]!,
          bx: pts[k + 1]![0]!,
          by: pts[k + 1]![1]!,
        });
      }
    }
  }

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of segs) {
    minX = Math.min(minX, s.ax, s.bx);
    maxX = Math.max(maxX, s.ax, s.bx);
    minY = Math.min(minY, s.ay, s.by);
    maxY = Math.max(maxY, s.ay, s.by);
  }
  const cell = Math.max(1, Math.sqrt(((maxX - minX + 1) * (maxY - minY + 1)) / Math.max(1, segs.length)) * 2);
  const grid = new BoxGrid([minX, minY, maxX, maxY], cell);
  segs.forEach((s, i) => grid.insert(i, s.ax, s.ay, s.bx, s.by));

  const touches = new Map<string, Set<string>>();
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    for (const j of grid.query(s.ax, s.ay, s.bx, s.by)) {
      if (j <= i) continue;
      const t = segs[j]!;
      const res = intersectKind(s, t);
      if (res === null) continue;
      if (res === 'cross') return `segments cross (ring ${s.ring} seg ${s.k}, ring ${t.ring} seg ${t.k})`;
      if (res === 'overlap') return `segments overlap (ring ${s.ring} seg ${s.k}, ring ${t.ring} seg ${t.k})`;
      // a touch at the point res
      if (s.ring === t.ring) {
        const adjacent = t.k === s.k + 1 || (s.k === 0 && t.k === s.n - 1);
        if (adjacent) continue; // they share their common vertex, nothing else (overlap caught above)
        return `ring ${s.ring} touches itself at ${res}`;
      }
      if (ringPoly[s.ring] === ringPoly[t.ring]) {
        const key = `${s.ring}:${t.ring}`;
        let set = touches.get(key);
        if (!set) touches.set(key, (set = new Set()));
        set.add(res);
        if (set.size > 1) return `rings ${s.ring} and ${t.ring} touch at more than one point`;
      }
    }
  }

  // Nesting: holes inside their shell, polygons not inside one another.
  const ringIndex = ringsInt.map((r) => new PolygonIndex([r]));
  let gi = 0;
  const shells: number[] = [];
  const holesOf: number[][] = [];
  for (let p = 0; p < polys.length; p++) {
    const shell = gi;
    shells.push(shell);
    const holes: number[] = [];
    for (let r = 0; r < polys[p]!.length; r++, gi++) {
      if (r === 0) continue;
      holes.push(gi);
      if (!ringInside(ringsInt[gi]!, ringIndex[shell]!, ringsInt[shell]!))
        return `hole ${gi} is not inside its shell`;
    }
    holesOf.push(holes);
  }
  for (let p = 0; p < polys.length; p++) {
    for (let q = 0; q < polys.length; q++) {
      if (p === q) continue;
      const shellP = ringsInt[shells[p]!]!;
      const qShell = shells[q]!;
      if (!ringInside(shellP, ringIndex[qShell]!, ringsInt[qShell]!)) continue;
      const inHole = holesOf[q]!.some((h) => ringInside(shellP, ringIndex[h]!, ringsInt[h]!));
      if (!inHole) return `polygon ${p} lies inside polygon ${q}`;
    }
  }
  return null;
}

export function isValidPolygonal(geom: Polygonal): boolean {
  return validityError(geom) === null;
}

/** Is ring a inside the ring indexed by idx? Decided on the first vertex of a not lying on that ring. */
function ringInside(a: number[][], idx: PolygonIndex, ring: number[][]): boolean {
  for (let i = 0; i < a.length - 1; i++) {
    const [x, y] = a[i]!;
    if (onRing(x!, y!, ring)) continue;
    return idx.contains(x!, y!);
  }
  return false;
}

function onRing(x: number, y: number, ring: number[][]): boolean {
  for (let k = 0; k < ring.length - 1; k++) {
    const [ax, ay] = ring[k]!;
    const [bx, by] = ring[k + 1]!;
    if (
      orient(ax!, ay!, bx!, by!, x, y) === 0 &&
      Math.min(ax!, bx!) <= x &&
      x <= Math.max(ax!, bx!) &&
      Math.min(ay!, by!) <= y &&
      y <= Math.max(ay!, by!)
    ) {
      return true;
    }
  }
  return false;
}

/** null: disjoint; 'cross': proper crossing; 'overlap': collinear overlap of positive length; else the touch point. */
function intersectKind(s: Seg, t: Seg): null | 'cross' | 'overlap' | string {
  if (
    Math.max(s.ax, s.bx) < Math.min(t.ax, t.bx) ||
    Math.max(t.ax, t.bx) < Math.min(s.ax, s.bx) ||
    Math.max(s.ay, s.by) < Math.min(t.ay, t.by) ||
    Math.max(t.ay, t.by) < Math.min(s.ay, s.by)
  ) {
    return null;
  }
  const o1 = Math.sign(orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay));
  const o2 = Math.sign(orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by));
  const o3 = Math.sign(orient(t.ax, t.ay, t.bx, t.by, s.ax, s.ay));
  const o4 = Math.sign(orient(t.ax, t.ay, t.bx, t.by, s.bx, s.by));
  if (o1 === 0 && o2 === 0) {
    // collinear: project on the longer axis
    const useX = Math.abs(s.bx - s.ax) >= Math.abs(s.by - s.ay);
    const s0 = useX ? Math.min(s.ax, s.bx) : Math.min(s.ay, s.by);
    const s1 = useX ? Math.max(s.ax, s.bx) : Math.max(s.ay, s.by);
    const t0 = useX ? Math.min(t.ax, t.bx) : Math.min(t.ay, t.by);
    const t1 = useX ? Math.max(t.ax, t.bx) : Math.max(t.ay, t.by);
    const lo = Math.max(s0, t0);
    const hi = Math.min(s1, t1);
    if (lo > hi) return null;
    if (lo < hi) return 'overlap';
    // single shared point
    const pts = [
      [s.ax, s.ay],
      [s.bx, s.by],
    ].filter(([x, y]) => (useX ? x === lo : y === lo));
    const p = pts[0] ?? [t.ax, t.ay];
    return `${p[0]},${p[1]}`;
  }
  if (o1 * o2 < 0 && o3 * o4 < 0) return 'cross';
  if (o1 === 0 && within(s, t.ax, t.ay)) return `${t.ax},${t.ay}`;
  if (o2 === 0 && within(s, t.bx, t.by)) return `${t.bx},${t.by}`;
  if (o3 === 0 && within(t, s.ax, s.ay)) return `${s.ax},${s.ay}`;
  if (o4 === 0 && within(t, s.bx, s.by)) return `${s.bx},${s.by}`;
  return null;
}

function within(s: Seg, x: number, y: number): boolean {
  return (
    Math.min(s.ax, s.bx) <= x &&
    x <= Math.max(s.ax, s.bx) &&
    Math.min(s.ay, s.by) <= y &&
    y <= Math.max(s.ay, s.by)
  );
}
