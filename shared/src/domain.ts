/** Domain vocabulary shared by server, client and the demo generator. */
import { MICRO_STATION_RESPONSE_MIN, RESCUE_STATION_RESPONSE_MIN } from './standards.ts';

export const GRID_LEVELS = ['town', 'village', 'unit'] as const;
export type GridLevel = (typeof GRID_LEVELS)[number];

export const ADMIN_LEVELS = ['county', 'town', 'village'] as const;
export type AdminLevel = (typeof ADMIN_LEVELS)[number];

export const STATION_TIERS = ['rescue_station', 'fulltime_team', 'joint_station', 'micro_station'] as const;
export type StationTier = (typeof STATION_TIERS)[number];

/** Classes of 消防救援站 in 建标152-2017; only rescue stations carry one. */
export const RESCUE_STATION_CLASSES = ['class1', 'class2', 'small', 'standard'] as const;
export type RescueStationClass = (typeof RESCUE_STATION_CLASSES)[number];

export const STATION_STATUSES = ['available', 'busy', 'out_of_service'] as const;
export type StationStatus = (typeof STATION_STATUSES)[number];

/** Target response minutes by tier (the "1-3-5" rings: micro stations 3, everyone else 5). */
export const TIER_TARGET_MIN: Record<StationTier, number> = {
  rescue_station: RESCUE_STATION_RESPONSE_MIN,
  fulltime_team: RESCUE_STATION_RESPONSE_MIN,
  joint_station: RESCUE_STATION_RESPONSE_MIN,
  micro_station: MICRO_STATION_RESPONSE_MIN,
};

export const WATER_SOURCE_KINDS = ['hydrant', 'fire_pool', 'natural_intake', 'fire_crane'] as const;
export type WaterSourceKind = (typeof WATER_SOURCE_KINDS)[number];

export const WATER_SOURCE_STATUSES = ['in_service', 'out_of_service', 'under_repair'] as const;
export type WaterSourceStatus = (typeof WATER_SOURCE_STATUSES)[number];

/** Four-colour risk (红 橙 黄 蓝: major, high, general, low). */
export const RISK_COLOURS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskColour = (typeof RISK_COLOURS)[number];

/** Categories named in the seeds, used for enterprises and (later) hazards. */
export const SAFETY_CATEGORIES = [
  'fire_safety',
  'rental_housing',
  'lpg',
  'fireworks',
  'entertainment_venue',
  'special_equipment',
  'hazardous_chemicals',
  'road_traffic',
  'construction',
  'dust_explosion',
  'hazardous_waste',
  'elderly_care',
  'chemical_park',
] as const;
export type SafetyCategory = (typeof SAFETY_CATEGORIES)[number];

export const ROAD_CLASSES = ['expressway', 'ramp', 'arterial', 'collector', 'street', 'village'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

/**
 * Fire-engine speeds by road class, km/h (free flow). A fire engine is slower than a car on
 * expressways (heavy vehicle, about 80 km/h) and is held to about 30 km/h on town streets, the figure
 * 建标152-2017's notes use for the 5-minute district.
 */
export const ROAD_CLASS_SPEED_KMH: Record<RoadClass, number> = {
  expressway: 80,
  ramp: 40,
  arterial: 50,
  collector: 40,
  street: 30,
  village: 25,
};

export const BACKENDS = ['embedded', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/**
 * Routine inspection cadence by four-colour risk (分级分类监管), days between inspections. Not a national
 * figure: the common provincial practice (red monthly, orange quarterly, yellow half-yearly, blue yearly),
 * kept here so a county can change it in one place.
 */
export const INSPECTION_CADENCE_DAYS: Record<RiskColour, number> = {
  red: 30,
  orange: 90,
  yellow: 180,
  blue: 365,
};
