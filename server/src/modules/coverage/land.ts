/**
 * The land the planner counts (issue 7): the county and its unit grids painted on one raster, so
 * that area, population and households outside a reach are cell counts.
 *
 * Population and households of a unit grid are spread evenly over its cells (the grids carry no finer
 * figure); a unit grid smaller than one cell keeps its people on the cell its first vertex falls in.
 */
import { cellAt, createRaster, scanPolygon, type BBox, type Raster } from './raster.ts';
import type { GridShapeRow } from './repo.ts';
import { M_PER_DEG_LAT, mPerDegLon } from '../routing/graph.ts';

/** Metres of margin around the county: a reach may spill a little over the boundary. */
const MARGIN_M = 1_000;

export interface Unit {
  code: string;
  name: string;
  /** the village grid and town grid it belongs to */
  village: string | null;
  town: string | null;
  /** the administrative division it lies in (a village's 12 digits) */
  admin: string;
  population: number;
  households: number;
  cells: number;
}

export interface GridInfo {
  code: string;
  name: string;
  level: 'town' | 'village' | 'unit';
  parent: string | null;
  admin: string;
}

export interface Land {
  county: { code: string; name: string };
  frame: Raster;
  /** 1 where the cell's centre lies in the county */
  inArea: Uint8Array;
  areaCells: number;
  /** the unit grid (index into units) each cell lies in, or -1 */
  unitOf: Int32Array;
  units: Unit[];
  grids: Map<string, GridInfo>;
}

type Polygons = number[][][][];

function polygonsOf(geojson: string): Polygons {
  const g = JSON.parse(geojson) as
    { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: Polygons };
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

function bboxOf(polys: Polygons): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polys)
    for (const ring of poly)
      for (const [lon, lat] of ring) {
        b[0] = Math.min(b[0], lon!);
        b[1] = Math.min(b[1], lat!);
        b[2] = Math.max(b[2], lon!);
        b[3] = Math.max(b[3], lat!);
      }
  return b;
}

export function buildLand(
  county: { code: string; name: string; geojson: string },
  grids: readonly GridShapeRow[],
  cellM: number,
): Land {
  const area = polygonsOf(county.geojson);
  const [w, s, e, n] = bboxOf(area);
  const dLat = MARGIN_M / M_PER_DEG_LAT;
  const dLon = MARGIN_M / mPerDegLon((s + n) / 2);
  const frame = createRaster([w - dLon, s - dLat, e + dLon, n + dLat], cellM);
  const inArea = new Uint8Array(frame.cells.length);
  let areaCells = 0;
  scanPolygon(frame, area.flat(), (i) => {
    if (!inArea[i]) areaCells++;
    inArea[i] = 1;
  });

  const info = new Map<string, GridInfo>();
  for (const g of grids)
    info.set(g.code, {
      code: g.code,
      name: g.name,
      level: g.level,
      parent: g.parent_code,
      admin: g.admin_code,
    });
  const unitOf = new Int32Array(frame.cells.length).fill(-1);
  const units: Unit[] = [];
  for (const g of grids) {
    if (g.level !== 'unit' || !g.geojson) continue;
    const index = units.length;
    const village = g.parent_code;
    const unit: Unit = {
      code: g.code,
      name: g.name,
      village,
      town: village ? (info.get(village)?.parent ?? null) : null,
      admin: g.admin_code,
      population: g.population,
      households: g.households,
      cells: 0,
    };
    units.push(unit);
    const polys = polygonsOf(g.geojson);
    scanPolygon(frame, polys.flat(), (i) => {
      if (unitOf[i] === -1) {
        unitOf[i] = index;
        unit.cells++;
      }
    });
    if (unit.cells === 0) {
      const [lon, lat] = polys[0]![0]![0]!;
      const i = cellAt(frame, lon!, lat!);
      if (i >= 0 && unitOf[i] === -1) {
        unitOf[i] = index;
        unit.cells = 1;
      }
    }
  }
  return {
    county: { code: county.code, name: county.name },
    frame,
    inArea,
    areaCells,
    unitOf,
    units,
    grids: info,
  };
}
