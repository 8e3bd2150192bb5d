/**
 * Unit grids (单元网格): each village split into cells of about 1,000 residents (about 300 households),
 * so urban units are small and rural ones large. Cells are power diagrams relaxed on population-weighted
 * samples, clipped to the village; their populations add up exactly to the village's.
 */
import type { LocalProjection, Polygonal, XY } from './geo.ts';
import { ringsXY, type VillageArea } from './admin.ts';
import { areaM2, partitionPolygon } from './partition.ts';
import { assignSamples, relaxPower, type Site } from './power.ts';
import type { Rng } from './prng.ts';
import { farthestPoints, gridSamples } from './sampling.ts';
import { PolygonIndex } from './spatial.ts';
import type { UrbanModel } from './urban.ts';

/** Target residents per unit grid (DOMAIN.md: about 1,000 people or 300 households). */
export const UNIT_TARGET_PEOPLE = 1000;

export interface UnitArea {
  village: VillageArea;
  /** 1-based number within the village. */
  index: number;
  geometry: Polygonal;
  population: number;
  households: number;
  /** Seed of the cell, planar metres (inside the unit). */
  centre: XY;
}

/** Split `total` into integers proportional to `shares` (largest remainder; exact sum). */
export function apportion(total: number, shares: readonly number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const raw = shares.map((s) => (sum > 0 ? (s / sum) * total : total / shares.length));
  const out = raw.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k]![1]]!++;
  return out;
}

export function buildUnits(
  villages: readonly VillageArea[],
  proj: LocalProjection,
  urban: UrbanModel,
  rng: Rng,
  log: (m: string) => void,
): UnitArea[] {
  const units: UnitArea[] = [];
  for (const v of villages) units.push(...unitsOfVillage(v, proj, urban, rng.fork(v.def.code)));
  log(`unit grids: ${units.length}`);
  return units;
}

function householdSize(v: VillageArea, rng: Rng): number {
  // urban households are smaller than rural ones; about 2.8 on average
  return 2.6 + 0.45 * (1 - v.urbanShare) + rng.range(-0.12, 0.12);
}

function unitsOfVillage(v: VillageArea, proj: LocalProjection, urban: UrbanModel, rng: Rng): UnitArea[] {
  const k = Math.max(1, Math.round(v.population / UNIT_TARGET_PEOPLE));
  if (k === 1) {
    const households = Math.max(1, Math.round(v.population / householdSize(v, rng)));
    return [
      { village: v, index: 1, geometry: v.geometry, population: v.population, households, centre: v.centre },
    ];
  }
  const idx = new PolygonIndex(ringsXY(v.geometry, proj));
  const area = areaM2(v.geometry, proj);
  let spacing = Math.max(6, Math.min(200, Math.sqrt(area / (60 * k))));
  let ps = gridSamples(idx, spacing, rng.fork('samples'));
  while (ps.x.length < 8 * k && spacing > 2) {
    spacing /= 2;
    ps = gridSamples(idx, spacing, rng.fork(`samples-${spacing}`));
  }
  const n = ps.x.length;
  const cellArea = ps.spacing * ps.spacing;
  const w = new Float64Array(n);
  for (let s = 0; s < n; s++) w[s] = urban.density(ps.x[s]!, ps.y[s]!) * cellArea + 1e-6;
  const all = Array.from({ length: n }, (_, s) => s);
  const picks = farthestPoints(ps.x, ps.y, all, k, [], rng.fork('seeds'));
  const sites: Site[] = picks.map((s) => ({ x: ps.x[s]!, y: ps.y[s]!, w: 0 }));
  const targets = sites.map(() => rng.range(0.85, 1.15));
  const samples = { x: ps.x, y: ps.y, w, cellArea };
  relaxPower(sites, samples, { iterations: 35, targets, move: sites.map(() => 0.8) });
  const geoms = partitionPolygon(v.geometry, proj, sites, `${v.def.name} units`);
  const owner = assignSamples(sites, samples);
  const cap = new Float64Array(k);
  for (let s = 0; s < n; s++) cap[owner[s]!]! += w[s]!;
  const capSum = cap.reduce((a, b) => a + b, 0);
  const tSum = targets.reduce((a, b) => a + b, 0);
  const shares = targets.map((t, i) => 0.5 * (t / tSum) + 0.5 * (cap[i]! / capSum));
  const pops = apportion(v.population, shares);
  // number the cells north-west to south-east (rows of about 300 m)
  const order = sites
    .map((s, i) => ({ i, row: Math.round(-s.y / 300), x: s.x }))
    .sort((a, b) => a.row - b.row || a.x - b.x || a.i - b.i)
    .map((o) => o.i);
  return order.map((i, n) => ({
    village: v,
    index: n + 1,
    geometry: geoms[i]!,
    population: pops[i]!,
    households: Math.max(1, Math.round(pops[i]! / householdSize(v, rng))),
    centre: [sites[i]!.x, sites[i]!.y] as XY,
  }));
}
