/**
 * Video roll-call (视频点名) of the skid-mounted stations (防消联勤服务站): every day the command centre
 * calls one third of them on video, drawn fairly (server/src/modules/rollcall/draw.ts), and records what
 * it saw; the month's figures per station feed its rating (the seeds: 每日按三分之一比例抽查点名，每月通报).
 */
import { Type, type Static } from 'typebox';
import { STATION_STATUSES } from '../domain.ts';

export const ROLLCALL_OUTCOMES = ['present', 'absent', 'equipment'] as const;
export type RollcallOutcome = (typeof ROLLCALL_OUTCOMES)[number];

const DAY = Type.String({
  pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
  description: 'YYYY-MM-DD, Beijing',
});

export const RollcallDayQuery = Type.Object(
  { date: Type.Optional({ ...DAY, description: 'YYYY-MM-DD, Beijing (default: today)' }) },
  { additionalProperties: false },
);
export type RollcallDayQuery = Static<typeof RollcallDayQuery>;

export const RollcallResult = Type.Object({
  outcome: Type.Enum([...ROLLCALL_OUTCOMES]),
  note: Type.Union([Type.String(), Type.Null()]),
  by: Type.String(),
  at: Type.String({ format: 'date-time' }),
});

export const RollcallEntry = Type.Object({
  code: Type.String(),
  name: Type.String(),
  status: Type.Enum([...STATION_STATUSES]),
  /** the station's video stream (HLS), when configured */
  streamUrl: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([RollcallResult, Type.Null()]),
});
export type RollcallEntry = Static<typeof RollcallEntry>;

export const RollcallDay = Type.Object({
  date: Type.String(),
  /** the day of its three-day cycle (1–3), and the cycle's first day */
  cycleDay: Type.Integer({ minimum: 1, maximum: 3 }),
  cycleStart: Type.String(),
  /** skid-mounted stations of the county the draw is made from */
  stations: Type.Integer(),
  /** the stations drawn that day, in your area */
  drawn: Type.Array(RollcallEntry),
});
export type RollcallDay = Static<typeof RollcallDay>;

export const RollcallResultBody = Type.Object(
  {
    date: DAY,
    station: Type.String({ minLength: 1, maxLength: 40, description: 'a station drawn that day' }),
    outcome: Type.Enum([...ROLLCALL_OUTCOMES], {
      description: 'present (在岗), absent (脱岗), equipment (a camera, network or equipment problem)',
    }),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' })),
  },
  { additionalProperties: false },
);
export type RollcallResultBody = Static<typeof RollcallResultBody>;

export const RollcallMonthQuery = Type.Object(
  {
    month: Type.Optional(
      Type.String({
        pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$',
        description: 'YYYY-MM, Beijing (default: this month)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RollcallMonthQuery = Static<typeof RollcallMonthQuery>;

const monthFigures = {
  /** days it was drawn in the month (up to today) */
  drawn: Type.Integer(),
  present: Type.Integer(),
  absent: Type.Integer(),
  equipment: Type.Integer(),
  /** drawn days without a recorded result */
  unrecorded: Type.Integer(),
  /** present / recorded, % (null when nothing was recorded) */
  presentPct: Type.Union([Type.Number(), Type.Null()]),
};
export const RollcallMonth = Type.Object({
  month: Type.String(),
  /** the days counted: the month's, up to today */
  days: Type.Integer(),
  stations: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ...monthFigures })),
  total: Type.Object(monthFigures),
});
export type RollcallMonth = Static<typeof RollcallMonth>;
