/**
 * Cut a parent (Multi)Polygon into one piece per power-diagram site, so that the pieces tile the
 * parent: each convex power cell is intersected with the parent (polyclip via turf.intersect, or
 * taken whole when it lies inside). Tiny parts of the parent (pinch artefacts of the source data)
 * are not cut: each goes whole to the site owning it. Output coordinates are rounded to 6 decimals
 * and checked with the OGC validity rules; a piece broken by rounding is repaired (union with itself
 * and rounded again) before giving up loudly.
 */
import * as turf from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import {
  orient,
  polygonsOf,
  ringSignedArea,
  round6,
  segmentsIntersect,
  type LocalProjection,
  type PolygonCoords,
  type Polygonal,
  type Ring,
} from './geo.ts';
import { ownerOf, powerCell, type Site } from './power.ts';
import { BoxGrid, PolygonIndex } from './spatial.ts';
import { validityError } from './validity.ts';

/** Area of planar polygon coordinates (shell minus holes), in the units² of the coordinates. */
export function polygonAreaXY(rings: number[][][]): number {
  let a = 0;
  rings.forEach((r, i) => {
    const s = Math.abs(ringSignedArea(r));
    a += i === 0 ? s : -s;
  });
  return a;
}

/** Area in m² of a lon/lat (Multi)Polygon using the local projection. */
export function areaM2(geom: Polygonal, proj: LocalProjection): number {
  let a = 0;
  for (const p of polygonsOf(geom)) a += polygonAreaXY(p.map((r) => proj.ringToXY(r)));
  return a;
}

/** Rounds to 6 decimals, removes repeated vertices and degenerate rings, enforces RFC 7946 winding. */
export function cleanPolygonal(geom: Polygonal): Polygonal | null {
  const polys: PolygonCoords[] = [];
  for (const p of polygonsOf(geom)) {
    const rings: Ring[] = [];
    for (let r = 0; r < p.length; r++) {
      const ring = cleanRing(p[r]!);
      if (!ring) {
        if (r === 0) break;
        continue;
      }
      const ccw = ringSignedArea(ring) > 0;
      if ((r === 0) !== ccw) ring.reverse();
      rings.push(ring);
    }
    if (rings.length > 0) polys.push(rings);
  }
  if (polys.length === 0) return null;
  return polys.length === 1
    ? { type: 'Polygon', coordinates: polys[0]! }
    : { type: 'MultiPolygon', coordinates: polys };
}

const mi = (v: number): number => Math.round(v * 1e6);

function cleanRing(ring: Ring): Ring | null {
  const out: Position[] = [];
  for (const c of ring) {
    const p = [round6(c[0]!), round6(c[1]!)];
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    out.push(p);
  }
  // drop the closing repeat, remove collinear back-and-forth spikes, close again
  if (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1])
    out.pop();
  let changed = true;
  while (changed && out.length >= 3) {
    changed = false;
    for (let i = 0; i < out.length; i++) {
      const a = out[(i + out.length - 1) % out.length]!;
      const b = out[i]!;
      const c = out[(i + 1) % out.length]!;
      const same = a[0] === c[0] && a[1] === c[1];
      const spike =
        same ||
        (orient(mi(a[0]!), mi(a[1]!), mi(b[0]!), mi(b[1]!), mi(c[0]!), mi(c[1]!)) === 0 &&
          (b[0]! - a[0]!) * (c[0]! - b[0]!) + (b[1]! - a[1]!) * (c[1]! - b[1]!) < 0);
      if (spike) {
        out.splice(i, 1);
        changed = true;
        break;
      }
    }
  }
  if (out.length < 3) return null;
  out.push([out[0]![0]!, out[0]![1]!]);
  if (ringSignedArea(out) === 0) return null;
  return out;
}

/** Clean and, when rounding broke it, repair a polygonal geometry; throws when it cannot. */
export function finishPolygonal(geom: Polygonal, label: string): Polygonal {
  let g = cleanPolygonal(geom);
  for (let attempt = 0; attempt < 4; attempt++) {
    if (!g) throw new Error(`${label}: geometry vanished after rounding`);
    const err = validityError(g);
    if (!err) return g;
    const f = turf.feature(g);
    const u = turf.union(turf.featureCollection([f, f]));
    if (!u) throw new Error(`${label}: repair produced nothing (${err})`);
    g = cleanPolygonal(u.geometry);
  }
  throw new Error(`${label}: invalid geometry after repair: ${g ? validityError(g) : 'empty'}`);
}

interface ParentInfo {
  big: MultiPolygon;
  bigIndex: PolygonIndex;
  edges: BoxGrid;
  edgeCoords: Float64Array;
  vertices: BoxGrid;
  vertexCoords: Float64Array;
  small: { coords: PolygonCoords; x: number; y: number }[];
  bboxXY: [number, number, number, number];
}

function describeParent(parent: Polygonal, proj: LocalProjection): ParentInfo {
  const pieces = polygonsOf(parent);
  const areas = pieces.map((p) => polygonAreaXY(p.map((r) => proj.ringToXY(r))));
  const total = areas.reduce((a, b) => a + b, 0);
  const maxArea = Math.max(...areas);
  const bigPieces: PolygonCoords[] = [];
  const small: ParentInfo['small'] = [];
  pieces.forEach((p, i) => {
    const a = areas[i]!;
    if (a < maxArea && a < Math.min(50_000, 0.02 * total)) {
      const [x, y] = proj.toXY(p[0]![0]![0]!, p[0]![0]![1]!);
      small.push({ coords: p, x, y });
    } else {
      bigPieces.push(p);
    }
  });
  const rings = bigPieces.flat();
  const bigIndex = new PolygonIndex(rings);
  const [minX, minY, maxX, maxY] = bigIndex.bbox;
  const segs: number[] = [];
  for (const r of rings)
    for (let k = 0; k + 1 < r.length; k++) segs.push(r[k]![0]!, r[k]![1]!, r[k + 1]![0]!, r[k + 1]![1]!);
  const edgeCoords = Float64Array.from(segs);
  const nSeg = edgeCoords.length / 4;
  const cell = Math.max((maxX - minX) / 64, (maxY - minY) / 64, 1e-5);
  const edges = new BoxGrid([minX, minY, maxX, maxY], cell);
  const vertices = new BoxGrid([minX, minY, maxX, maxY], cell);
  for (let s = 0; s < nSeg; s++) {
    edges.insert(
      s,
      edgeCoords[4 * s]!,
      edgeCoords[4 * s + 1]!,
      edgeCoords[4 * s + 2]!,
      edgeCoords[4 * s + 3]!,
    );
    vertices.insert(
      s,
      edgeCoords[4 * s]!,
      edgeCoords[4 * s + 1]!,
      edgeCoords[4 * s]!,
      edgeCoords[4 * s + 1]!,
    );
  }
  const allXY = pieces.flatMap((p) => proj.ringToXY(p[0]!));
  let bx0 = Infinity;
  let by0 = Infinity;
  let bx1 = -Infinity;
  let by1 = -Infinity;
  for (const [x, y] of allXY) {
    bx0 = Math.min(bx0, x);
    by0 = Math.min(by0, y);
    bx1 = Math.max(bx1, x);
    by1 = Math.max(by1, y);
  }
  const m = 500;
  return {
    big: { type: 'MultiPolygon', coordinates: bigPieces },
    bigIndex,
    edges,
    edgeCoords,
    vertices,
    vertexCoords: edgeCoords,
    small,
    bboxXY: [bx0 - m, by0 - m, bx1 + m, by1 + m],
  };
}

/** Is the convex lon/lat ring (closed) entirely inside the parent's big pieces? */
function cellInside(ring: Ring, info: ParentInfo): boolean {
  const [x0, y0, x1, y1] = ringBbox(ring);
  for (let k = 0; k + 1 < ring.length; k++)
    if (!info.bigIndex.contains(ring[k]![0]!, ring[k]![1]!)) return false;
  const e = info.edgeCoords;
  for (const s of info.edges.query(x0, y0, x1, y1)) {
    const ax = e[4 * s]!;
    const ay = e[4 * s + 1]!;
    const bx = e[4 * s + 2]!;
    const by = e[4 * s + 3]!;
    for (let k = 0; k + 1 < ring.length; k++) {
      const p = ring[k]!;
      const q = ring[k + 1]!;
      if (segmentsIntersect(ax, ay, bx, by, p[0]!, p[1]!, q[0]!, q[1]!)) return false;
    }
  }
  for (const s of info.vertices.query(x0, y0, x1, y1)) {
    const vx = e[4 * s]!;
    const vy = e[4 * s + 1]!;
    let inside = true;
    for (let k = 0; k + 1 < ring.length && inside; k++) {
      const p = ring[k]!;
      const q = ring[k + 1]!;
      if (orient(p[0]!, p[1]!, q[0]!, q[1]!, vx, vy) < 0) inside = false;
    }
    if (inside) return false;
  }
  return true;
}

function ringBbox(ring: Ring): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of ring) {
    x0 = Math.min(x0, p[0]!);
    y0 = Math.min(y0, p[1]!);
    x1 = Math.max(x1, p[0]!);
    y1 = Math.max(y1, p[1]!);
  }
  return [x0, y0, x1, y1];
}

/**
 * One valid piece per site (lon/lat, 6 decimals), tiling the parent. Throws if a site gets nothing:
 * callers place every site on a sample inside the parent (relaxPower guarantees it).
 */
export function partitionPolygon(
  parent: Polygonal,
  proj: LocalProjection,
  sites: readonly Site[],
  label: string,
): Polygonal[] {
  const info = describeParent(parent, proj);
  const bigFeature = turf.feature(info.big);
  const pieces: PolygonCoords[][] = sites.map(() => []);
  for (let i = 0; i < sites.length; i++) {
    const cellXY = powerCell(sites, i, info.bboxXY);
    if (cellXY.length < 3) continue;
    const ring: Ring = cellXY.map(([x, y]) => proj.toLonLat6(x, y));
    const dedup: Ring = [];
    for (const p of ring) {
      const last = dedup[dedup.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) dedup.push(p);
    }
    if (
      dedup.length > 1 &&
      dedup[0]![0] === dedup[dedup.length - 1]![0] &&
      dedup[0]![1] === dedup[dedup.length - 1]![1]
    ) {
      dedup.pop();
    }
    if (dedup.length < 3) continue;
    dedup.push([dedup[0]![0]!, dedup[0]![1]!]);
    if (cellInside(dedup, info)) {
      pieces[i]!.push([dedup]);
      continue;
    }
    const cut = turf.intersect(
      turf.featureCollection<Polygon | MultiPolygon>([turf.polygon([dedup]), bigFeature]),
    );
    if (cut) pieces[i]!.push(...polygonsOf(cut.geometry as Polygon | MultiPolygon));
  }
  for (const s of info.small) pieces[ownerOf(sites, s.x, s.y)]!.push(s.coords);
  return pieces.map((p, i) => {
    if (p.length === 0) throw new Error(`${label}: site ${i} received no area`);
    const g: Polygonal =
      p.length === 1 ? { type: 'Polygon', coordinates: p[0]! } : { type: 'MultiPolygon', coordinates: p };
    return finishPolygonal(g, `${label} #${i}`);
  });
}
