/**
 * Patrol GPS: the JSON batch our own app sends, the OsmAnd / Traccar Client HTTP protocol the stock
 * tracking apps speak, and the patrol sessions the server keeps from them.
 */
import { Type, type Static } from 'typebox';
import type { PatrolSessionLive } from './live.ts';

/** Most fixes in one POST /api/positions (the server's PATROL_BATCH_MAX may lower it). */
export const POSITION_BATCH_LIMIT = 5_000;
/** Fixes of a session's trail in the snapshot. */
export const PATROL_TRAIL_POINTS = 20;

export const PositionFix = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'WGS84 longitude' }),
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'WGS84 latitude' }),
    fixAt: Type.String({ format: 'date-time', description: "the fix's own time (device clock), ISO 8601" }),
    speedKmh: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    bearing: Type.Optional(Type.Number({ minimum: 0, maximum: 360, description: 'degrees from north' })),
    altitude: Type.Optional(Type.Number({ minimum: -1000, maximum: 20_000, description: 'metres' })),
    accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000, description: 'metres' })),
    battery: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'percent' })),
  },
  { additionalProperties: false },
);
export type PositionFix = Static<typeof PositionFix>;

export const positionBatchBody = (max: number) =>
  Type.Object(
    { positions: Type.Array(PositionFix, { minItems: 1, maxItems: max }) },
    { additionalProperties: false },
  );
export type PositionBatchBody = { positions: PositionFix[] };

/** What happened to the fixes of one request. */
export const PositionAnswer = Type.Object({
  accepted: Type.Integer({ description: 'fixes stored (in order and late ones)' }),
  duplicates: Type.Integer({ description: 'fixes already stored, or sent twice in the request: ignored' }),
  outOfOrder: Type.Integer({
    description: 'accepted fixes older than the newest one already stored: kept, not part of the distance',
  }),
  stale: Type.Integer({ description: "fixes older than the device's first patrol: ignored" }),
  sessionId: Type.Union([Type.Integer(), Type.Null()], { description: 'the open patrol session' }),
});
export type PositionAnswer = Static<typeof PositionAnswer>;

const osmandValue = (description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number()], { description }));

/** The OsmAnd protocol's parameters, as GET query or POST form (Traccar's `osmand` protocol). */
const OSMAND_FIELDS = {
  id: osmandValue('the tracker id the device is registered with'),
  deviceid: osmandValue('the same, as some clients name it'),
  lat: osmandValue('WGS84 latitude'),
  lon: osmandValue('WGS84 longitude'),
  timestamp: osmandValue('epoch seconds, epoch milliseconds or ISO 8601 (UTC when no offset); default now'),
  speed: osmandValue('speed, in knots unless PATROL_OSMAND_SPEED_UNIT says otherwise'),
  bearing: osmandValue('degrees from north'),
  heading: osmandValue('the same as bearing'),
  altitude: osmandValue('metres'),
  accuracy: osmandValue('metres'),
  hdop: osmandValue('horizontal dilution of precision'),
  batt: osmandValue('battery, percent'),
};

export const OsmAndQuery = Type.Object(
  {
    ...OSMAND_FIELDS,
    location: Type.Optional(Type.String({ maxLength: 64, description: '"lat,lon" instead of lat and lon' })),
  },
  { additionalProperties: true },
);

/** Traccar Client's JSON body (its location as the background-geolocation library reports it). */
const TraccarLocation = Type.Object(
  {
    timestamp: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number()])),
    coords: Type.Optional(
      Type.Object({
        latitude: Type.Optional(Type.Number()),
        longitude: Type.Optional(Type.Number()),
        speed: Type.Optional(Type.Number({ description: 'm/s; negative = unknown' })),
        heading: Type.Optional(Type.Number({ description: 'degrees; negative = unknown' })),
        altitude: Type.Optional(Type.Number()),
        accuracy: Type.Optional(Type.Number()),
      }),
    ),
    battery: Type.Optional(Type.Object({ level: Type.Optional(Type.Number({ description: '0..1' })) })),
  },
  { additionalProperties: true },
);

export const OsmAndBody = Type.Object(
  {
    ...OSMAND_FIELDS,
    device_id: osmandValue("Traccar Client's tracker id"),
    location: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), TraccarLocation])),
  },
  { additionalProperties: true },
);

export const PatrolParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

export const PATROL_LIST_STATES = ['active', 'ended', 'all'] as const;
export const PatrolListQuery = Type.Object(
  {
    state: Type.Enum([...PATROL_LIST_STATES], { default: 'all' }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
export type PatrolListQuery = Static<typeof PatrolListQuery>;

export const PatrolSessionView = Type.Object({
  sessionId: Type.Integer(),
  userId: Type.Integer(),
  member: Type.String(),
  grid: Type.Union([Type.String(), Type.Null()]),
  area: Type.String(),
  device: Type.String(),
  startedAt: Type.String(),
  lastFixAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  endReason: Type.Union([Type.Enum(['idle', 'ended']), Type.Null()]),
  distanceM: Type.Number(),
  durationS: Type.Number(),
  insideS: Type.Number(),
  fixes: Type.Integer(),
  exits: Type.Integer(),
  leftGridAt: Type.Union([Type.String(), Type.Null()]),
  lon: Type.Number(),
  lat: Type.Number(),
  inOwnGrid: Type.Boolean(),
});
export type PatrolSessionView = Static<typeof PatrolSessionView> & PatrolSessionLive;

export const PatrolList = Type.Object({
  items: Type.Array(PatrolSessionView),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type PatrolList = Static<typeof PatrolList>;

/**
 * Patrol compliance per grid (DOMAIN.md "Cadence"): every unit grid is patrolled every week and files at
 * least PATROL_REPORTS_PER_MONTH information reports a month. A month is a calendar month in Beijing
 * time; its weeks are the Monday-to-Sunday weeks whose Thursday falls in it (the ISO 8601 rule), so
 * every week belongs to exactly one month. A week is patrolled when a patrol session of the grid's own
 * member started in it and spent at least PATROL_MIN_INSIDE_S inside the grid. Reports are the hazards
 * reported in the grid in the month (信息采集).
 */
export const PATROL_REPORTS_PER_MONTH = 2;
/** Our policy, not a seed's figure: five minutes inside the grid make a patrol. */
export const PATROL_MIN_INSIDE_S = 300;
export const COMPLIANCE_LEVELS = ['unit', 'village', 'town'] as const;

export const PatrolComplianceQuery = Type.Object(
  {
    month: Type.Optional(
      Type.String({
        pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$',
        description: 'YYYY-MM in Beijing time (default: this month)',
      }),
    ),
    level: Type.Enum([...COMPLIANCE_LEVELS], { default: 'unit' }),
  },
  { additionalProperties: false },
);
export type PatrolComplianceQuery = Static<typeof PatrolComplianceQuery>;

const ComplianceWeek = Type.Object({
  /** the Monday, YYYY-MM-DD (Beijing) */
  start: Type.String(),
  patrolled: Type.Boolean(),
  /** the week is over, so it is judged (the current week counts only once patrolled) */
  due: Type.Boolean(),
});
const complianceCounts = {
  units: Type.Integer(),
  /** unit grids patrolled in every week that is over */
  patrolOk: Type.Integer(),
  /** unit grids with at least the monthly reports */
  reportsOk: Type.Integer(),
  /** both */
  compliant: Type.Integer(),
  compliantPct: Type.Number(),
};
export const PatrolComplianceRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Enum([...COMPLIANCE_LEVELS]),
  /** the village and town grid codes it lies in (itself at its own level) */
  village: Type.Union([Type.String(), Type.Null()]),
  town: Type.String(),
  /** unit rows: week by week, and the reports of the month */
  weeks: Type.Optional(Type.Array(ComplianceWeek)),
  reports: Type.Integer(),
  ...complianceCounts,
});
export type PatrolComplianceRow = Static<typeof PatrolComplianceRow>;
export const PatrolCompliance = Type.Object({
  month: Type.String(),
  level: Type.Enum([...COMPLIANCE_LEVELS]),
  /** the calendar month, [from, to) (reports are counted in it) */
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  /** the Mondays of its weeks, YYYY-MM-DD (patrols are counted in them) */
  weeks: Type.Array(Type.String()),
  /** the month is over (before that, reports and the current week are still coming in) */
  monthOver: Type.Boolean(),
  rule: Type.Object({ reportsPerMonth: Type.Integer(), minInsideS: Type.Integer() }),
  rows: Type.Array(PatrolComplianceRow),
  total: Type.Object({ reports: Type.Integer(), ...complianceCounts }),
});
export type PatrolCompliance = Static<typeof PatrolCompliance>;
