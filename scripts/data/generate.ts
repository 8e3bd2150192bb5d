/**
 * The demo-dataset pipeline: real district boundary and division names in, synthetic townships,
 * villages, grids, roads, waterways, fire forces, water sources and enterprises out. Same district and
 * seed, same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, LineString, MultiLineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type {
  AdminAreaProperties,
  EnterpriseProperties,
  GridProperties,
  StationProperties,
  WaterSourceProperties,
  WaterwayProperties,
} from '../../shared/src/schemas/features.ts';
import type { RoadProperties } from '../../shared/src/schemas/features.ts';
import { buildAdmin } from './admin.ts';
import { buildEnterprises } from './enterprises.ts';
import { LocalProjection, lineLengthM, type Polygonal } from './geo.ts';
import { maskedMobile, personName } from './names.ts';
import {
  ATTRIBUTION,
  DATASET_FILES,
  GENERATOR,
  featureCollectionText,
  stableGzip,
  type DatasetFile,
  type Manifest,
} from './output.ts';
import { Rng } from './prng.ts';
import type { DistrictInput } from './reference.ts';
import { buildRoads, connectivity, findCrossing } from './roads.ts';
import { StationBuilder, unitGridCode } from './stations.ts';
import { buildUnits } from './units.ts';
import { validityError } from './validity.ts';
import { snapSharedBoundaries } from './topology.ts';
import { buildWaterSources } from './water-sources.ts';
import { buildWaterways } from './waterways.ts';
import { World } from './world.ts';

export const DEFAULT_SEED = 20231130;

export type GridOutProperties = Omit<GridProperties, 'area_km2'>;
export type StationOutProperties = Omit<StationProperties, 'target_minutes'>;
export type RoadOutProperties = Omit<RoadProperties, 'cost_s' | 'reverse_cost_s'>;

export interface GeneratedDataset {
  manifest: Manifest;
  features: {
    admin_areas: Feature<Polygon | MultiPolygon, AdminAreaProperties>[];
    grids: Feature<Polygon | MultiPolygon, GridOutProperties>[];
    roads: Feature<LineString, RoadOutProperties>[];
    waterways: Feature<LineString | MultiLineString, WaterwayProperties>[];
    stations: Feature<Point, StationOutProperties>[];
    water_sources: Feature<Point, WaterSourceProperties>[];
    enterprises: Feature<Point, EnterpriseProperties>[];
  };
  /** Breakdowns for the console and the README. */
  stats: Record<string, Record<string, number>>;
}

function feature<G extends Polygon | MultiPolygon | LineString | MultiLineString | Point, P>(
  geometry: G,
  properties: P,
): Feature<G, P> {
  return { type: 'Feature', properties, geometry };
}

function tally<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) out[key(it)] = (out[key(it)] ?? 0) + 1;
  return out;
}

export function generateDataset(
  input: DistrictInput,
  seed: number,
  log: (m: string) => void = () => {},
): GeneratedDataset {
  const t0 = performance.now();
  const say = (m: string): void =>
    log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${m}`);
  const rng = new Rng(`${GENERATOR}/${input.code}/${seed}`);
  const bb = turf.bbox(input.geometry);
  const proj = new LocalProjection((bb[0] + bb[2]) / 2, (bb[1] + bb[3]) / 2);
  say(`${input.cityName}${input.name} (${input.code}), seed ${seed}`);

  const admin = buildAdmin(input, proj, rng.fork('admin'), say);
  const units = buildUnits(admin.villages, proj, admin.urban, rng.fork('units'), say);
  // make shared boundaries identical across the hierarchy (see topology.ts)
  const shapes: Polygonal[] = [];
  const ranks: number[] = [];
  const slot = new Map<Polygonal, number>();
  const idOf = (g: Polygonal, rank: number): number => {
    let k = slot.get(g);
    if (k === undefined) {
      k = shapes.length;
      slot.set(g, k);
      shapes.push(g);
      ranks.push(rank);
    }
    return k;
  };
  const countySlot = idOf(input.geometry, 0);
  const townSlots = admin.towns.map((t) => idOf(t.geometry, 1));
  const villageSlots = admin.villages.map((v) => idOf(v.geometry, 2));
  const unitSlots = units.map((u) => idOf(u.geometry, 3));
  const { geoms: snapped, kept } = snapSharedBoundaries(shapes, ranks);
  const countyGeometry = snapped[countySlot]!;
  admin.towns.forEach((t, i) => (t.geometry = snapped[townSlots[i]!]!));
  admin.villages.forEach((v, i) => (v.geometry = snapped[villageSlots[i]!]!));
  units.forEach((u, i) => (u.geometry = snapped[unitSlots[i]!]!));
  say(
    kept === 0
      ? 'boundaries: shared vertices merged and inserted, every level tiles its parent exactly'
      : `boundaries: shared vertices merged and inserted; ${kept} polygons kept unsnapped (snapping would break them)`,
  );
  const waterways = buildWaterways(
    admin.districtIndex,
    admin.core,
    admin.urban.core.radius,
    input.code,
    rng.fork('waterways'),
  );
  say(`waterways: ${waterways.length} (${waterways.map((w) => w.name).join(', ')})`);
  const centreNames = admin.urban.centres.map(
    (c) => admin.towns.find((t) => t.def.code === c.townCode)!.def.name,
  );
  const roads = buildRoads({
    index: admin.districtIndex,
    urban: admin.urban,
    waterways,
    centreNames,
    cityName: input.cityName,
    rng: rng.fork('roads'),
    log: say,
  });
  say(`roads: ${roads.edges.length} edges, ${roads.x.length} nodes, ${roads.interchanges} interchanges`);
  const crossing = findCrossing(roads);
  if (crossing) throw new Error(`road edges ${crossing[0]} and ${crossing[1]} cross without a shared node`);
  const conn = connectivity(roads);
  if (conn.components !== 1 || conn.strongMissing !== 0) {
    throw new Error(
      `road network not connected: ${conn.components} components, ${conn.strongMissing} nodes outside the strong component`,
    );
  }
  say('roads: planar (apart from expressway flyovers), one strongly connected component');

  const world = new World(input, proj, admin, units, roads, waterways);
  const sb = new StationBuilder(world, rng.fork('stations'));
  sb.placeForces();
  const enterprises = buildEnterprises(world, sb.stations, rng.fork('enterprises'));
  say(`enterprises: ${enterprises.length}`);
  const microRng = rng.fork('micro-pick');
  const highRisk = enterprises.filter(
    (e) => e.risk === 'red' || (e.risk === 'orange' && microRng.chance(0.3)),
  );
  sb.placeMicro(highRisk);
  sb.setStatuses();
  const stations = sb.stations;
  say(`stations: ${stations.length}`);
  const sources = buildWaterSources(world, rng.fork('water-sources'));
  say(`water sources: ${sources.length}`);

  // ---------------------------------------------------------------- features
  const ll = (x: number, y: number): Position => proj.toLonLat6(x, y);
  const checkPoly = (g: Polygonal, label: string): Polygonal => {
    const err = validityError(g);
    if (err) throw new Error(`${label}: invalid geometry: ${err}`);
    return g;
  };
  const adminFeatures: GeneratedDataset['features']['admin_areas'] = [
    feature(checkPoly(countyGeometry, input.name), {
      code: input.code,
      name: input.name,
      level: 'county',
      kind: input.kind,
      parent_code: null,
      synthetic: false,
    }),
  ];
  for (const t of admin.towns) {
    adminFeatures.push(
      feature(checkPoly(t.geometry, t.def.name), {
        code: t.def.code,
        name: t.def.name,
        level: 'town',
        kind: t.def.kind,
        parent_code: input.code,
        synthetic: true,
      }),
    );
  }
  for (const v of admin.villages) {
    adminFeatures.push(
      feature(checkPoly(v.geometry, v.def.name), {
        code: v.def.code,
        name: v.def.name,
        level: 'village',
        kind: v.def.kind,
        parent_code: v.town.def.code,
        synthetic: true,
      }),
    );
  }

  const memberRng = rng.fork('members');
  const vPop = new Map<string, [number, number]>();
  for (const u of units) {
    const p = vPop.get(u.village.def.code) ?? [0, 0];
    vPop.set(u.village.def.code, [p[0] + u.population, p[1] + u.households]);
  }
  const tPop = new Map<string, [number, number]>();
  for (const v of admin.villages) {
    const p = tPop.get(v.town.def.code) ?? [0, 0];
    const q = vPop.get(v.def.code)!;
    tPop.set(v.town.def.code, [p[0] + q[0], p[1] + q[1]]);
  }
  const gridFeatures: GeneratedDataset['features']['grids'] = [];
  for (const t of admin.towns) {
    const [population, households] = tPop.get(t.def.code)!;
    gridFeatures.push(
      feature(t.geometry, {
        code: `G${t.def.code}`,
        name: t.def.name,
        level: 'town',
        parent_code: null,
        admin_code: t.def.code,
        member_name: null,
        member_phone: null,
        population,
        households,
        synthetic: true,
      }),
    );
  }
  for (const v of admin.villages) {
    const [population, households] = vPop.get(v.def.code)!;
    gridFeatures.push(
      feature(v.geometry, {
        code: `G${v.def.code}`,
        name: v.def.name,
        level: 'village',
        parent_code: `G${v.town.def.code}`,
        admin_code: v.def.code,
        member_name: personName(memberRng),
        member_phone: maskedMobile(memberRng),
        population,
        households,
        synthetic: true,
      }),
    );
  }
  for (const u of units) {
    gridFeatures.push(
      feature(checkPoly(u.geometry, `${u.village.def.name} unit ${u.index}`), {
        code: unitGridCode(u.village.def.code, u.index),
        name: `${u.village.def.name}第${u.index}网格`,
        level: 'unit',
        parent_code: `G${u.village.def.code}`,
        admin_code: u.village.def.code,
        member_name: personName(memberRng),
        member_phone: maskedMobile(memberRng),
        population: u.population,
        households: u.households,
        synthetic: true,
      }),
    );
  }

  const nodeLL: Position[] = [];
  const seen = new Map<string, number>();
  for (let n = 0; n < roads.x.length; n++) {
    const p = ll(roads.x[n]!, roads.y[n]!);
    const key = `${p[0]},${p[1]}`;
    if (seen.has(key)) throw new Error(`road nodes ${seen.get(key)} and ${n} round to the same coordinate`);
    seen.set(key, n);
    nodeLL.push(p);
  }
  const roadFeatures: GeneratedDataset['features']['roads'] = roads.edges.map((e, k) => {
    const coords = [nodeLL[e.a]!, nodeLL[e.b]!];
    return feature<LineString, RoadOutProperties>(
      { type: 'LineString', coordinates: coords },
      {
        id: k + 1,
        source: e.a + 1,
        target: e.b + 1,
        class: e.cls,
        name: e.name,
        speed_kmh: e.speed,
        length_m: Math.round(lineLengthM(coords) * 100) / 100,
        oneway: e.oneway,
        bridge: e.bridge,
        synthetic: true,
      },
    );
  });

  const waterwayFeatures: GeneratedDataset['features']['waterways'] = waterways.map((w) => {
    const parts = w.parts.map((p) => {
      const out: Position[] = [];
      for (const [x, y] of p) {
        const q = ll(x, y);
        const last = out[out.length - 1];
        if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
      }
      return out;
    });
    const geometry: LineString | MultiLineString =
      parts.length === 1
        ? { type: 'LineString', coordinates: parts[0]! }
        : { type: 'MultiLineString', coordinates: parts };
    return feature(geometry, { code: w.code, name: w.name, width_m: w.widthM, synthetic: true });
  });

  const stationFeatures: GeneratedDataset['features']['stations'] = stations.map((s) =>
    feature<Point, StationOutProperties>(
      { type: 'Point', coordinates: nodeLL[s.node]! },
      {
        code: s.code,
        name: s.name,
        tier: s.tier,
        station_class: s.stationClass,
        status: s.status,
        crew: s.crew,
        vehicles: s.vehicles,
        grid_code: s.gridCode,
        address: s.address,
        phone: s.phone,
        synthetic: true,
      },
    ),
  );
  const sourceFeatures: GeneratedDataset['features']['water_sources'] = sources.map((w) =>
    feature<Point, WaterSourceProperties>(
      { type: 'Point', coordinates: ll(w.x, w.y) },
      {
        code: w.code,
        name: w.name,
        kind: w.kind,
        flow_lps: w.flowLps,
        pressure_mpa: w.pressureMpa,
        capacity_m3: w.capacityM3,
        status: w.status,
        last_inspected_at: w.lastInspectedAt,
        synthetic: true,
      },
    ),
  );
  const enterpriseFeatures: GeneratedDataset['features']['enterprises'] = enterprises.map((e) =>
    feature<Point, EnterpriseProperties>(
      { type: 'Point', coordinates: ll(e.x, e.y) },
      {
        code: e.code,
        name: e.name,
        category: e.category,
        risk: e.risk,
        grid_code: e.gridCode,
        employees: e.employees,
        address: e.address,
        synthetic: true,
      },
    ),
  );

  const features: GeneratedDataset['features'] = {
    admin_areas: adminFeatures,
    grids: gridFeatures,
    roads: roadFeatures,
    waterways: waterwayFeatures,
    stations: stationFeatures,
    water_sources: sourceFeatures,
    enterprises: enterpriseFeatures,
  };
  const counts = Object.fromEntries(DATASET_FILES.map((f) => [f, features[f].length])) as Record<
    DatasetFile,
    number
  >;
  const manifest: Manifest = {
    district: { name: input.name, code: input.code },
    seed,
    generator: GENERATOR,
    counts,
    attribution: ATTRIBUTION,
  };
  const roadNodes = new Set<number>();
  for (const e of roads.edges) {
    roadNodes.add(e.a);
    roadNodes.add(e.b);
  }
  const stats: GeneratedDataset['stats'] = {
    admin_areas: tally(adminFeatures, (f) => f.properties.level),
    grids: tally(gridFeatures, (f) => f.properties.level),
    population: {
      residents: gridFeatures
        .filter((f) => f.properties.level === 'town')
        .reduce((s, f) => s + f.properties.population, 0),
      households: gridFeatures
        .filter((f) => f.properties.level === 'town')
        .reduce((s, f) => s + f.properties.households, 0),
    },
    roads: {
      ...tally(roadFeatures, (f) => f.properties.class),
      total: roadFeatures.length,
      nodes: roadNodes.size,
      oneway: roadFeatures.filter((f) => f.properties.oneway).length,
      bridges: roadFeatures.filter((f) => f.properties.bridge).length,
      interchanges: roads.interchanges,
      km: Math.round(roadFeatures.reduce((s, f) => s + f.properties.length_m, 0) / 1000),
    },
    stations: tally(stationFeatures, (f) => f.properties.station_class ?? f.properties.tier),
    station_status: tally(stationFeatures, (f) => f.properties.status),
    water_sources: tally(sourceFeatures, (f) => f.properties.kind),
    water_source_status: tally(sourceFeatures, (f) => f.properties.status),
    enterprises: tally(enterpriseFeatures, (f) => f.properties.risk),
    enterprise_categories: tally(enterpriseFeatures, (f) => f.properties.category),
  };
  say('features assembled and checked');
  return { manifest, features, stats };
}

/** Writes manifest.json and the gzip'd collections; returns the file names written. */
export function writeDataset(dir: string, data: GeneratedDataset): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of DATASET_FILES) {
    const name = `${f}.geojson.gz`;
    writeFileSync(path.join(dir, name), stableGzip(featureCollectionText(data.features[f] as Feature[])));
    written.push(name);
  }
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(data.manifest, null, 2)}\n`);
  written.push('manifest.json');
  return written;
}
