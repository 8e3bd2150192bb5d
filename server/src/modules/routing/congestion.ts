/**
 * Time-of-day congestion: a travel-time multiplier per road class, applied to the free-flow times
 * (`cost_s`, from length and the class speed) when ROUTING_CONGESTION is on. Off by default, so
 * travel times equal pgRouting's over the `roads` collection.
 *
 * The factors are planning assumptions, not measurements: a fire engine with lights and siren is
 * slowed less than ordinary traffic, most on arterials and collectors at the rush hours, least on
 * expressways and village roads. Replace them with measured factors (e.g. from floating-car data)
 * where a county has them; the README lists them.
 */
import { ROAD_CLASSES, type RoadClass } from '../../../../shared/src/domain.ts';

export interface CongestionPeriod {
  name: string;
  /** local hours [from, to) in China Standard Time (UTC+8, no daylight saving) */
  fromHour: number;
  toHour: number;
  factor: Record<RoadClass, number>;
}

const FREE_FLOW: Record<RoadClass, number> = {
  expressway: 1,
  ramp: 1,
  arterial: 1,
  collector: 1,
  street: 1,
  village: 1,
};

export const CONGESTION_PERIODS: CongestionPeriod[] = [
  {
    name: 'morning peak',
    fromHour: 7,
    toHour: 9,
    factor: { expressway: 1.15, ramp: 1.3, arterial: 1.5, collector: 1.4, street: 1.25, village: 1.05 },
  },
  {
    name: 'daytime',
    fromHour: 9,
    toHour: 17,
    factor: { expressway: 1.05, ramp: 1.1, arterial: 1.2, collector: 1.15, street: 1.1, village: 1 },
  },
  {
    name: 'evening peak',
    fromHour: 17,
    toHour: 19,
    factor: { expressway: 1.2, ramp: 1.35, arterial: 1.6, collector: 1.45, street: 1.3, village: 1.05 },
  },
];

const CST_OFFSET_H = 8;

/** The multiplier per road class index at `when`; all 1 outside the periods (evening and night). */
export function congestionFactors(when: Date): Float64Array {
  const hour = (when.getUTCHours() + CST_OFFSET_H) % 24;
  const period = CONGESTION_PERIODS.find((p) => hour >= p.fromHour && hour < p.toHour);
  const factor = period?.factor ?? FREE_FLOW;
  return Float64Array.from(ROAD_CLASSES, (c) => factor[c]);
}
