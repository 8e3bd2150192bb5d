/**
 * Township and village polygons: the real names and codes, with generated boundaries.
 *
 * Townships tile the district: power-diagram cells of one seed per township, relaxed so each cell gets
 * an area in proportion to its villages; subdistricts (街道) cluster around the urban core, towns
 * spread over the countryside. Villages tile their township the same way, communities (居委会) near
 * the town centre and villages (村委会) around them.
 */
import { polygonsOf, type LocalProjection, type Polygonal, type XY } from './geo.ts';
import { areaM2, partitionPolygon } from './partition.ts';
import { relaxPower, type Samples, type Site } from './power.ts';
import type { DistrictInput, TownshipDef, VillageDef } from './reference.ts';
import type { Rng } from './prng.ts';
import { farthestPoints, gridSamples } from './sampling.ts';
import { PolygonIndex } from './spatial.ts';
import {
  CORE_DENSITY_PER_KM2,
  CORE_PEOPLE_PER_COMMUNITY,
  FRINGE_M,
  UrbanModel,
  makeCentre,
  type Centre,
} from './urban.ts';

export interface TownArea {
  def: TownshipDef;
  geometry: Polygonal;
  /** Centre of the township (town seat, or a point near the middle), planar metres. */
  centre: XY;
  /** Part of the urban core group (subdistricts and the seat town). */
  coreGroup: boolean;
  /** Index of this town's centre in UrbanModel.centres, or -1. */
  centreIndex: number;
}

export interface VillageArea {
  def: VillageDef;
  town: TownArea;
  geometry: Polygonal;
  centre: XY;
  /** Residents (integer), from the density field. */
  population: number;
  /** Share of the village's samples in built-up zones (levels 1–2). */
  urbanShare: number;
}

export interface AdminLayout {
  districtIndex: PolygonIndex;
  districtAreaM2: number;
  core: XY;
  urban: UrbanModel;
  towns: TownArea[];
  villages: VillageArea[];
  /** District-wide samples used for calibration, planar metres. */
  samples: { x: Float64Array; y: Float64Array; cellArea: number };
}

const FARM_RE = /农场|林场|茶场|种场|试验场|原种场|蚕种场|园艺/;
const PARK_RE = /化学工业|化工|产业园|工业园|新材料/;
const ZONE_RE = /开发区|高新|园区|新区|商务区|度假区|物流/;

export function communityCount(t: TownshipDef): number {
  return t.villages.filter((v) => v.kind === 'community').length;
}

/** Rings of a lon/lat (Multi)Polygon in planar metres. */
export function ringsXY(geom: Polygonal, proj: LocalProjection): XY[][] {
  return polygonsOf(geom).flatMap((p) => p.map((r) => proj.ringToXY(r)));
}

function pickCore(
  input: DistrictInput,
  proj: LocalProjection,
  idx: PolygonIndex,
  xs: Float64Array,
  ys: Float64Array,
): XY {
  if (input.seat) {
    const [x, y] = proj.toXY(input.seat[0], input.seat[1]);
    // inside, and at least 1 km from the boundary (checked on a ring of probe points)
    let ok = idx.contains(x, y);
    for (let a = 0; a < 8 && ok; a++) ok = idx.contains(x + 1000 * Math.cos(a), y + 1000 * Math.sin(a));
    if (ok) return [x, y];
  }
  let mx = 0;
  let my = 0;
  for (let k = 0; k < xs.length; k++) {
    mx += xs[k]!;
    my += ys[k]!;
  }
  mx /= xs.length;
  my /= ys.length;
  let best = 0;
  let bestD = Infinity;
  for (let k = 0; k < xs.length; k++) {
    const d = (xs[k]! - mx) ** 2 + (ys[k]! - my) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return [xs[best]!, ys[best]!];
}

/** Owned sample closest to (x, y), or (x, y) itself when the owner has none. */
function nearestOwned(
  xs: Float64Array,
  ys: Float64Array,
  owner: Int32Array,
  who: number,
  x: number,
  y: number,
): XY {
  let best = -1;
  let bestD = Infinity;
  for (let k = 0; k < xs.length; k++) {
    if (owner[k] !== who) continue;
    const d = (xs[k]! - x) ** 2 + (ys[k]! - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best < 0 ? [x, y] : [xs[best]!, ys[best]!];
}

export function buildAdmin(
  input: DistrictInput,
  proj: LocalProjection,
  rng: Rng,
  log: (m: string) => void,
): AdminLayout {
  const dRings = ringsXY(input.geometry, proj);
  const districtIndex = new PolygonIndex(dRings);
  const districtAreaM2 = areaM2(input.geometry, proj);
  const s0 = Math.sqrt(districtAreaM2 / 25000);
  const ds = gridSamples(districtIndex, s0, rng.fork('district-samples'));
  const cellArea = s0 * s0;
  const core = pickCore(input, proj, districtIndex, ds.x, ds.y);

  // --- townships --------------------------------------------------------------------------------
  const defs = input.townships;
  const seatIdx = defs.reduce(
    (best, t, i) => (communityCount(t) > communityCount(defs[best]!) ? i : best),
    0,
  );
  const coreGroup = defs.map((t, i) => i === seatIdx || t.kind === 'subdistrict');
  const coreCommunities = defs.reduce((s, t, i) => s + (coreGroup[i] ? communityCount(t) : 0), 0);
  const urbanPop = Math.max(60_000, coreCommunities * CORE_PEOPLE_PER_COMMUNITY);
  const coreRadius = Math.min(9000, Math.sqrt(urbanPop / (Math.PI * (CORE_DENSITY_PER_KM2 / 1e6))));
  let coreSamples = 0;
  for (let k = 0; k < ds.x.length; k++)
    if (Math.hypot(ds.x[k]! - core[0], ds.y[k]! - core[1]) < coreRadius) coreSamples++;
  const coreArea = Math.max(coreSamples * cellArea, 1e6);
  const perCoreCommunity = coreArea / Math.max(1, coreCommunities);

  const villageEquiv = (t: TownshipDef, i: number): { comm: number; vil: number } => {
    const comm = communityCount(t);
    const vil = t.villages.length - comm;
    if (coreGroup[i]) return { comm: comm * perCoreCommunity, vil };
    if (FARM_RE.test(t.name)) return { comm: 0, vil: vil + 5 };
    if (PARK_RE.test(t.name) || ZONE_RE.test(t.name)) return { comm: comm * 0.6e6, vil: vil + 2 };
    return { comm: comm * 0.6e6, vil };
  };
  const eq = defs.map(villageEquiv);
  const commTotal = eq.reduce((s, e) => s + e.comm, 0);
  const vilTotal = eq.reduce((s, e) => s + e.vil, 0);
  const perVillage = Math.max(0.5e6, (districtAreaM2 - commTotal) / Math.max(1, vilTotal));
  const townRng = rng.fork('towns');
  const targets = eq.map((e) => (e.comm + e.vil * perVillage) * townRng.range(0.9, 1.1));

  // Stage 1: one fixed super-site at the core for the seat and the purely urban subdistricts, plus every
  // other township (subdistricts with villages, parks and development zones near the core, towns farther out).
  const isUrbanOnly = (t: TownshipDef): boolean => communityCount(t) >= 0.5 * t.villages.length;
  const coreIdx = defs
    .map((_, i) => i)
    .filter((i) => i === seatIdx || (coreGroup[i] && isUrbanOnly(defs[i]!)));
  const otherIdx = defs.map((_, i) => i).filter((i) => !coreIdx.includes(i));
  const coreTarget = Math.max(
    coreIdx.reduce((s, i) => s + targets[i]!, 0),
    Math.PI * (coreRadius + 300) ** 2,
  );
  const sites1: Site[] = [{ x: core[0], y: core[1], w: 0 }];
  const fixed: XY[] = [core];
  const near = otherIdx.filter(
    (i) => coreGroup[i] || PARK_RE.test(defs[i]!.name) || ZONE_RE.test(defs[i]!.name),
  );
  const rural = otherIdx.filter((i) => !near.includes(i));
  const ring2: number[] = [];
  const outer: number[] = [];
  for (let k = 0; k < ds.x.length; k++) {
    const d = Math.hypot(ds.x[k]! - core[0], ds.y[k]! - core[1]);
    if (d > coreRadius + 2000 && d < coreRadius + 6000) ring2.push(k);
    if (d > coreRadius + 3000) outer.push(k);
  }
  const seedOf = new Map<number, Site>();
  const placeFrom = (members: number[], pool: number[]): void => {
    const src = pool.length >= members.length ? pool : Array.from({ length: ds.x.length }, (_, k) => k);
    const picks = farthestPoints(ds.x, ds.y, src, members.length, fixed, townRng);
    members.forEach((i, n) => {
      const k = picks[n] ?? n;
      seedOf.set(i, { x: ds.x[k]!, y: ds.y[k]!, w: 0 });
      fixed.push([ds.x[k]!, ds.y[k]!]);
    });
  };
  placeFrom(near, ring2);
  placeFrom(rural, outer);
  for (const i of otherIdx) sites1.push(seedOf.get(i)!);
  const targets1 = [coreTarget, ...otherIdx.map((i) => targets[i]!)];
  const move1 = [0, ...otherIdx.map(() => 0.8)];
  const samples: Samples = { x: ds.x, y: ds.y, w: new Float64Array(ds.x.length).fill(cellArea), cellArea };
  relaxPower(sites1, samples, { iterations: 70, targets: targets1, move: move1 });
  const geoms1 = partitionPolygon(input.geometry, proj, sites1, `${input.name} townships`);
  const owner1 = new Int32Array(ds.x.length);
  for (let k = 0; k < ds.x.length; k++) owner1[k] = ownerIndex(sites1, ds.x[k]!, ds.y[k]!);

  // Stage 2: split the core group's area among its townships, the seat fixed at the core.
  const townGeoms: Polygonal[] = new Array<Polygonal>(defs.length);
  const sites: Site[] = new Array<Site>(defs.length);
  const owner = new Int32Array(ds.x.length).fill(-1);
  otherIdx.forEach((i, n) => {
    townGeoms[i] = geoms1[n + 1]!;
    sites[i] = sites1[n + 1]!;
  });
  for (let k = 0; k < ds.x.length; k++) if (owner1[k]! > 0) owner[k] = otherIdx[owner1[k]! - 1]!;
  if (coreIdx.length === 1) {
    townGeoms[seatIdx] = geoms1[0]!;
    sites[seatIdx] = { x: core[0], y: core[1], w: 0 };
    for (let k = 0; k < ds.x.length; k++) if (owner1[k] === 0) owner[k] = seatIdx;
  } else {
    const ks: number[] = [];
    for (let k = 0; k < ds.x.length; k++) if (owner1[k] === 0) ks.push(k);
    const cx = Float64Array.from(ks, (k) => ds.x[k]!);
    const cy = Float64Array.from(ks, (k) => ds.y[k]!);
    const ringMembers = coreIdx.filter((i) => i !== seatIdx);
    const a0 = townRng.range(0, 2 * Math.PI);
    const sites2: Site[] = coreIdx.map((i) => {
      if (i === seatIdx) return { x: core[0], y: core[1], w: 0 };
      const n = ringMembers.indexOf(i);
      const angle = a0 + (2 * Math.PI * n) / ringMembers.length;
      const r = coreRadius * (ringMembers.length > 6 && n % 2 === 1 ? 1.1 : 0.75);
      const p = nearestSample(cx, cy, core[0] + r * Math.cos(angle), core[1] + r * Math.sin(angle));
      return { x: p[0], y: p[1], w: 0 };
    });
    relaxPower(
      sites2,
      { x: cx, y: cy, w: new Float64Array(ks.length).fill(cellArea), cellArea },
      {
        iterations: 60,
        targets: coreIdx.map((i) => targets[i]!),
        move: coreIdx.map((i) => (i === seatIdx ? 0 : 0.4)),
      },
    );
    const geoms2 = partitionPolygon(geoms1[0]!, proj, sites2, `${input.name} core townships`);
    coreIdx.forEach((i, n) => {
      townGeoms[i] = geoms2[n]!;
      sites[i] = sites2[n]!;
    });
    for (const k of ks) owner[k] = coreIdx[ownerIndex(sites2, ds.x[k]!, ds.y[k]!)]!;
  }
  log(
    `townships: ${defs.length} (core group ${coreGroup.filter(Boolean).length}, core radius ${(coreRadius / 1000).toFixed(1)} km)`,
  );

  // --- centres and the urban model --------------------------------------------------------------
  const centreRng = rng.fork('centres');
  const centres: Centre[] = [
    makeCentre('core', defs[seatIdx]!.code, core[0], core[1], coreRadius, urbanPop, centreRng),
  ];
  const towns: TownArea[] = defs.map((def, i) => {
    const toward: XY = coreGroup[i] ? core : [sites[i]!.x, sites[i]!.y];
    const centre: XY = i === seatIdx ? core : nearestOwned(ds.x, ds.y, owner, i, toward[0], toward[1]);
    return {
      def,
      geometry: townGeoms[i]!,
      centre,
      coreGroup: coreGroup[i]!,
      centreIndex: coreGroup[i] ? 0 : -1,
    };
  });
  let parkTown = towns.findIndex((t) => !t.coreGroup && PARK_RE.test(t.def.name));
  if (parkTown < 0) parkTown = towns.findIndex((t) => !t.coreGroup && ZONE_RE.test(t.def.name));
  for (const t of towns) {
    if (t.coreGroup) continue;
    const comm = communityCount(t.def);
    const isPark = towns.indexOf(t) === parkTown;
    let pop = comm * 4000 + 4000;
    if (FARM_RE.test(t.def.name)) pop = 1500 + comm * 2000;
    if (isPark) pop = 2500 + comm * 2000;
    else if (ZONE_RE.test(t.def.name)) pop = 3000 + comm * 3000;
    const radius = isPark ? 1700 : Math.max(650, Math.min(1600, Math.sqrt(pop / (Math.PI * 3500e-6))));
    t.centreIndex = centres.length;
    centres.push(
      makeCentre(isPark ? 'park' : 'town', t.def.code, t.centre[0], t.centre[1], radius, pop, centreRng),
    );
  }
  if (parkTown < 0) {
    // No park township: put an industrial park just outside the core, away from town centres.
    let best: XY = [core[0] + coreRadius + 3000, core[1]];
    let bestScore = -Infinity;
    for (let a = 0; a < 24; a++) {
      const ang = (a / 24) * 2 * Math.PI;
      const r = coreRadius + FRINGE_M + 2200;
      const x = core[0] + r * Math.cos(ang);
      const y = core[1] + r * Math.sin(ang);
      let ok = districtIndex.contains(x, y);
      for (let b = 0; b < 8 && ok; b++)
        ok = districtIndex.contains(x + 1500 * Math.cos(b), y + 1500 * Math.sin(b));
      if (!ok) continue;
      const score = Math.min(...centres.slice(1).map((c) => Math.hypot(c.x - x, c.y - y) - c.radius), 1e9);
      if (score > bestScore) {
        bestScore = score;
        best = [x, y];
      }
    }
    const host = ownerIndex(sites, best[0], best[1]);
    centres.push(makeCentre('park', defs[host]!.code, best[0], best[1], 1500, 2500, centreRng));
  }
  const urban = new UrbanModel(centres, rng.fork('urban'));
  urban.calibrate(ds.x, ds.y, cellArea);

  // --- villages ---------------------------------------------------------------------------------
  const villages: VillageArea[] = [];
  const vRng = rng.fork('villages');
  for (const town of towns) villages.push(...buildVillages(town, proj, urban, vRng.fork(town.def.code)));
  log(`villages: ${villages.length}`);
  return {
    districtIndex,
    districtAreaM2,
    core,
    urban,
    towns,
    villages,
    samples: { x: ds.x, y: ds.y, cellArea },
  };
}

function ownerIndex(sites: readonly Site[], x: number, y: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < sites.length; i++) {
    const s = sites[i]!;
    const d = (x - s.x) ** 2 + (y - s.y) ** 2 - s.w;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

function nearestSample(xs: Float64Array, ys: Float64Array, x: number, y: number): XY {
  let best = 0;
  let bestD = Infinity;
  for (let k = 0; k < xs.length; k++) {
    const d = (xs[k]! - x) ** 2 + (ys[k]! - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return [xs[best]!, ys[best]!];
}

function buildVillages(town: TownArea, proj: LocalProjection, urban: UrbanModel, rng: Rng): VillageArea[] {
  const defs = town.def.villages;
  const idx = new PolygonIndex(ringsXY(town.geometry, proj));
  const area = areaM2(town.geometry, proj);
  const spacing = Math.max(20, Math.min(300, Math.sqrt(area / (150 * defs.length))));
  let ps = gridSamples(idx, spacing, rng.fork('samples'));
  if (ps.x.length < defs.length * 4) ps = gridSamples(idx, spacing / 3, rng.fork('samples-fine'));
  const n = ps.x.length;
  const cellArea = ps.spacing * ps.spacing;
  const level = new Uint8Array(n);
  for (let k = 0; k < n; k++) level[k] = urban.zoneAt(ps.x[k]!, ps.y[k]!).level;
  const urbanKs: number[] = [];
  const ruralKs: number[] = [];
  for (let k = 0; k < n; k++) (level[k]! <= (town.coreGroup ? 1 : 2) ? urbanKs : ruralKs).push(k);

  const isComm = defs.map((v) => v.kind === 'community');
  const nComm = isComm.filter(Boolean).length;
  const nVil = defs.length - nComm;
  const urbanArea = urbanKs.length * cellArea;
  let commEach = nComm > 0 ? Math.max(urbanArea / nComm, 0.25e6) : 0;
  if (nVil === 0) commEach = area / Math.max(1, nComm);
  else if (commEach * nComm > 0.6 * area) commEach = (0.6 * area) / nComm;
  const vilEach = nVil > 0 ? Math.max((area - commEach * nComm) / nVil, (0.05 * area) / nVil) : 0;
  const targets = defs.map((_, i) => (isComm[i] ? commEach : vilEach) * rng.range(0.8, 1.2));

  // seeds: communities among the built-up samples nearest the centre, villages spread over the rest
  const byDist = Array.from({ length: n }, (_, k) => k).sort(
    (a, b) =>
      Math.hypot(ps.x[a]! - town.centre[0], ps.y[a]! - town.centre[1]) -
        Math.hypot(ps.x[b]! - town.centre[0], ps.y[b]! - town.centre[1]) || a - b,
  );
  const commPool =
    urbanKs.length >= nComm * 3 ? urbanKs : byDist.slice(0, Math.max(nComm * 6, Math.ceil(n * 0.15)));
  const commPicks = farthestPoints(ps.x, ps.y, commPool, nComm, [], rng.fork('comm'));
  const fixed: XY[] = commPicks.map((k) => [ps.x[k]!, ps.y[k]!]);
  const commSet = new Set(commPicks);
  const vilPoolBase = (ruralKs.length >= nVil * 3 ? ruralKs : Array.from({ length: n }, (_, k) => k)).filter(
    (k) => !commSet.has(k),
  );
  const vilPicks = farthestPoints(ps.x, ps.y, vilPoolBase, nVil, fixed, rng.fork('vil'));
  let ci = 0;
  let vi = 0;
  const sites: Site[] = defs.map((_, i) => {
    const k = isComm[i] ? commPicks[ci++] : vilPicks[vi++];
    const kk = k ?? (i * 7919) % n;
    return { x: ps.x[kk]!, y: ps.y[kk]!, w: 0 };
  });
  const move = defs.map((_, i) => (isComm[i] ? 0.5 : 0.8));
  if (defs.length > 1) {
    relaxPower(
      sites,
      { x: ps.x, y: ps.y, w: new Float64Array(n).fill(cellArea), cellArea },
      { iterations: 50, targets, move },
    );
  }
  const geoms =
    defs.length > 1
      ? partitionPolygon(town.geometry, proj, sites, `${town.def.name} villages`)
      : [town.geometry];
  const owner = new Int32Array(n);
  for (let k = 0; k < n; k++) owner[k] = defs.length > 1 ? ownerIndex(sites, ps.x[k]!, ps.y[k]!) : 0;
  const pop = new Float64Array(defs.length);
  const urb = new Float64Array(defs.length);
  const cnt = new Float64Array(defs.length);
  for (let k = 0; k < n; k++) {
    const o = owner[k]!;
    pop[o]! += urban.density(ps.x[k]!, ps.y[k]!) * cellArea;
    cnt[o]!++;
    if (level[k]! <= 2) urb[o]!++;
  }
  // rescale so the village total matches the density integral over the exact town area
  const sampled = cnt.reduce((a, b) => a + b, 0) * cellArea;
  const f = sampled > 0 ? area / sampled : 1;
  return defs.map((def, i) => ({
    def,
    town,
    geometry: geoms[i]!,
    centre: nearestOwned(ps.x, ps.y, owner, i, sites[i]!.x, sites[i]!.y),
    population: Math.max(isComm[i] ? 300 : 150, Math.round(pop[i]! * f)),
    urbanShare: cnt[i]! > 0 ? urb[i]! / cnt[i]! : 0,
  }));
}
