/**
 * The wall's figures (issue 9): what the grid centre's big screen charts beside the map, read in one
 * consistent snapshot of the caller's area together with the event log's head, so the wall knows which
 * live events the figures already include and reads them again when a newer one arrives.
 */
import { Type, type Static, type TInteger, type TObject } from 'typebox';
import { SAFETY_CATEGORIES, STATION_STATUSES, STATION_TIERS } from '../domain.ts';
import { HAZARD_LEVELS } from '../hazard-workflow.ts';
import { HAZARD_STATES } from './hazards.ts';

/** A count for every key (zero included), so a chart's bars never move. */
const countsOf = <K extends string>(keys: readonly K[]) =>
  Type.Object(
    Object.fromEntries(keys.map((k) => [k, Type.Integer({ minimum: 0 })])) as unknown as Record<K, TInteger>,
    { additionalProperties: false },
  );

export const WallHazardPeriod = Type.Object({
  /** the period's start (Beijing midnight of the day, or of the month's first day) */
  from: Type.String({ format: 'date-time' }),
  /** hazards reported in the period */
  found: Type.Integer(),
  /** of those, closed after the check */
  rectified: Type.Integer(),
  /** rectified / found (null when none were found) */
  rate: Type.Union([Type.Number(), Type.Null()]),
  byCategory: countsOf(SAFETY_CATEGORIES),
  /** where the period's hazards stand now */
  byState: countsOf(HAZARD_STATES),
});
export type WallHazardPeriod = Static<typeof WallHazardPeriod>;

export const WallSummary = Type.Object({
  /** the caller's area (division code) */
  scope: Type.String(),
  /** the newest event the figures include: a live event with a greater seq calls for a new read */
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  /** Beijing day and month the periods follow */
  day: Type.String(),
  month: Type.String(),
  today: WallHazardPeriod,
  thisMonth: WallHazardPeriod,
  /** open cases (any period), and those past their deadline by the level holding them */
  open: Type.Integer(),
  overdueByLevel: countsOf(HAZARD_LEVELS),
  /** patrol sessions not ended: members on duty, and those now outside their own grid; by town too */
  patrols: Type.Object({
    onDuty: Type.Integer(),
    outsideGrid: Type.Integer(),
    /** towns with members on duty, most first (a session at county level counts under the county) */
    byTown: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        onDuty: Type.Integer({ minimum: 1 }),
        outsideGrid: Type.Integer({ minimum: 0 }),
      }),
    ),
  }),
  /** fire forces by tier and status */
  forces: Type.Object(
    Object.fromEntries(STATION_TIERS.map((tier) => [tier, countsOf(STATION_STATUSES)])) as unknown as Record<
      (typeof STATION_TIERS)[number],
      TObject<Record<(typeof STATION_STATUSES)[number], TInteger>>
    >,
    { additionalProperties: false },
  ),
  /** people within their tier's minutes of an available force by road, now and with every force available */
  coverage: Type.Object({
    population: Type.Number(),
    nowPopulation: Type.Number(),
    plannedPopulation: Type.Number(),
    /** nowPopulation / population (null when the area has no people on roads) */
    share: Type.Union([Type.Number(), Type.Null()]),
  }),
});
export type WallSummary = Static<typeof WallSummary>;
