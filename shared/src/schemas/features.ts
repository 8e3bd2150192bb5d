/**
 * Properties of the features served by the OGC API collections and drawn by the wall map.
 * GeoJSON properties use snake_case (the GIS convention, and pgRouting's for roads).
 */
import { Type, type Static } from 'typebox';
import {
  ADMIN_LEVELS,
  GRID_LEVELS,
  RESCUE_STATION_CLASSES,
  RISK_COLOURS,
  ROAD_CLASSES,
  SAFETY_CATEGORIES,
  STATION_STATUSES,
  STATION_TIERS,
  WATER_SOURCE_KINDS,
  WATER_SOURCE_STATUSES,
} from '../domain.ts';

const Enum = <T extends readonly string[]>(values: T) => Type.Enum([...values] as T[number][]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const AdminAreaProperties = Type.Object({
  code: Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$', description: 'NBS 2023 division code' }),
  name: Type.String(),
  level: Enum(ADMIN_LEVELS),
  kind: Type.String({ description: 'NBS kind (district, subdistrict, town, community, village, ...)' }),
  parent_code: Nullable(Type.String()),
  synthetic: Type.Boolean({ description: 'true where the geometry is generated (towns, villages)' }),
});
export type AdminAreaProperties = Static<typeof AdminAreaProperties>;

export const GridProperties = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Enum(GRID_LEVELS),
  parent_code: Nullable(Type.String()),
  admin_code: Type.String({ description: 'division code of the town or village the grid lies in' }),
  member_name: Nullable(Type.String({ description: 'responsible grid member (网格员)' })),
  member_phone: Nullable(Type.String()),
  population: Type.Integer({ minimum: 0 }),
  households: Type.Integer({ minimum: 0 }),
  area_km2: Type.Number({ minimum: 0 }),
  synthetic: Type.Boolean(),
});
export type GridProperties = Static<typeof GridProperties>;

export const StationProperties = Type.Object({
  code: Type.String(),
  name: Type.String(),
  tier: Enum(STATION_TIERS),
  station_class: Nullable(Enum(RESCUE_STATION_CLASSES)),
  status: Enum(STATION_STATUSES),
  crew: Type.Integer({ minimum: 0 }),
  vehicles: Type.Integer({ minimum: 0 }),
  target_minutes: Type.Number({ minimum: 0 }),
  grid_code: Nullable(Type.String()),
  address: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  synthetic: Type.Boolean(),
});
export type StationProperties = Static<typeof StationProperties>;

export const WaterSourceProperties = Type.Object({
  code: Type.String(),
  name: Nullable(Type.String()),
  kind: Enum(WATER_SOURCE_KINDS),
  flow_lps: Type.Number({ minimum: 0 }),
  pressure_mpa: Nullable(Type.Number({ minimum: 0 })),
  capacity_m3: Nullable(Type.Number({ minimum: 0, description: 'fire pools' })),
  status: Enum(WATER_SOURCE_STATUSES),
  last_inspected_at: Nullable(Type.String({ format: 'date' })),
  synthetic: Type.Boolean(),
});
export type WaterSourceProperties = Static<typeof WaterSourceProperties>;

export const EnterpriseProperties = Type.Object({
  code: Type.String(),
  name: Type.String(),
  category: Enum(SAFETY_CATEGORIES),
  risk: Enum(RISK_COLOURS),
  grid_code: Nullable(Type.String()),
  employees: Type.Integer({ minimum: 0 }),
  address: Nullable(Type.String()),
  synthetic: Type.Boolean(),
});
export type EnterpriseProperties = Static<typeof EnterpriseProperties>;

/** pgRouting conventions: source/target node ids, cost_s / reverse_cost_s (−1 where not passable). */
export const RoadProperties = Type.Object({
  id: Type.Integer(),
  source: Type.Integer(),
  target: Type.Integer(),
  cost_s: Type.Number(),
  reverse_cost_s: Type.Number(),
  class: Enum(ROAD_CLASSES),
  name: Nullable(Type.String()),
  speed_kmh: Type.Number({ exclusiveMinimum: 0 }),
  length_m: Type.Number({ exclusiveMinimum: 0 }),
  oneway: Type.Boolean(),
  bridge: Type.Boolean(),
  synthetic: Type.Boolean(),
});
export type RoadProperties = Static<typeof RoadProperties>;

export const CoverageCircleProperties = Type.Object({
  station_code: Type.String(),
  station_name: Type.String(),
  tier: Enum(STATION_TIERS),
  status: Enum(STATION_STATUSES),
  target_minutes: Type.Number(),
  radius_m: Type.Number(),
  area_km2: Type.Number(),
  rule: Type.String({ description: 'the radius rule and its source' }),
});
export type CoverageCircleProperties = Static<typeof CoverageCircleProperties>;

export const WaterwayProperties = Type.Object({
  code: Type.String(),
  name: Type.String(),
  width_m: Type.Number(),
  synthetic: Type.Boolean(),
});
export type WaterwayProperties = Static<typeof WaterwayProperties>;

export const COLLECTION_IDS = [
  'admin-areas',
  'grids',
  'stations',
  'water-sources',
  'enterprises',
  'roads',
  'coverage-circles',
  'waterways',
] as const;
export type CollectionId = (typeof COLLECTION_IDS)[number];

export interface CollectionPropertiesMap {
  'admin-areas': AdminAreaProperties;
  grids: GridProperties;
  stations: StationProperties;
  'water-sources': WaterSourceProperties;
  enterprises: EnterpriseProperties;
  roads: RoadProperties;
  'coverage-circles': CoverageCircleProperties;
  waterways: WaterwayProperties;
}
