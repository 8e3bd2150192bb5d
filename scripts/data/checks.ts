/**
 * Invariants of a demo dataset, checked on the features as written (lon/lat, 6 decimals). Used by the
 * generator's tests and by verify-demo.ts; returns a list of problems (empty when all hold).
 */
import { ROAD_CLASS_SPEED_KMH, type RoadClass } from '../../shared/src/domain.ts';
import { lineLengthM, segmentsIntersect } from './geo.ts';
import { sccOf, undirectedComponents } from './graph.ts';
import type { DemoDataset } from '../../server/src/db/seed/demo-dataset.ts';
import * as turf from '@turf/turf';
import { polygonsOf, type Polygonal } from './geo.ts';
import { Rng } from './prng.ts';
import { BoxGrid, PolygonIndex, PolygonSetIndex } from './spatial.ts';
import { validityError } from './validity.ts';
import { usccCheck } from './enterprises.ts';

export interface CheckOptions {
  /** Skip the O(n) but slowish planarity test. */
  skipPlanarity?: boolean;
}

export function checkDataset(data: DemoDataset, opts: CheckOptions = {}): string[] {
  const problems: string[] = [];
  const fail = (m: string): void => {
    if (problems.length < 50) problems.push(m);
  };

  // ---- manifest
  const counts: Record<string, number> = {
    admin_areas: data.adminAreas.features.length,
    grids: data.grids.features.length,
    roads: data.roads.features.length,
    waterways: data.waterways.features.length,
    stations: data.stations.features.length,
    water_sources: data.waterSources.features.length,
    enterprises: data.enterprises.features.length,
  };
  for (const [k, v] of Object.entries(counts))
    if (data.manifest.counts[k] !== v) fail(`manifest count ${k} ${data.manifest.counts[k]} ≠ ${v}`);

  // ---- admin areas and grids: validity and hierarchy
  const admin = new Map(data.adminAreas.features.map((f) => [f.properties.code, f.properties]));
  for (const f of data.adminAreas.features) {
    const p = f.properties;
    const err = validityError(f.geometry);
    if (err) fail(`admin ${p.code} ${p.name}: ${err}`);
    if ((p.level === 'county') !== (p.parent_code === null)) fail(`admin ${p.code}: parent_code vs level`);
    if (p.parent_code && !admin.has(p.parent_code)) fail(`admin ${p.code}: missing parent ${p.parent_code}`);
    if (p.synthetic !== (p.level !== 'county')) fail(`admin ${p.code}: synthetic flag`);
  }
  const grids = new Map(data.grids.features.map((f) => [f.properties.code, f.properties]));
  const sums = new Map<string, [number, number]>();
  for (const f of data.grids.features) {
    const p = f.properties;
    const err = validityError(f.geometry);
    if (err) fail(`grid ${p.code}: ${err}`);
    if (!admin.has(p.admin_code)) fail(`grid ${p.code}: unknown admin_code ${p.admin_code}`);
    if ((p.level === 'town') !== (p.parent_code === null)) fail(`grid ${p.code}: parent_code vs level`);
    if (p.parent_code) {
      if (!grids.has(p.parent_code)) fail(`grid ${p.code}: missing parent ${p.parent_code}`);
      const s = sums.get(p.parent_code) ?? [0, 0];
      sums.set(p.parent_code, [s[0] + p.population, s[1] + p.households]);
    }
    if (!Number.isInteger(p.population) || !Number.isInteger(p.households) || p.households > p.population) {
      fail(`grid ${p.code}: population/households ${p.population}/${p.households}`);
    }
    if ((p.level === 'town') !== (p.member_name === null)) fail(`grid ${p.code}: member_name`);
  }
  tilingProblems(data).forEach(fail);
  areaProblems(data).forEach(fail);
  for (const [code, [pop, hh]] of sums) {
    const g = grids.get(code);
    if (g && (g.population !== pop || g.households !== hh))
      fail(`grid ${code}: children sum ${pop}/${hh} ≠ ${g.population}/${g.households}`);
  }

  // ---- roads: ids, shared nodes, lengths, speeds, planarity, connectivity
  const nodeCoord = new Map<number, string>();
  const coordNode = new Map<string, number>();
  const roads = data.roads.features;
  let maxNode = 0;
  roads.forEach((f, i) => {
    const p = f.properties;
    if (p.id !== i + 1) fail(`road #${i}: id ${p.id}`);
    const c = f.geometry.coordinates;
    if (c.length < 2) fail(`road ${p.id}: fewer than 2 positions`);
    if (p.source === p.target) fail(`road ${p.id}: source = target`);
    for (const [node, pos] of [
      [p.source, c[0]!],
      [p.target, c[c.length - 1]!],
    ] as const) {
      const key = `${pos[0]},${pos[1]}`;
      const prev = nodeCoord.get(node);
      if (prev !== undefined && prev !== key) fail(`node ${node}: two coordinates (${prev} and ${key})`);
      nodeCoord.set(node, key);
      const other = coordNode.get(key);
      if (other !== undefined && other !== node) fail(`nodes ${other} and ${node} share ${key}`);
      coordNode.set(key, node);
      maxNode = Math.max(maxNode, node);
    }
    const len = lineLengthM(c);
    if (!(p.length_m > 0) || Math.abs(len - p.length_m) > 0.05)
      fail(`road ${p.id}: length_m ${p.length_m} vs ${len.toFixed(2)}`);
    const base = ROAD_CLASS_SPEED_KMH[p.class as RoadClass];
    if (base === undefined || p.speed_kmh < base * 0.899 || p.speed_kmh > base * 1.101)
      fail(`road ${p.id}: speed ${p.speed_kmh} for ${p.class}`);
    if (p.synthetic !== true) fail(`road ${p.id}: synthetic flag`);
  });
  const g = {
    n: maxNode + 1,
    a: Int32Array.from(roads, (f) => f.properties.source),
    b: Int32Array.from(roads, (f) => f.properties.target),
    oneway: Uint8Array.from(roads, (f) => (f.properties.oneway ? 1 : 0)),
  };
  const used = new Uint8Array(g.n);
  for (const f of roads) {
    used[f.properties.source] = 1;
    used[f.properties.target] = 1;
  }
  const comps = undirectedComponents(g);
  const compsUsed = new Set<number>();
  for (let v = 0; v < g.n; v++) if (used[v]) compsUsed.add(comps.label[v]!);
  if (compsUsed.size !== 1) fail(`roads: ${compsUsed.size} connected components`);
  if (roads.length > 0) {
    const scc = sccOf(g, roads[0]!.properties.source);
    let outside = 0;
    for (let v = 0; v < g.n; v++) if (used[v] && !scc[v]) outside++;
    if (outside > 0) fail(`roads: ${outside} nodes not strongly connected`);
  }
  if (!opts.skipPlanarity) {
    const crossing = planarityProblem(data);
    if (crossing) fail(crossing);
  }

  // ---- stations, enterprises, water sources
  const gridCodes = new Set(grids.keys());
  const codes = new Set<string>();
  for (const f of data.stations.features) {
    const p = f.properties;
    if (codes.has(p.code)) fail(`station ${p.code}: duplicate code`);
    codes.add(p.code);
    const key = `${f.geometry.coordinates[0]},${f.geometry.coordinates[1]}`;
    if (!coordNode.has(key)) fail(`station ${p.code}: not on a road node`);
    if (p.grid_code !== null && !gridCodes.has(p.grid_code))
      fail(`station ${p.code}: unknown grid ${p.grid_code}`);
    if ((p.tier === 'rescue_station') !== (p.station_class !== null))
      fail(`station ${p.code}: station_class vs tier`);
  }
  for (const f of data.enterprises.features) {
    const p = f.properties;
    if (codes.has(p.code)) fail(`enterprise ${p.code}: duplicate code`);
    codes.add(p.code);
    if (p.code.length !== 18 || usccCheck(p.code.slice(0, 17)) !== p.code[17])
      fail(`enterprise ${p.code}: malformed USCC`);
    if (p.grid_code === null || !gridCodes.has(p.grid_code))
      fail(`enterprise ${p.code}: grid ${p.grid_code}`);
  }
  for (const f of data.waterSources.features) {
    const p = f.properties;
    if (codes.has(p.code)) fail(`water source ${p.code}: duplicate code`);
    codes.add(p.code);
    if ((p.kind === 'hydrant' || p.kind === 'fire_crane') !== (p.pressure_mpa !== null))
      fail(`water source ${p.code}: pressure`);
    if ((p.kind === 'fire_pool') !== (p.capacity_m3 !== null)) fail(`water source ${p.code}: capacity`);
    if (p.last_inspected_at !== null && !/^2026-\d\d-\d\d$/u.test(p.last_inspected_at))
      fail(`water source ${p.code}: date`);
  }
  return problems;
}

/**
 * Towns tile the county, villages their town, units their village: sampled points inside the county
 * fall in exactly one polygon per level, and that polygon's parent is the one a level up.
 */
export function tilingProblems(data: DemoDataset, samples = 3000): string[] {
  const out: string[] = [];
  const county = data.adminAreas.features.find((f) => f.properties.level === 'county');
  if (!county) return ['no county'];
  const rings = (geom: Polygonal): number[][][] => polygonsOf(geom).flat() as number[][][];
  const level = (feats: { geometry: Polygonal; properties: { code: string; parent: string | null } }[]) => ({
    feats,
    index: new PolygonSetIndex(
      feats.map((f) => rings(f.geometry)),
      0.02,
    ),
  });
  const towns = level(
    data.adminAreas.features
      .filter((f) => f.properties.level === 'town')
      .map((f) => ({
        geometry: f.geometry,
        properties: { code: f.properties.code, parent: f.properties.parent_code },
      })),
  );
  const villages = level(
    data.adminAreas.features
      .filter((f) => f.properties.level === 'village')
      .map((f) => ({
        geometry: f.geometry,
        properties: { code: f.properties.code, parent: f.properties.parent_code },
      })),
  );
  const units = level(
    data.grids.features
      .filter((f) => f.properties.level === 'unit')
      .map((f) => ({
        geometry: f.geometry,
        properties: { code: f.properties.code, parent: f.properties.parent_code },
      })),
  );
  const countyIndex = new PolygonIndex(rings(county.geometry));
  const [x0, y0, x1, y1] = countyIndex.bbox;
  const rng = new Rng('tiling-check');
  let tested = 0;
  for (let k = 0; k < samples * 4 && tested < samples; k++) {
    const x = rng.range(x0, x1);
    const y = rng.range(y0, y1);
    if (!countyIndex.contains(x, y)) continue;
    tested++;
    const hits = (lv: ReturnType<typeof level>): number[] => lv.index.findAll(x, y);
    const t = hits(towns);
    const v = hits(villages);
    const u = hits(units);
    if (t.length !== 1 || v.length !== 1 || u.length !== 1) {
      out.push(
        `point ${x.toFixed(6)},${y.toFixed(6)} lies in ${t.length} towns, ${v.length} villages, ${u.length} units`,
      );
      continue;
    }
    const tv = villages.feats[v[0]!]!.properties;
    const uu = units.feats[u[0]!]!.properties;
    if (tv.parent !== towns.feats[t[0]!]!.properties.code)
      out.push(`village ${tv.code} sampled outside its town`);
    if (uu.parent !== `G${tv.code}`) out.push(`unit ${uu.code} sampled outside its village`);
    if (out.length > 10) break;
  }
  return out;
}

/** Children's areas add up to their parent's (within 1 m²). */
export function areaProblems(data: DemoDataset): string[] {
  const out: string[] = [];
  const area = new Map<string, number>();
  const childSum = new Map<string, number>();
  const add = (code: string, parent: string | null, geom: Polygonal): void => {
    const a = turf.area(turf.feature(geom));
    area.set(code, a);
    if (parent) childSum.set(parent, (childSum.get(parent) ?? 0) + a);
  };
  for (const f of data.adminAreas.features) add(f.properties.code, f.properties.parent_code, f.geometry);
  for (const f of data.grids.features)
    if (f.properties.level === 'unit')
      add(f.properties.code, `${f.properties.parent_code!.slice(1)}`, f.geometry);
  for (const [code, sum] of childSum) {
    const a = area.get(code);
    if (a === undefined) continue;
    // shared boundaries are identical (topology.ts), so this is float noise; allow at most 1 m² of sliver
    if (Math.abs(sum - a) > 1) out.push(`${code}: children cover ${sum.toFixed(1)} m² of ${a.toFixed(1)} m²`);
  }
  return out;
}

/** No two road edges (expressway aside) cross or overlap except at shared end nodes. */
export function planarityProblem(data: DemoDataset): string | null {
  const roads = data.roads.features;
  const pts = roads.map((f) =>
    f.geometry.coordinates.map((c) => [Math.round(c[0]! * 1e6), Math.round(c[1]! * 1e6)]),
  );
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const line of pts) {
    for (const [x, y] of line) {
      minX = Math.min(minX, x!);
      maxX = Math.max(maxX, x!);
      minY = Math.min(minY, y!);
      maxY = Math.max(maxY, y!);
    }
  }
  const grid = new BoxGrid([minX, minY, maxX, maxY], 3000);
  const segs: [number, number, number][] = []; // road index, segment index, unused
  roads.forEach((f, i) => {
    if (f.properties.class === 'expressway') return;
    const line = pts[i]!;
    for (let k = 0; k + 1 < line.length; k++) {
      grid.insert(segs.length, line[k]![0]!, line[k]![1]!, line[k + 1]![0]!, line[k + 1]![1]!);
      segs.push([i, k, 0]);
    }
  });
  for (let s = 0; s < segs.length; s++) {
    const [i, k] = segs[s]!;
    const a = pts[i]![k]!;
    const b = pts[i]![k + 1]!;
    for (const t of grid.query(a[0]!, a[1]!, b[0]!, b[1]!)) {
      if (t <= s) continue;
      const [j, m] = segs[t]!;
      if (i === j && Math.abs(k - m) <= 1) continue;
      const c = pts[j]![m]!;
      const d = pts[j]![m + 1]!;
      if (!segmentsIntersect(a[0]!, a[1]!, b[0]!, b[1]!, c[0]!, c[1]!, d[0]!, d[1]!)) continue;
      // touching at a shared end node is fine unless the two segments overlap
      const shared = [a, b].filter(
        (p) => (p[0] === c[0] && p[1] === c[1]) || (p[0] === d[0] && p[1] === d[1]),
      ).length;
      if (shared === 2)
        return `roads ${roads[i]!.properties.id} and ${roads[j]!.properties.id} join the same two points`;
      if (shared === 1) {
        const [p, q] =
          a[0] === c[0] && a[1] === c[1]
            ? [b, d]
            : a[0] === d[0] && a[1] === d[1]
              ? [b, c]
              : b[0] === c[0] && b[1] === c[1]
                ? [a, d]
                : [a, c];
        const o = a[0] === c[0] && a[1] === c[1] ? a : a[0] === d[0] && a[1] === d[1] ? a : b;
        const cross = (p[0]! - o[0]!) * (q[1]! - o[1]!) - (p[1]! - o[1]!) * (q[0]! - o[0]!);
        const dot = (p[0]! - o[0]!) * (q[0]! - o[0]!) + (p[1]! - o[1]!) * (q[1]! - o[1]!);
        if (cross === 0 && dot > 0)
          return `roads ${roads[i]!.properties.id} and ${roads[j]!.properties.id} overlap`;
        continue;
      }
      return `roads ${roads[i]!.properties.id} and ${roads[j]!.properties.id} cross without a shared node`;
    }
  }
  return null;
}
