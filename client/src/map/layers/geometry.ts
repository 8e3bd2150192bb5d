/** Small geometry helpers the layer builders share (pure, WGS84 lon/lat). */
import type { Geometry, Position } from 'geojson';

const NO_POSITION: [number, number] = [Number.NaN, Number.NaN];

/** The coordinate of a Point feature (deck.gl skips NaN positions). */
export function pointPosition(geometry: Geometry | null): [number, number] {
  if (geometry?.type !== 'Point') return NO_POSITION;
  const [lon = Number.NaN, lat = Number.NaN] = geometry.coordinates;
  return [lon, lat];
}

/** Signed area and centroid of a ring (shoelace, planar in degrees: fine for label placement). */
function ringCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let area = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0 = 0, y0 = 0] = ring[i] ?? [];
    const [x1 = 0, y1 = 0] = ring[i + 1] ?? [];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    x += (x0 + x1) * cross;
    y += (y0 + y1) * cross;
  }
  area /= 2;
  if (area === 0) {
    const [fx = Number.NaN, fy = Number.NaN] = ring[0] ?? [];
    return { area: 0, x: fx, y: fy };
  }
  return { area, x: x / (6 * area), y: y / (6 * area) };
}

/** The largest part of a (multi)polygon: its outer ring's centroid and planar area (degrees²). */
export function largestPart(
  geometry: Geometry | null,
): { centroid: [number, number]; area: number } | undefined {
  if (!geometry) return undefined;
  const outerRings =
    geometry.type === 'Polygon'
      ? geometry.coordinates.slice(0, 1)
      : geometry.type === 'MultiPolygon'
        ? geometry.coordinates.map((polygon) => polygon[0] ?? [])
        : [];
  let best: { area: number; x: number; y: number } | undefined;
  for (const ring of outerRings) {
    const centroid = ringCentroid(ring);
    if (!best || Math.abs(centroid.area) > Math.abs(best.area)) best = centroid;
  }
  return best && { centroid: [best.x, best.y], area: Math.abs(best.area) };
}

/** Where to put a polygon's name: the centroid of its largest part's outer ring. */
export function labelPoint(geometry: Geometry | null): [number, number] {
  if (geometry?.type === 'Point') return pointPosition(geometry);
  return largestPart(geometry)?.centroid ?? NO_POSITION;
}

const METRES_PER_DEGREE_LAT = 111_320;
const MIN_DASH_M = 0.01;

function distanceM(a: Position, b: Position): number {
  const [ax = 0, ay = 0] = a;
  const [bx = 0, by = 0] = b;
  const cosLat = Math.cos((((ay + by) / 2) * Math.PI) / 180);
  return Math.hypot((bx - ax) * cosLat, by - ay) * METRES_PER_DEGREE_LAT;
}

type LonLat = [number, number];

const lonLat = ([lon = Number.NaN, lat = Number.NaN]: Position): LonLat => [lon, lat];

function interpolate(a: Position, b: Position, t: number): LonLat {
  const [ax = 0, ay = 0] = a;
  const [bx = 0, by = 0] = b;
  return [ax + (bx - ax) * t, ay + (by - ay) * t];
}

/**
 * Cuts a line into dashes of `dashM` metres with `gapM` gaps, so a dashed outline needs no extra
 * shader extension (the dash length stays fixed on the ground, which suits circles of known radius).
 */
export function dashLine(line: Position[], dashM: number, gapM: number): LonLat[][] {
  const dashes: LonLat[][] = [];
  let current: LonLat[] | undefined;
  let drawing = true;
  let left = dashM;
  for (let i = 0; i < line.length - 1; i++) {
    const a = line[i];
    const b = line[i + 1];
    if (!a || !b) continue;
    const length = distanceM(a, b);
    let walked = 0;
    if (drawing && !current) current = [lonLat(a)];
    while (length - walked >= left) {
      walked += left;
      const point = interpolate(a, b, walked / length);
      if (drawing) {
        current?.push(point);
        if (current) dashes.push(current);
        current = undefined;
      } else {
        current = [point];
      }
      drawing = !drawing;
      left = drawing ? dashM : gapM;
    }
    left -= length - walked;
    if (drawing) current?.push(lonLat(b));
  }
  // A gap that ends at the very end of the line leaves a dash of (rounding-error) zero length.
  const first = current?.[0];
  const last = current?.at(-1);
  if (current && first && last && distanceM(first, last) > MIN_DASH_M) dashes.push(current);
  return dashes;
}
