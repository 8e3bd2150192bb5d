/**
 * A square-cell raster over a small area (a county), in a local equirectangular projection around
 * its middle latitude: cells of `cellM` metres. The planner paints what a force reaches (its roads,
 * widened by the trim distance) and the land it must cover (boundaries) into such rasters, counts
 * cells for areas, and turns painted cells back into polygons for the map.
 *
 * Areas are cell counts × cellM²: exact for the raster, within a few percent of the drawn polygons
 * (whose edges d3-contour puts between cell centres). The projection's scale error over a county
 * (±0.5° of latitude) is below 1%.
 */
import { contours } from 'd3-contour';
import { M_PER_DEG_LAT, mPerDegLon } from '../routing/graph.ts';

export interface Raster {
  west: number;
  south: number;
  /** cell size in degrees of longitude and latitude */
  dLon: number;
  dLat: number;
  cols: number;
  rows: number;
  cellM: number;
  /** row-major from the south-west corner: index = col + row × cols */
  cells: Uint8Array;
}

export type BBox = [west: number, south: number, east: number, north: number];

export function createRaster(bbox: BBox, cellM: number): Raster {
  const [west, south, east, north] = bbox;
  const midLat = (south + north) / 2;
  const dLat = cellM / M_PER_DEG_LAT;
  const dLon = cellM / mPerDegLon(midLat);
  const cols = Math.max(1, Math.ceil((east - west) / dLon));
  const rows = Math.max(1, Math.ceil((north - south) / dLat));
  return { west, south, dLon, dLat, cols, rows, cellM, cells: new Uint8Array(cols * rows) };
}

/** A raster of the same frame with no cell painted. */
export const emptyLike = (r: Raster): Raster => ({ ...r, cells: new Uint8Array(r.cells.length) });

/** The centre of cell (col, row) as [lon, lat]. */
export const cellCentre = (r: Raster, col: number, row: number): [number, number] => [
  r.west + (col + 0.5) * r.dLon,
  r.south + (row + 0.5) * r.dLat,
];

/** The cell a point falls in, or -1 outside the raster. */
export function cellAt(r: Raster, lon: number, lat: number): number {
  const col = Math.floor((lon - r.west) / r.dLon);
  const row = Math.floor((lat - r.south) / r.dLat);
  if (col < 0 || row < 0 || col >= r.cols || row >= r.rows) return -1;
  return col + row * r.cols;
}

/**
 * Paints every cell whose centre lies within `radiusM` of the polyline (a flat [lon, lat, lon, lat, …]
 * array of `count` positions starting at position `first`) with `value`.
 */
export function paintLine(
  r: Raster,
  coords: ArrayLike<number>,
  first: number,
  count: number,
  radiusM: number,
  value = 1,
): void {
  // work in cell units: x = (lon − west) / dLon − 0.5 puts cell centres on integers
  const rad = radiusM / r.cellM;
  const rad2 = rad * rad;
  const { cols, rows, cells } = r;
  const x = (i: number) => (coords[2 * i]! - r.west) / r.dLon - 0.5;
  const y = (i: number) => (coords[2 * i + 1]! - r.south) / r.dLat - 0.5;
  for (let i = first; i < first + count - (count > 1 ? 1 : 0); i++) {
    const ax = x(i);
    const ay = y(i);
    const bx = count > 1 ? x(i + 1) : ax;
    const by = count > 1 ? y(i + 1) : ay;
    const c0 = Math.max(0, Math.ceil(Math.min(ax, bx) - rad));
    const c1 = Math.min(cols - 1, Math.floor(Math.max(ax, bx) + rad));
    const r0 = Math.max(0, Math.ceil(Math.min(ay, by) - rad));
    const r1 = Math.min(rows - 1, Math.floor(Math.max(ay, by) + rad));
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        let t = len2 > 0 ? ((col - ax) * dx + (row - ay) * dy) / len2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = ax + t * dx - col;
        const ey = ay + t * dy - row;
        if (ex * ex + ey * ey <= rad2) cells[col + row * cols] = value;
      }
    }
  }
}

/** Paints every cell whose centre lies within `radiusM` of (lon, lat). */
export function paintDisc(r: Raster, lon: number, lat: number, radiusM: number, value = 1): void {
  paintLine(r, [lon, lat], 0, 1, radiusM, value);
}

/**
 * Calls `visit` with the index of every cell whose centre lies inside the polygon (GeoJSON rings,
 * even-odd rule, so holes and several polygons' rings may be passed together), by scanlines through
 * the cell centres.
 */
export function scanPolygon(
  r: Raster,
  rings: readonly (readonly (readonly number[])[])[],
  visit: (index: number) => void,
): void {
  const crossings: number[][] = Array.from({ length: r.rows }, () => []);
  for (const ring of rings) {
    for (let i = 0; i < ring.length - 1; i++) {
      const lon0 = ring[i]![0]!;
      const lat0 = ring[i]![1]!;
      const lon1 = ring[i + 1]![0]!;
      const lat1 = ring[i + 1]![1]!;
      const y0 = (lat0 - r.south) / r.dLat - 0.5;
      const y1 = (lat1 - r.south) / r.dLat - 0.5;
      if (y0 === y1) continue;
      const lo = Math.max(0, Math.ceil(Math.min(y0, y1)));
      // half-open in y, so a vertex on a scanline is counted once
      const hi = Math.min(r.rows - 1, Math.ceil(Math.max(y0, y1)) - 1);
      for (let row = lo; row <= hi; row++) {
        const t = (row - y0) / (y1 - y0);
        crossings[row]!.push((lon0 + t * (lon1 - lon0) - r.west) / r.dLon - 0.5);
      }
    }
  }
  for (let row = 0; row < r.rows; row++) {
    const xs = crossings[row]!.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil(xs[k]!));
      const c1 = Math.min(r.cols - 1, Math.floor(xs[k + 1]!));
      for (let col = c0; col <= c1; col++) visit(col + row * r.cols);
    }
  }
}

/** Paints every cell whose centre lies inside the polygon (see scanPolygon) with `value`. */
export function paintPolygon(r: Raster, rings: readonly (readonly (readonly number[])[])[], value = 1): void {
  scanPolygon(r, rings, (i) => {
    r.cells[i] = value;
  });
}

/** A raster on the cells of `parent` that covers `bbox` (clipped to the parent), and where it sits in it. */
export interface Window extends Raster {
  col0: number;
  row0: number;
}

export function windowOf(parent: Raster, bbox: BBox): Window {
  const [west, south, east, north] = bbox;
  const col0 = Math.max(0, Math.floor((west - parent.west) / parent.dLon));
  const row0 = Math.max(0, Math.floor((south - parent.south) / parent.dLat));
  const col1 = Math.min(parent.cols - 1, Math.floor((east - parent.west) / parent.dLon));
  const row1 = Math.min(parent.rows - 1, Math.floor((north - parent.south) / parent.dLat));
  const cols = Math.max(0, col1 - col0 + 1);
  const rows = Math.max(0, row1 - row0 + 1);
  return {
    ...parent,
    west: parent.west + col0 * parent.dLon,
    south: parent.south + row0 * parent.dLat,
    cols,
    rows,
    col0,
    row0,
    cells: new Uint8Array(cols * rows),
  };
}

/** The parent's index of a window's cell. */
export const parentIndex = (w: Window, parentCols: number, i: number): number =>
  (i % w.cols) + w.col0 + (Math.floor(i / w.cols) + w.row0) * parentCols;

/** Square kilometres of `count` cells. */
export const cellsKm2 = (r: Raster, count: number): number => (count * r.cellM * r.cellM) / 1e6;

/** How many cells satisfy `test` (by cell value). */
export function countCells(r: Raster, test: (value: number, index: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < r.cells.length; i++) if (test(r.cells[i]!, i)) n++;
  return n;
}

/** Signed area of a ring in the plane (positive when counterclockwise). */
function ringArea(ring: [number, number][]): number {
  let a = 0;
  for (let i = 0, n = ring.length; i < n - 1; i++)
    a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a / 2;
}

/**
 * The cells that satisfy `test` as GeoJSON MultiPolygon coordinates in [lon, lat] (exterior rings
 * counterclockwise, holes clockwise, as RFC 7946 asks), rounded to `digits` decimals.
 */
export function polygons(
  r: Raster,
  test: (value: number, index: number) => boolean,
  digits = 6,
): [number, number][][][] {
  const values = new Float64Array(r.cells.length);
  for (let i = 0; i < values.length; i++) values[i] = test(r.cells[i]!, i) ? 1 : 0;
  const [shape] = contours().size([r.cols, r.rows]).thresholds([0.5])(Array.from(values));
  const k = 10 ** digits;
  const round = (v: number) => Math.round(v * k) / k;
  // contour x, y run over [0, cols] × [0, rows] with cell (col, row) centred at (col + 0.5, row + 0.5)
  return shape!.coordinates.map((polygon) =>
    polygon.map((ring, i) => {
      const out = ring.map((p): [number, number] => [
        round(r.west + p[0]! * r.dLon),
        round(r.south + p[1]! * r.dLat),
      ]);
      const ccw = ringArea(out) > 0;
      if ((i === 0) !== ccw) out.reverse();
      return out;
    }),
  );
}
