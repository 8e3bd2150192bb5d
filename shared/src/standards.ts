/**
 * Figures from the standards, each with its source. Everything in code that depends on one of these
 * numbers imports it from here. Clause numbers follow ../DOMAIN.md; verify against the official texts
 * before quoting them outside the product.
 */

/** 建标152-2017 城市消防站建设标准: crews reach the edge of the station district within 5 minutes of the order. */
export const RESCUE_STATION_RESPONSE_MIN = 5;

/** 公消〔2015〕301号 (micro fire stations): reach the scene within 3 minutes ("1-3-5" circle: 1, 3, 5). */
export const MICRO_STATION_RESPONSE_MIN = 3;

/** 建标152-2017: maximum district area by rescue-station class, km². */
export const STATION_DISTRICT_MAX_KM2 = {
  class1: 7,
  class2: 4,
  small: 2,
  standard: 15,
} as const;

/** 建标152-2017: stations at least 300 m from hazardous-chemical sites. */
export const STATION_MIN_DISTANCE_FROM_HAZCHEM_M = 300;

/** GB 50974-2014 §7.2.5: municipal hydrant protection radius at most 150 m. */
export const HYDRANT_PROTECTION_RADIUS_M = 150;
/** GB 50974-2014 §7.2.5: municipal hydrants spaced at most 120 m apart. */
export const HYDRANT_MAX_SPACING_M = 120;
/** GB 50974-2014 §7.2.6: the least favourable hydrant gives at least 15 L/s at 0.10 MPa. */
export const HYDRANT_MIN_FLOW_LPS = 15;
export const HYDRANT_MIN_PRESSURE_MPA = 0.1;

/** GB 50016: fire lanes at least 4 m wide and 4 m high. */
export const FIRE_LANE_MIN_WIDTH_M = 4;

/**
 * Straight-line coverage circle ("5-minute circle" as the seeds draw it).
 *
 * Radius rule, from the explanatory notes of 建标152-2017 (the derivation of the 7 km² district):
 * of the 5 minutes, about 1 minute is turnout (接警出动) and 4 minutes driving; fire engines average
 * about 30 km/h in town (2 km in 4 minutes); roads are longer than the straight line by a
 * tortuosity (曲度) factor of 1.3–1.5, so the straight-line radius is 2 km / 1.4 ≈ 1.43 km
 * (a circle of about 6.4 km², close to the 7 km² class-1 district).
 *
 *   radius_m = speed_kmh / 3.6 × (target_min − turnout_min) × 60 / tortuosity
 *
 * The same rule is applied to every tier with its own target minutes; micro stations (3 min) get
 * 30/3.6 × 2 × 60 / 1.4 ≈ 714 m.
 */
export const COVERAGE_RULE = {
  speedKmh: 30,
  turnoutMin: 1,
  tortuosity: 1.4,
  source: '建标152-2017 条文说明: 1 min turnout + 4 min driving at 30 km/h, tortuosity 1.3–1.5',
} as const;

export function coverageRadiusM(targetMin: number, rule = COVERAGE_RULE): number {
  const drivingMin = Math.max(0, targetMin - rule.turnoutMin);
  return ((rule.speedKmh / 3.6) * drivingMin * 60) / rule.tortuosity;
}

/** Seeds (Yangzhou): safety responsibility boards (安全责任公示牌) are checked at least every half year. */
export const BOARD_CHECK_INTERVAL_DAYS = 183;

/**
 * Seconds of driving inside a tier's target minutes, by the same rule as the circles: the minutes
 * count from the dispatch order, so the turnout (COVERAGE_RULE.turnoutMin) comes off first. Road
 * reach (isochrones, gaps, districts, live coverage loss) is cut at this many seconds.
 */
export function drivingBudgetS(targetMin: number, rule = COVERAGE_RULE): number {
  return Math.max(0, targetMin - rule.turnoutMin) * 60;
}
