/** Factories for sample features in unit tests: each call returns fresh objects (no shared fixtures). */
import type { Geometry } from 'geojson';
import type { CollectionId, CollectionPropertiesMap } from '../../../shared/src/schemas/features.ts';
import type { OgcFeature } from '../data/geojson.ts';

export function feature<C extends CollectionId>(
  id: string | number,
  geometry: Geometry,
  properties: CollectionPropertiesMap[C],
): OgcFeature<C> {
  return { type: 'Feature', id, geometry, properties };
}

export const point = (lon: number, lat: number): Geometry => ({ type: 'Point', coordinates: [lon, lat] });

export const square = (west: number, south: number, size: number): Geometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [west, south],
      [west + size, south],
      [west + size, south + size],
      [west, south + size],
      [west, south],
    ],
  ],
});

export function station(
  overrides: Partial<CollectionPropertiesMap['stations']> = {},
  at: [number, number] = [119.2, 33.5],
): OgcFeature<'stations'> {
  const code = overrides.code ?? 'ST0001';
  return feature(code, point(...at), {
    code,
    name: '淮城消防救援站',
    tier: 'rescue_station',
    station_class: 'class1',
    status: 'available',
    crew: 32,
    vehicles: 6,
    target_minutes: 5,
    grid_code: null,
    address: '淮安区翔宇大道1号',
    phone: null,
    synthetic: true,
    ...overrides,
  });
}

/** A unit grid as the wall loads it: names and figures, no geometry (`skipGeometry=true`). */
export function bareGrid(overrides: Partial<CollectionPropertiesMap['grids']> = {}) {
  return { ...grid({ level: 'unit', ...overrides }), geometry: null };
}

export function grid(
  overrides: Partial<CollectionPropertiesMap['grids']> = {},
  geometry = square(119, 33.4, 0.05),
) {
  const code = overrides.code ?? '320803001001';
  return feature<'grids'>(code, geometry, {
    code,
    name: '新城社区网格',
    level: 'village',
    parent_code: '320803001',
    admin_code: '320803001001',
    member_name: '王芳',
    member_phone: '13800000000',
    population: 4200,
    households: 1400,
    area_km2: 1.5,
    synthetic: true,
    ...overrides,
  });
}

export function waterSource(overrides: Partial<CollectionPropertiesMap['water-sources']> = {}) {
  const code = overrides.code ?? 'WS0001';
  return feature<'water-sources'>(code, point(119.21, 33.51), {
    code,
    name: null,
    kind: 'hydrant',
    flow_lps: 20,
    pressure_mpa: 0.2,
    capacity_m3: null,
    status: 'in_service',
    last_inspected_at: '2024-05-01',
    synthetic: true,
    ...overrides,
  });
}

export function enterprise(overrides: Partial<CollectionPropertiesMap['enterprises']> = {}) {
  const code = overrides.code ?? 'EN0001';
  return feature<'enterprises'>(code, point(119.22, 33.52), {
    code,
    name: '淮安某化工有限公司',
    category: 'hazardous_chemicals',
    risk: 'red',
    grid_code: null,
    employees: 120,
    address: null,
    synthetic: true,
    ...overrides,
  });
}

/** A 64-gon circle of `radiusM` metres around a centre (planar approximation, fine for tests). */
export function circle(centre: [number, number], radiusM: number): Geometry {
  const [lon, lat] = centre;
  const ring: [number, number][] = [];
  for (let i = 0; i <= 64; i++) {
    const angle = (i / 64) * 2 * Math.PI;
    ring.push([
      lon + (radiusM / (111_320 * Math.cos((lat * Math.PI) / 180))) * Math.cos(angle),
      lat + (radiusM / 111_320) * Math.sin(angle),
    ]);
  }
  ring[64] = ring[0] as [number, number];
  return { type: 'Polygon', coordinates: [ring] };
}

export function coverageCircle(overrides: Partial<CollectionPropertiesMap['coverage-circles']> = {}) {
  const stationCode = overrides.station_code ?? 'ST0001';
  const radius = overrides.radius_m ?? 1428.6;
  return feature<'coverage-circles'>(stationCode, circle([119.2, 33.5], radius), {
    station_code: stationCode,
    station_name: '淮城消防救援站',
    tier: 'rescue_station',
    status: 'available',
    target_minutes: 5,
    radius_m: radius,
    area_km2: (Math.PI * radius * radius) / 1e6,
    rule: 'test',
    ...overrides,
  });
}

export function adminArea(
  overrides: Partial<CollectionPropertiesMap['admin-areas']> = {},
  geometry = square(119, 33.4, 0.1),
) {
  const code = overrides.code ?? '320803001';
  return feature<'admin-areas'>(code, geometry, {
    code,
    name: '淮城街道',
    level: 'town',
    kind: 'subdistrict',
    parent_code: '320803',
    synthetic: true,
    ...overrides,
  });
}

/** A deck.gl accessor prop as a plain function (fails where the builder set a constant instead). */
export function accessor<F, T>(prop: unknown): (feature: F) => T {
  if (typeof prop !== 'function')
    throw new Error(`expected an accessor function, got ${JSON.stringify(prop)}`);
  return prop as (feature: F) => T;
}
