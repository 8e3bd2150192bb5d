/**
 * Planar and geodesic helpers. The generator works in a local metric frame (x east, y north, metres)
 * centred on the district; the frame is an affine map of lon/lat (equirectangular at the centre
 * latitude), so straight segments stay straight and planarity survives the round trip.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';

export type XY = [number, number];
export type Ring = Position[];
/** Polygon coordinates: outer ring then holes. */
export type PolygonCoords = Ring[];
export type Polygonal = Polygon | MultiPolygon;

/** Mean Earth radius as used by turf (haversine). */
export const EARTH_RADIUS_M = 6371008.8;
const DEG = Math.PI / 180;

export class LocalProjection {
  readonly lon0: number;
  readonly lat0: number;
  private readonly kx: number;
  private readonly ky: number;

  constructor(lon0: number, lat0: number) {
    this.lon0 = lon0;
    this.lat0 = lat0;
    this.ky = EARTH_RADIUS_M * DEG;
    this.kx = this.ky * Math.cos(lat0 * DEG);
  }

  toXY(lon: number, lat: number): XY {
    return [(lon - this.lon0) * this.kx, (lat - this.lat0) * this.ky];
  }

  toLonLat(x: number, y: number): XY {
    return [this.lon0 + x / this.kx, this.lat0 + y / this.ky];
  }

  /** lon/lat rounded to 6 decimals (about 0.1 m), the output precision. */
  toLonLat6(x: number, y: number): XY {
    return [round6(this.lon0 + x / this.kx), round6(this.lat0 + y / this.ky)];
  }

  ringToXY(ring: Ring): XY[] {
    return ring.map((p) => this.toXY(p[0]!, p[1]!));
  }
}

export function round6(v: number): number {
  const r = Math.round(v * 1e6) / 1e6;
  return r === 0 ? 0 : r;
}

export function haversineM(a: Position, b: Position): number {
  const dLat = (b[1]! - a[1]!) * DEG;
  const dLon = (b[0]! - a[0]!) * DEG;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1]! * DEG) * Math.cos(b[1]! * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.atan2(Math.sqrt(s), Math.sqrt(1 - s));
}

/** Geodesic (haversine, spherical) length of a polyline in metres. */
export function lineLengthM(coords: Position[]): number {
  let total = 0;
  for (let i = 1; i < coords.length; i++) total += haversineM(coords[i - 1]!, coords[i]!);
  return total;
}

export function dist(ax: number, ay: number, bx: number, by: number): number {
  return Math.hypot(bx - ax, by - ay);
}

/** Signed area of a planar ring (positive when counter-clockwise); closed or open rings both work. */
export function ringSignedArea(ring: ArrayLike<ArrayLike<number>>): number {
  let a = 0;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    a += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return a / 2;
}

/** Area-weighted centroid of a planar ring. */
export function ringCentroid(ring: ArrayLike<ArrayLike<number>>): XY {
  let a = 0;
  let cx = 0;
  let cy = 0;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const f = ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
    a += f;
    cx += (ring[j]![0]! + ring[i]![0]!) * f;
    cy += (ring[j]![1]! + ring[i]![1]!) * f;
  }
  if (a === 0) return [ring[0]![0]!, ring[0]![1]!];
  return [cx / (3 * a), cy / (3 * a)];
}

/** Orientation of c relative to a→b: >0 left, <0 right, 0 collinear. */
export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** True when segments ab and cd properly cross (interiors intersect at one point, no endpoint involved). */
export function segmentsCross(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  return ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0));
}

/** True when the closed segments ab and cd share at least one point. */
export function segmentsIntersect(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  if (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return true;
  if (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return true;
  if (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return true;
  if (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by)) return true;
  return false;
}

/** For c collinear with ab: is c within the bounding box of ab? */
export function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);
}

/** Parameter t along ab of the intersection with cd (assumes they cross). */
export function crossParam(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): number {
  const rX = bx - ax;
  const rY = by - ay;
  const sX = dx - cx;
  const sY = dy - cy;
  const den = rX * sY - rY * sX;
  if (den === 0) return 0.5;
  return ((cx - ax) * sY - (cy - ay) * sX) / den;
}

/** Distance from point p to segment ab. */
export function pointSegmentDist(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const vx = bx - ax;
  const vy = by - ay;
  const len2 = vx * vx + vy * vy;
  let t = len2 > 0 ? ((px - ax) * vx + (py - ay) * vy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(px - (ax + t * vx), py - (ay + t * vy));
}

/** Distance between segments ab and cd (0 when they intersect). */
export function segmentSegmentDist(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): number {
  if (segmentsIntersect(ax, ay, bx, by, cx, cy, dx, dy)) return 0;
  return Math.min(
    pointSegmentDist(ax, ay, cx, cy, dx, dy),
    pointSegmentDist(bx, by, cx, cy, dx, dy),
    pointSegmentDist(cx, cy, ax, ay, bx, by),
    pointSegmentDist(dx, dy, ax, ay, bx, by),
  );
}

/** The polygons of a Polygon or MultiPolygon as a list of coordinate arrays. */
export function polygonsOf(geom: Polygonal): PolygonCoords[] {
  return geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
}

/** Bounding box [minX, minY, maxX, maxY] of a list of points. */
export function bboxOf(points: Iterable<ArrayLike<number>>): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    if (p[0]! < minX) minX = p[0]!;
    if (p[1]! < minY) minY = p[1]!;
    if (p[0]! > maxX) maxX = p[0]!;
    if (p[1]! > maxY) maxY = p[1]!;
  }
  return [minX, minY, maxX, maxY];
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp((x - e0) / (e1 - e0), 0, 1);
  return t * t * (3 - 2 * t);
}
