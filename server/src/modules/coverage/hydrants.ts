/**
 * Hydrant gaps against GB 50974-2014 (issue 7): roads farther than the protection radius (150 m) from
 * every in-service municipal hydrant, and hydrants whose nearest in-service neighbour along the roads
 * is farther than the spacing limit (120 m).
 *
 * Road cover is exact per drawn segment: in a local plane around the segment (metres), the part of the
 * segment inside each nearby hydrant's circle is an interval found from a quadratic; the union of the
 * intervals is what is covered. Spacing is measured along the roads in either direction (hoses and
 * feet ignore one-way streets), between the points where the hydrants meet the road.
 */
import { HYDRANT_MAX_SPACING_M, HYDRANT_PROTECTION_RADIUS_M } from '../../../../shared/src/standards.ts';
import type { RoutingEngine, Snap } from '../routing/engine.ts';
import { M_PER_DEG_LAT, mPerDegLon } from '../routing/graph.ts';

export interface HydrantPoint {
  code: string;
  lon: number;
  lat: number;
}

/** Points bucketed in square cells of `cellM` metres, for "who is within r" lookups (r ≤ cellM). */
export class PointBuckets<T extends { lon: number; lat: number }> {
  private readonly buckets = new Map<number, T[]>();
  private readonly kx: number;
  private readonly ky: number;

  constructor(
    points: readonly T[],
    private readonly cellM: number,
    lat0: number,
  ) {
    this.kx = mPerDegLon(lat0) / cellM;
    this.ky = M_PER_DEG_LAT / cellM;
    for (const p of points) {
      const key = this.key(Math.floor(p.lon * this.kx), Math.floor(p.lat * this.ky));
      const list = this.buckets.get(key);
      if (list) list.push(p);
      else this.buckets.set(key, [p]);
    }
  }

  private key(x: number, y: number) {
    return x * 1_000_003 + y;
  }

  /** Every point whose bucket touches the box around (lon, lat) widened by `m` metres (a superset). */
  near(lon: number, lat: number, m: number): T[] {
    const r = Math.ceil(m / this.cellM);
    const x = Math.floor(lon * this.kx);
    const y = Math.floor(lat * this.ky);
    const out: T[] = [];
    for (let dx = -r; dx <= r; dx++)
      for (let dy = -r; dy <= r; dy++) {
        const list = this.buckets.get(this.key(x + dx, y + dy));
        if (list) for (const p of list) out.push(p);
      }
    return out;
  }
}

export interface RoadCover {
  roadM: number;
  uncoveredM: number;
  /** the uncovered stretches, as lines */
  lines: [number, number][][];
}

/**
 * How much of every road lies farther than `radiusM` from all the given (in-service) hydrants, with
 * the uncovered stretches. Each road is counted once (both directions are the same kerb).
 */
export function roadCover(
  engine: RoutingEngine,
  hydrants: readonly HydrantPoint[],
  radiusM = HYDRANT_PROTECTION_RADIUS_M,
  only: {
    /** which edges count (default all) */
    edge?: (e: number) => boolean;
    /** count only the road inside this point's circle of radiusM (what one hydrant protects) */
    within?: HydrantPoint;
  } = {},
): RoadCover {
  const g = engine.graph;
  const { coords, coordStart } = g.edges;
  const lat0 = coords.length ? coords[1]! : 0;
  const buckets = new PointBuckets(hydrants, Math.max(radiusM, 50), lat0);
  const r2 = radiusM * radiusM;
  let roadM = 0;
  let uncoveredM = 0;
  const lines: [number, number][][] = [];
  let open: [number, number][] | null = null;
  const close = () => {
    if (open && open.length > 1) lines.push(open);
    open = null;
  };
  const intervals: [number, number][] = [];
  const circle = (
    h: HydrantPoint,
    ax: number,
    ay: number,
    dx: number,
    dy: number,
    kx: number,
  ): [number, number] | null => {
    // |A + t·D − H|² = r² with t in [0, 1]
    const px = (ax - h.lon) * kx;
    const py = (ay - h.lat) * M_PER_DEG_LAT;
    const a = dx * dx + dy * dy;
    const b = 2 * (px * dx + py * dy);
    const c = px * px + py * py - r2;
    const disc = b * b - 4 * a * c;
    if (disc < 0) return null;
    const sq = Math.sqrt(disc);
    const t0 = Math.max(0, (-b - sq) / (2 * a));
    const t1 = Math.min(1, (-b + sq) / (2 * a));
    return t1 > t0 ? [t0, t1] : null;
  };
  for (let e = 0; e < g.edgeCount; e++) {
    if (only.edge && !only.edge(e)) continue;
    for (let v = coordStart[e]!; v < coordStart[e + 1]! - 1; v++) {
      const ax = coords[2 * v]!;
      const ay = coords[2 * v + 1]!;
      const bx = coords[2 * v + 2]!;
      const by = coords[2 * v + 3]!;
      const kx = mPerDegLon((ay + by) / 2);
      const dx = (bx - ax) * kx;
      const dy = (by - ay) * M_PER_DEG_LAT;
      const len = Math.hypot(dx, dy);
      if (len === 0) continue;
      let lo = 0;
      let hi = 1;
      if (only.within) {
        const part = circle(only.within, ax, ay, dx, dy, kx);
        if (!part) continue;
        [lo, hi] = part;
      }
      roadM += (hi - lo) * len;
      intervals.length = 0;
      const near = buckets.near((ax + bx) / 2, (ay + by) / 2, len / 2 + radiusM);
      for (const h of near) {
        const part = circle(h, ax, ay, dx, dy, kx);
        if (part) intervals.push(part);
      }
      intervals.sort((p, q) => p[0] - q[0]);
      // walk [lo, hi], emitting the uncovered pieces
      let t = lo;
      const at = (s: number): [number, number] => [ax + s * (bx - ax), ay + s * (by - ay)];
      const uncovered = (s0: number, s1: number) => {
        if (s1 <= s0) return;
        uncoveredM += (s1 - s0) * len;
        const p0 = at(s0);
        const last: [number, number] | undefined = open?.[open.length - 1];
        if (!open || !last || last[0] !== p0[0] || last[1] !== p0[1]) {
          close();
          open = [p0];
        }
        open!.push(at(s1));
      };
      for (const [s0, s1] of intervals) {
        if (s0 > t) uncovered(t, Math.min(s0, hi));
        if (s1 > t) t = s1;
      }
      uncovered(t, hi);
    }
  }
  close();
  return { roadM, uncoveredM, lines };
}

export interface SpacingGap {
  code: string;
  /** along the roads to the nearest other in-service hydrant, m (null: none within the search) */
  nearestM: number | null;
  nearest: string | null;
}

/**
 * In-service hydrants whose nearest in-service neighbour along the roads is farther than `maxM`
 * (looked for up to `searchM` along the roads). Hydrants off the road network are left out.
 */
export function spacingGaps(
  engine: RoutingEngine,
  hydrants: readonly HydrantPoint[],
  snapMaxM: number,
  maxM = HYDRANT_MAX_SPACING_M,
  searchM = 4 * HYDRANT_MAX_SPACING_M,
): SpacingGap[] {
  const placed = hydrants
    .map((h) => ({ ...h, snap: engine.snap(h.lon, h.lat, snapMaxM) }))
    .filter((h): h is HydrantPoint & { snap: Snap } => h.snap !== undefined);
  if (!placed.length) return [];
  const buckets = new PointBuckets(placed, searchM, placed[0]!.lat);
  const gaps: SpacingGap[] = [];
  for (const h of placed) {
    const others = buckets.near(h.lon, h.lat, searchM).filter((o) => o.code !== h.code);
    const metres = others.length
      ? engine.walkingMetres(
          h.snap,
          others.map((o) => o.snap),
          searchM,
        )
      : [];
    let best = Infinity;
    let who: string | null = null;
    others.forEach((o, i) => {
      if (metres[i]! < best) [best, who] = [metres[i]!, o.code];
    });
    if (best > maxM)
      gaps.push({
        code: h.code,
        nearestM: Number.isFinite(best) ? Math.round(best * 10) / 10 : null,
        nearest: Number.isFinite(best) ? who : null,
      });
  }
  return gaps;
}
