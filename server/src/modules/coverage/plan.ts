/**
 * The planner's coverage computations (issue 7), pure over a routing engine, the land and the forces.
 *
 * Reach: a force drives its tier's target minutes less the turnout (drivingBudgetS: rescue stations,
 * full-time teams and joint stations 5 − 1 min, micro stations 3 − 1 min) from where it meets the road;
 * the road it gets along (partial edges included) is widened by the trim distance (REACH_TRIM_M, the
 * service-area trim that network analysts use by default) and painted on the land's raster. Its
 * polygon is that painted area, traced by d3-contour; areas and people are cell counts, inside the
 * county only (outside it there are no roads, so nothing is reached there and it is not counted).
 *
 * Circles: the straight-line picture of the seeds, radius by coverageRadiusM (shared/src/standards.ts).
 * "The circle overstates" by the county land inside the circle that the force does not reach by road.
 */
import type { RescueStationClass, StationStatus, StationTier } from '../../../../shared/src/domain.ts';
import {
  RESCUE_STATION_RESPONSE_MIN,
  STATION_DISTRICT_MAX_KM2,
  coverageRadiusM,
  drivingBudgetS,
} from '../../../../shared/src/standards.ts';
import type { RoutingEngine, Snap } from '../routing/engine.ts';
import type { Land } from './land.ts';
import {
  cellAt,
  cellsKm2,
  paintDisc,
  paintLine,
  parentIndex,
  polygons,
  windowOf,
  type BBox,
  type Raster,
  type Window,
} from './raster.ts';
import { tierMinutes } from './service.ts';
import { M_PER_DEG_LAT, mPerDegLon } from '../routing/graph.ts';

/** Land within this many metres of a reached road counts as reached. */
export const REACH_TRIM_M = 100;

export interface PlanForce {
  code: string;
  name: string;
  tier: StationTier;
  station_class?: RescueStationClass | null;
  status: StationStatus;
  lon: number;
  lat: number;
  village_code: string;
}

export interface Reach {
  window: Window;
  nodes: Int32Array;
  /** reached cells inside the county */
  cells: number;
}

const degLon = (m: number, lat: number) => m / mPerDegLon(lat);

function bboxAround(lon: number, lat: number, m: number): BBox {
  const dLat = m / M_PER_DEG_LAT;
  const dLon = degLon(m, lat);
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

/** Paints the reached road, widened by `trimM`, on a window of the land's frame. */
export function paintReach(
  land: Land,
  engine: RoutingEngine,
  origin: Snap,
  budgetS: number,
  trimM = REACH_TRIM_M,
): Reach {
  const { nodes, lines } = engine.reachRoads(origin, budgetS);
  const b: BBox = [origin.lon, origin.lat, origin.lon, origin.lat];
  for (const line of lines)
    for (const [lon, lat] of line) {
      if (lon < b[0]) b[0] = lon;
      if (lat < b[1]) b[1] = lat;
      if (lon > b[2]) b[2] = lon;
      if (lat > b[3]) b[3] = lat;
    }
  const dLat = trimM / M_PER_DEG_LAT;
  const dLon = degLon(trimM, b[3]);
  const window = windowOf(land.frame, [b[0] - dLon, b[1] - dLat, b[2] + dLon, b[3] + dLat]);
  for (const line of lines) paintLine(window, line.flat(), 0, line.length, trimM);
  let cells = 0;
  const cols = land.frame.cols;
  for (let i = 0; i < window.cells.length; i++)
    if (window.cells[i] && land.inArea[parentIndex(window, cols, i)]) cells++;
  return { window, nodes, cells };
}

/** ORs a window's painted cells into a frame-sized array. */
export function addWindow(into: Uint8Array, frameCols: number, w: Window): void {
  for (let i = 0; i < w.cells.length; i++) if (w.cells[i]) into[parentIndex(w, frameCols, i)] = 1;
}

export const budgetOf = (tier: StationTier) => drivingBudgetS(tierMinutes(tier));

// ---------------------------------------------------------------------------------------------------
// Isochrones and circles

export interface IsochroneFigures {
  reachKm2: number;
  circleKm2: number;
  circleRadiusM: number;
  /** county land inside the circle that the road reach misses */
  overstatedKm2: number;
  overstatedPct: number;
  reachedNodes: number;
}

/** The circle's figures beside a force's road reach. */
export function compareCircle(land: Land, force: PlanForce, reach: Reach | null): IsochroneFigures {
  const radius = coverageRadiusM(tierMinutes(force.tier));
  const circle = windowOf(land.frame, bboxAround(force.lon, force.lat, radius));
  paintDisc(circle, force.lon, force.lat, radius);
  const cols = land.frame.cols;
  const reached = (p: number) => {
    if (!reach) return false;
    const w = reach.window;
    const col = (p % cols) - w.col0;
    const row = Math.floor(p / cols) - w.row0;
    return col >= 0 && row >= 0 && col < w.cols && row < w.rows && w.cells[col + row * w.cols] === 1;
  };
  let circleCells = 0;
  let over = 0;
  for (let i = 0; i < circle.cells.length; i++) {
    if (!circle.cells[i]) continue;
    const p = parentIndex(circle, cols, i);
    if (!land.inArea[p]) continue;
    circleCells++;
    if (!reached(p)) over++;
  }
  const f = land.frame;
  const circleKm2 = cellsKm2(f, circleCells);
  return {
    reachKm2: round(cellsKm2(f, reach?.cells ?? 0), 3),
    circleKm2: round(circleKm2, 3),
    circleRadiusM: Math.round(radius),
    overstatedKm2: round(cellsKm2(f, over), 3),
    overstatedPct: circleCells ? round((100 * over) / circleCells, 1) : 0,
    reachedNodes: reach?.nodes.length ?? 0,
  };
}

/** A reach as MultiPolygon coordinates (county land only). */
export function reachPolygon(land: Land, reach: Reach): [number, number][][][] {
  const cols = land.frame.cols;
  return polygons(reach.window, (v, i) => v === 1 && land.inArea[parentIndex(reach.window, cols, i)] === 1);
}

/** A force's straight-line circle (its tier's radius) painted on a window of the land's frame. */
export function circleWindow(land: Land, f: { lon: number; lat: number; tier: StationTier }): Window {
  const radius = coverageRadiusM(tierMinutes(f.tier));
  const w = windowOf(land.frame, bboxAround(f.lon, f.lat, radius));
  paintDisc(w, f.lon, f.lat, radius);
  return w;
}

/** Frame-sized masks: 1 where some of the forces reaches by road, and where some circle covers. */
export function coverageMasks<F extends { lon: number; lat: number; tier: StationTier }>(
  land: Land,
  forces: readonly F[],
  reachOf: (force: F) => Reach | null,
): { byRoad: Uint8Array; byCircle: Uint8Array } {
  const byRoad = new Uint8Array(land.frame.cells.length);
  const byCircle = new Uint8Array(land.frame.cells.length);
  for (const f of forces) {
    const r = reachOf(f);
    if (r) addWindow(byRoad, land.frame.cols, r.window);
    addWindow(byCircle, land.frame.cols, circleWindow(land, f));
  }
  return { byRoad, byCircle };
}

/** The people and land of the unit grids in scope, and the parts within reach by road and by circle. */
export function coverageTotals(
  land: Land,
  byRoad: Uint8Array,
  byCircle: Uint8Array,
  inScope: (unit: number) => boolean = () => true,
) {
  const road = new Int32Array(land.units.length);
  const circle = new Int32Array(land.units.length);
  // asked once per unit grid, not once per cell (a county is over a million cells)
  const wanted = Uint8Array.from(land.units, (_, k) => (inScope(k) ? 1 : 0));
  let roadCells = 0;
  let circleCells = 0;
  let areaCells = 0;
  for (let i = 0; i < land.unitOf.length; i++) {
    const u = land.unitOf[i]!;
    if (u < 0 || !land.inArea[i] || !wanted[u]) continue;
    areaCells++;
    if (byRoad[i]) {
      road[u]!++;
      roadCells++;
    }
    if (byCircle[i]) {
      circle[u]!++;
      circleCells++;
    }
  }
  let population = 0;
  let byRoadPop = 0;
  let byCirclePop = 0;
  land.units.forEach((u, k) => {
    if (!wanted[k]) return;
    population += u.population;
    if (u.cells) {
      byRoadPop += (u.population * road[k]!) / u.cells;
      byCirclePop += (u.population * circle[k]!) / u.cells;
    }
  });
  const share = (pop: number, cells: number) => ({
    population: round(pop),
    sharePct: population ? round((100 * pop) / population, 1) : 0,
    areaKm2: round(cellsKm2(land.frame, cells), 2),
  });
  return {
    population,
    areaKm2: round(cellsKm2(land.frame, areaCells), 2),
    byRoad: share(byRoadPop, roadCells),
    byCircle: share(byCirclePop, circleCells),
  };
}

// ---------------------------------------------------------------------------------------------------
// Gaps per grid

export interface GapInputs {
  /** frame-sized: 1 where some chosen force reaches by road */
  byRoad: Uint8Array;
  /** frame-sized: 1 inside some chosen force's circle */
  byCircle: Uint8Array;
  enterprises: { code: string; risk: 'red' | 'orange' | 'yellow' | 'blue'; lon: number; lat: number }[];
  hazards: { code: string; lon: number; lat: number }[];
}

export interface GapRow {
  code: string;
  name: string;
  level: 'town' | 'village' | 'unit';
  admin: string;
  areaKm2: number;
  uncoveredKm2: number;
  uncoveredPct: number;
  population: number;
  uncoveredPopulation: number;
  households: number;
  uncoveredHouseholds: number;
  /** people outside every circle (the straight-line picture), for comparison */
  uncoveredPopulationByCircle: number;
  enterprises: { red: number; orange: number; yellow: number; blue: number };
  uncoveredEnterprises: { red: number; orange: number; yellow: number; blue: number };
  openHazards: number;
  uncoveredOpenHazards: number;
}

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const zeroRisk = () => ({ red: 0, orange: 0, yellow: 0, blue: 0 });

/**
 * Per unit grid: its cells, people and households outside the road reach (and outside the circles),
 * its enterprises by colour and open hazards outside the reach; then summed up to villages and towns.
 */
/** Cells of each unit grid outside the road reach and outside the circles, per pair of masks. */
const outsideCounts = new WeakMap<
  Uint8Array,
  { byCircle: Uint8Array; outRoad: Int32Array; outCircle: Int32Array }
>();

function outsideCells(land: Land, byRoad: Uint8Array, byCircle: Uint8Array) {
  const kept = outsideCounts.get(byRoad);
  if (kept && kept.byCircle === byCircle) return kept;
  const n = land.units.length;
  const outRoad = new Int32Array(n);
  const outCircle = new Int32Array(n);
  const { unitOf, inArea } = land;
  for (let i = 0; i < unitOf.length; i++) {
    const u = unitOf[i]!;
    if (u < 0) continue;
    if (!byRoad[i] || !inArea[i]) outRoad[u]!++;
    if (!byCircle[i] || !inArea[i]) outCircle[u]!++;
  }
  const counts = { byCircle, outRoad, outCircle };
  outsideCounts.set(byRoad, counts);
  return counts;
}

export function gapRows(land: Land, inputs: GapInputs, level: 'town' | 'village' | 'unit'): GapRow[] {
  const n = land.units.length;
  // the masks are kept with the answers, so the per-cell pass is done once per masks (they are not
  // changed once made: a what-if paints into copies)
  const { outRoad, outCircle } = outsideCells(land, inputs.byRoad, inputs.byCircle);
  const { unitOf } = land;
  const ent = Array.from({ length: n }, zeroRisk);
  const entOut = Array.from({ length: n }, zeroRisk);
  for (const e of inputs.enterprises) {
    const i = cellAt(land.frame, e.lon, e.lat);
    const u = i >= 0 ? unitOf[i]! : -1;
    if (u < 0) continue;
    ent[u]![e.risk]++;
    if (!inputs.byRoad[i]) entOut[u]![e.risk]++;
  }
  const haz = new Int32Array(n);
  const hazOut = new Int32Array(n);
  for (const h of inputs.hazards) {
    const i = cellAt(land.frame, h.lon, h.lat);
    const u = i >= 0 ? unitOf[i]! : -1;
    if (u < 0) continue;
    haz[u]!++;
    if (!inputs.byRoad[i]) hazOut[u]!++;
  }

  const rows = new Map<string, GapRow & { cells: number; outCells: number }>();
  const f = land.frame;
  land.units.forEach((unit, u) => {
    const key = level === 'unit' ? unit.code : level === 'village' ? unit.village : unit.town;
    if (!key) return;
    const grid = land.grids.get(key);
    let row = rows.get(key);
    if (!row) {
      row = {
        code: key,
        name: grid?.name ?? key,
        level,
        admin: grid?.admin ?? unit.admin,
        areaKm2: 0,
        uncoveredKm2: 0,
        uncoveredPct: 0,
        population: 0,
        uncoveredPopulation: 0,
        households: 0,
        uncoveredHouseholds: 0,
        uncoveredPopulationByCircle: 0,
        enterprises: zeroRisk(),
        uncoveredEnterprises: zeroRisk(),
        openHazards: 0,
        uncoveredOpenHazards: 0,
        cells: 0,
        outCells: 0,
      };
      rows.set(key, row);
    }
    const share = unit.cells ? outRoad[u]! / unit.cells : 1;
    const circleShare = unit.cells ? outCircle[u]! / unit.cells : 1;
    row.cells += unit.cells;
    row.outCells += outRoad[u]!;
    row.population += unit.population;
    row.households += unit.households;
    row.uncoveredPopulation += unit.population * share;
    row.uncoveredHouseholds += unit.households * share;
    row.uncoveredPopulationByCircle += unit.population * circleShare;
    for (const c of ['red', 'orange', 'yellow', 'blue'] as const) {
      row.enterprises[c] += ent[u]![c];
      row.uncoveredEnterprises[c] += entOut[u]![c];
    }
    row.openHazards += haz[u]!;
    row.uncoveredOpenHazards += hazOut[u]!;
  });
  return [...rows.values()].map(({ cells, outCells, ...row }) => ({
    ...row,
    areaKm2: round(cellsKm2(f, cells), 3),
    uncoveredKm2: round(cellsKm2(f, outCells), 3),
    uncoveredPct: cells ? round((100 * outCells) / cells, 1) : 0,
    uncoveredPopulation: round(row.uncoveredPopulation),
    uncoveredHouseholds: round(row.uncoveredHouseholds),
    uncoveredPopulationByCircle: round(row.uncoveredPopulationByCircle),
  }));
}

/** Gap rows first by people left out, then high-risk enterprises left out, then code. */
export function rankGaps(rows: GapRow[]): GapRow[] {
  const highRisk = (r: GapRow) => r.uncoveredEnterprises.red + r.uncoveredEnterprises.orange;
  return rows.sort(
    (a, b) =>
      b.uncoveredPopulation - a.uncoveredPopulation ||
      highRisk(b) - highRisk(a) ||
      b.uncoveredKm2 - a.uncoveredKm2 ||
      a.code.localeCompare(b.code),
  );
}

/** Each grid's land outside the road reach, as MultiPolygon coordinates, by grid code at `level`. */
export function uncoveredByGrid(
  land: Land,
  byRoad: Uint8Array,
  level: 'town' | 'village' | 'unit',
  wanted: ReadonlySet<string>,
): Map<string, [number, number][][][]> {
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const keyOfUnit = land.units.map((u) => {
    const key = level === 'unit' ? u.code : level === 'village' ? u.village : u.town;
    if (!key || !wanted.has(key)) return -1;
    let k = keyIndex.get(key);
    if (k === undefined) {
      k = keys.length;
      keys.push(key);
      keyIndex.set(key, k);
    }
    return k;
  });
  const f = land.frame;
  const boxes = keys.map(() => [Infinity, Infinity, -Infinity, -Infinity]);
  for (let i = 0; i < land.unitOf.length; i++) {
    const u = land.unitOf[i]!;
    if (u < 0 || keyOfUnit[u] === -1 || byRoad[i] || !land.inArea[i]) continue;
    const box = boxes[keyOfUnit[u]!]!;
    const col = i % f.cols;
    const row = (i - col) / f.cols;
    if (col < box[0]!) box[0] = col;
    if (row < box[1]!) box[1] = row;
    if (col > box[2]!) box[2] = col;
    if (row > box[3]!) box[3] = row;
  }
  const out = new Map<string, [number, number][][][]>();
  keys.forEach((key, k) => {
    const box = boxes[k]!;
    if (box[0] === Infinity) {
      out.set(key, []);
      return;
    }
    const w = windowOf(f, [
      f.west + (box[0]! + 0.5) * f.dLon,
      f.south + (box[1]! + 0.5) * f.dLat,
      f.west + (box[2]! + 0.5) * f.dLon,
      f.south + (box[3]! + 0.5) * f.dLat,
    ]);
    for (let i = 0; i < w.cells.length; i++) {
      const p = parentIndex(w, f.cols, i);
      const u = land.unitOf[p]!;
      if (u >= 0 && keyOfUnit[u] === k && !byRoad[p] && land.inArea[p]) w.cells[i] = 1;
    }
    out.set(
      key,
      polygons(w, (v) => v === 1),
    );
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Service districts and the 建标152-2017 verdicts

export interface DistrictFigures {
  /** index into the forces passed in */
  force: number;
  cells: number;
  areaKm2: number;
  /** the longest drive to any road point of the district, s (its edge, in time) */
  edgeDriveS: number;
  window: Window | null;
}

/**
 * Every road point and every cell of the county assigned to the force that reaches it first by road:
 * road nodes by one search from all forces, points along each edge (one per cell) to whichever end
 * gives the earlier arrival, and cells away from the roads to the nearest road cell (4-neighbour
 * flood fill: nearest in city-block distance, so a cell's owner is the road straight across from it
 * before one diagonally away).
 */
export function serviceDistricts(
  land: Land,
  engine: RoutingEngine,
  origins: Snap[],
): { figures: DistrictFigures[]; owner: Int32Array } {
  const g = engine.graph;
  const f = land.frame;
  const { owner: nodeOwner, costS: nodeCost } = engine.districts(origins);
  const owner = new Int32Array(f.cells.length).fill(-1);
  const best = new Float64Array(f.cells.length).fill(Infinity);
  const edgeDrive = new Float64Array(origins.length);
  const { coords, coordStart, costS, reverseCostS } = g.edges;
  const claim = (lon: number, lat: number, who: number, t: number) => {
    if (who < 0 || !Number.isFinite(t)) return;
    if (t > edgeDrive[who]!) edgeDrive[who] = t;
    const i = cellAt(f, lon, lat);
    if (i >= 0 && t < best[i]!) {
      best[i] = t;
      owner[i] = who;
    }
  };
  for (let e = 0; e < g.edgeCount; e++) {
    const a = g.from[e]!;
    const b = g.to[e]!;
    const first = coordStart[e]!;
    const last = coordStart[e + 1]! - 1;
    const total = g.vertexM[last]! - g.vertexM[first]!;
    // where two districts meet inside a two-way edge, both forces arrive at the same moment: that is
    // the edge of both districts in time
    const oa = nodeOwner[a]!;
    const ob = nodeOwner[b]!;
    if (oa >= 0 && ob >= 0 && oa !== ob && costS[e]! >= 0 && reverseCostS[e]! >= 0) {
      const c = costS[e]!;
      const r = reverseCostS[e]!;
      const meet = c + r > 0 ? Math.min(1, Math.max(0, (nodeCost[b]! + r - nodeCost[a]!) / (c + r))) : 0;
      const t = nodeCost[a]! + meet * c;
      if (t > edgeDrive[oa]!) edgeDrive[oa] = t;
      if (t > edgeDrive[ob]!) edgeDrive[ob] = t;
    }
    const steps = Math.max(1, Math.ceil(total / f.cellM));
    for (let k = 0; k <= steps; k++) {
      const t = k / steps;
      // arrival at fraction t from the source end (driving forward) or from the target end (backward)
      const fromA = costS[e]! >= 0 ? nodeCost[a]! + t * costS[e]! : Infinity;
      const fromB = reverseCostS[e]! >= 0 ? nodeCost[b]! + (1 - t) * reverseCostS[e]! : Infinity;
      const who = fromA <= fromB ? nodeOwner[a]! : nodeOwner[b]!;
      // the point's position: walk the drawn vertices
      const along = g.vertexM[first]! + t * total;
      let v = first;
      while (v < last - 1 && g.vertexM[v + 1]! < along) v++;
      const seg = g.vertexM[v + 1]! - g.vertexM[v]!;
      const s = seg > 0 ? (along - g.vertexM[v]!) / seg : 0;
      const lon = coords[2 * v]! + s * (coords[2 * v + 2]! - coords[2 * v]!);
      const lat = coords[2 * v + 1]! + s * (coords[2 * v + 3]! - coords[2 * v + 1]!);
      claim(lon, lat, who, Math.min(fromA, fromB));
    }
  }
  // flood the rest of the county from the road cells
  const { cols, rows } = f;
  const queue = new Int32Array(f.cells.length);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < owner.length; i++) if (owner[i]! >= 0) queue[tail++] = i;
  while (head < tail) {
    const i = queue[head++]!;
    const col = i % cols;
    const row = (i - col) / cols;
    for (let k = 0; k < 4; k++) {
      const c = col + (k === 0 ? -1 : k === 1 ? 1 : 0);
      const r = row + (k === 2 ? -1 : k === 3 ? 1 : 0);
      if (c < 0 || r < 0 || c >= cols || r >= rows) continue;
      const j = c + r * cols;
      if (owner[j]! >= 0 || !land.inArea[j]) continue;
      owner[j] = owner[i]!;
      queue[tail++] = j;
    }
  }

  const cells = new Int32Array(origins.length);
  const boxes = origins.map(() => [Infinity, Infinity, -Infinity, -Infinity]);
  for (let i = 0; i < owner.length; i++) {
    const o = owner[i]!;
    if (o < 0 || !land.inArea[i]) continue;
    cells[o]!++;
    const col = i % cols;
    const row = (i - col) / cols;
    const box = boxes[o]!;
    if (col < box[0]!) box[0] = col;
    if (row < box[1]!) box[1] = row;
    if (col > box[2]!) box[2] = col;
    if (row > box[3]!) box[3] = row;
  }
  const figures = origins.map((_, o): DistrictFigures => {
    const box = boxes[o]!;
    let window: Window | null = null;
    if (cells[o]! > 0) {
      window = windowOf(f, [
        f.west + (box[0]! + 0.5) * f.dLon,
        f.south + (box[1]! + 0.5) * f.dLat,
        f.west + (box[2]! + 0.5) * f.dLon,
        f.south + (box[3]! + 0.5) * f.dLat,
      ]);
      for (let i = 0; i < window.cells.length; i++) {
        const p = parentIndex(window, cols, i);
        if (owner[p] === o && land.inArea[p]) window.cells[i] = 1;
      }
    }
    return {
      force: o,
      cells: cells[o]!,
      areaKm2: round(cellsKm2(f, cells[o]!), 3),
      edgeDriveS: round(edgeDrive[o]!, 1),
      window,
    };
  });
  return { figures, owner };
}

export interface Verdict {
  pass: boolean;
  area: { km2: number; maxKm2: number; pass: boolean };
  edge: { minutes: number; maxMinutes: number; pass: boolean };
  reasons: string[];
}

/**
 * 建标152-2017 for one rescue station's district: its area within the class's limit (7 / 4 / 2 / 15 km²),
 * and its edge reached within 5 minutes of the order (the turnout plus the longest drive in it).
 */
export function districtVerdict(
  stationClass: RescueStationClass,
  areaKm2: number,
  edgeDriveS: number,
  turnoutMin: number,
): Verdict {
  const maxKm2 = STATION_DISTRICT_MAX_KM2[stationClass];
  const minutes = round(turnoutMin + edgeDriveS / 60, 2);
  const area = { km2: areaKm2, maxKm2, pass: areaKm2 <= maxKm2 };
  const edge = {
    minutes,
    maxMinutes: RESCUE_STATION_RESPONSE_MIN,
    pass: minutes <= RESCUE_STATION_RESPONSE_MIN,
  };
  const reasons: string[] = [];
  if (!area.pass) reasons.push(`district ${areaKm2} km² exceeds ${maxKm2} km² for a ${stationClass} station`);
  if (!edge.pass)
    reasons.push(
      `the district's farthest road is ${minutes} min from the order (${turnoutMin} min turnout + ` +
        `${round(edgeDriveS / 60, 2)} min driving), over ${RESCUE_STATION_RESPONSE_MIN} min`,
    );
  return { pass: area.pass && edge.pass, area, edge, reasons };
}

/** A window's painted cells as MultiPolygon coordinates. */
export const windowPolygon = (w: Window): [number, number][][][] => polygons(w, (v) => v === 1);

export type { Raster };

// ---------------------------------------------------------------------------------------------------
// Siting: where new stations help most

/** Per cell of the frame: the people of its unit grid's share, and its red and orange enterprises. */
export function cellWeights(
  land: Land,
  enterprises: readonly { risk: string; lon: number; lat: number }[],
  inScope: (unit: number) => boolean = () => true,
): { population: Float32Array; highRisk: Float32Array } {
  const population = new Float32Array(land.frame.cells.length);
  const highRisk = new Float32Array(land.frame.cells.length);
  for (let i = 0; i < land.unitOf.length; i++) {
    const u = land.unitOf[i]!;
    if (u < 0 || !inScope(u)) continue;
    const unit = land.units[u]!;
    if (unit.cells) population[i] = unit.population / unit.cells;
  }
  for (const e of enterprises) {
    if (e.risk !== 'red' && e.risk !== 'orange') continue;
    const i = cellAt(land.frame, e.lon, e.lat);
    if (i >= 0 && land.unitOf[i]! >= 0 && inScope(land.unitOf[i]!)) highRisk[i]! += 1;
  }
  return { population, highRisk };
}

export interface SitingStep {
  /** index into the candidates */
  candidate: number;
  gainPopulation: number;
  gainHighRisk: number;
}

/**
 * Greedy maximal covering (Church & ReVelle's problem, solved greedily): k times, the candidate whose
 * reach covers the most weight not yet covered, which then counts as covered. Coverage is a monotone
 * submodular function, so the greedy choice covers at least 1 − 1/e ≈ 63% of what the best k sites
 * could (Nemhauser, Wolsey & Fisher 1978). Ties go to the earlier candidate.
 */
export const greedySiting = (...args: Parameters<typeof greedySitingSteps>): SitingStep[] => [
  ...greedySitingSteps(...args),
];

/** The greedy steps one at a time (the planner reports and yields between them). */
export function* greedySitingSteps(
  land: Land,
  covered: Uint8Array,
  reaches: readonly (Window | null)[],
  k: number,
  weights: { population: Float32Array; highRisk: Float32Array },
  objective: 'population' | 'high_risk',
): Generator<SitingStep, void, void> {
  const now = covered.slice();
  const cols = land.frame.cols;
  const gain = (w: Window) => {
    let population = 0;
    let highRisk = 0;
    for (let i = 0; i < w.cells.length; i++) {
      if (!w.cells[i]) continue;
      const p = parentIndex(w, cols, i);
      if (now[p] || !land.inArea[p]) continue;
      population += weights.population[p]!;
      highRisk += weights.highRisk[p]!;
    }
    return { population, highRisk };
  };
  // Lazy greedy (Minoux 1978, "CELF"): what a candidate adds only shrinks as more is covered (the sums
  // run over fewer of the same non-negative terms, so also in floating point), so its last computed
  // gain bounds its gain now. Only the candidate on top is computed again, until the one on top is
  // current; it is then the same choice as computing every candidate every step, ties included.
  interface Entry {
    candidate: number;
    population: number;
    highRisk: number;
    /** ordered by: first key, second key (descending), candidate (ascending) */
    first: number;
    second: number;
    step: number;
  }
  const keyed = (e: Entry) => {
    e.first = objective === 'population' ? e.population : e.highRisk;
    e.second = objective === 'population' ? e.highRisk : e.population;
    return e;
  };
  const before = (x: Entry, y: Entry) =>
    x.first > y.first ||
    (x.first === y.first && (x.second > y.second || (x.second === y.second && x.candidate < y.candidate)));
  const heap: Entry[] = [];
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && before(heap[l]!, heap[top]!)) top = l;
      if (r < heap.length && before(heap[r]!, heap[top]!)) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  };
  reaches.forEach((w, candidate) => {
    if (w) heap.push(keyed({ candidate, ...gain(w), first: 0, second: 0, step: 0 }));
  });
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let step = 0; step < k; step++) {
    while (heap.length > 0 && heap[0]!.step !== step) {
      const top = heap[0]!;
      Object.assign(top, gain(reaches[top.candidate]!), { step });
      keyed(top);
      siftDown(0);
    }
    const best = heap[0];
    if (!best || (best.population <= 0 && best.highRisk <= 0)) return;
    heap[0] = heap[heap.length - 1]!;
    heap.pop();
    siftDown(0);
    addWindow(now, cols, reaches[best.candidate]!);
    yield { candidate: best.candidate, gainPopulation: best.population, gainHighRisk: best.highRisk };
  }
}
