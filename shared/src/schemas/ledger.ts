/**
 * The periodic lists and the monthly bulletin (DOMAIN.md, Yangzhou's "three lists"), generated from the
 * hazard records and their timelines. Every list is the state as it stood at its period's end (or now,
 * while the period runs), so a list printed later shows what was true then.
 *
 * - Key-hazard list (重点隐患清单), every half month, per industry department: hazards in the
 *   department's charge that were open at some time in the half month and are major, were past their
 *   deadline, or had been escalated above the village.
 * - Joint-tackling list (联合攻坚清单), monthly: hazards still open at the month's end with the county grid
 *   centre or a county department that are major or past their deadline: what the county has not
 *   removed with its own means and reports up for the city's departments to take on.
 * - Coordination-request list (提请协调清单), monthly: hazards still open at the month's end after being
 *   pressed under supervision (督查督办), for the leader in charge to coordinate.
 * - Monthly bulletin (月度通报): per town, hazards found and rectified, the rectification rate, overdue and
 *   supervised cases and patrol compliance, ranked, beside the previous month.
 */
import { Type, type Static } from 'typebox';
import { DEPARTMENTS } from '../auth.ts';
import { SAFETY_CATEGORIES } from '../domain.ts';
import { HAZARD_LEVELS } from '../hazard-workflow.ts';
import { HAZARD_SEVERITIES, HAZARD_STATES } from './hazards.ts';

/** json: the figures; xlsx: an Excel workbook; html: a printable page (A4) in Chinese. */
export const LEDGER_FORMATS = ['json', 'xlsx', 'html'] as const;
export type LedgerFormat = (typeof LEDGER_FORMATS)[number];

const MONTH_PATTERN = '^20[0-9]{2}-(0[1-9]|1[0-2])$';
const format = Type.Enum([...LEDGER_FORMATS], { default: 'json' });

export const KeyHazardQuery = Type.Object(
  {
    half: Type.Optional(
      Type.String({
        pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])-[12]$',
        description:
          'YYYY-MM-1 (the 1st to the 15th) or YYYY-MM-2 (the 16th to the month end), Beijing time; default: the current half',
      }),
    ),
    department: Type.Optional(Type.Enum([...DEPARTMENTS], { description: 'one department only' })),
    format,
  },
  { additionalProperties: false },
);
export type KeyHazardQuery = Static<typeof KeyHazardQuery>;

export const LedgerMonthQuery = Type.Object(
  {
    month: Type.Optional(
      Type.String({ pattern: MONTH_PATTERN, description: 'YYYY-MM in Beijing time (default: this month)' }),
    ),
    format,
  },
  { additionalProperties: false },
);
export type LedgerMonthQuery = Static<typeof LedgerMonthQuery>;

/** Why a hazard is on a list. */
export const LISTED_REASONS = ['major', 'overdue', 'escalated', 'supervised'] as const;
export type ListedReason = (typeof LISTED_REASONS)[number];

const LevelMove = Type.Object({
  at: Type.String({ format: 'date-time' }),
  action: Type.Enum(['escalate', 'deescalate']),
  fromLevel: Type.Enum([...HAZARD_LEVELS]),
  toLevel: Type.Enum([...HAZARD_LEVELS]),
  department: Type.Union([Type.Enum([...DEPARTMENTS]), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});

/** A hazard as it stood at the list's end. */
export const ListedHazard = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  category: Type.Enum([...SAFETY_CATEGORIES]),
  severity: Type.Union([Type.Enum([...HAZARD_SEVERITIES]), Type.Null()]),
  /** the department in charge: the county department holding it, else its category's (INDUSTRY_DEPARTMENT) */
  department: Type.Enum([...DEPARTMENTS]),
  town: Type.String(),
  townName: Type.Union([Type.String(), Type.Null()]),
  village: Type.String(),
  villageName: Type.Union([Type.String(), Type.Null()]),
  grid: Type.Union([Type.String(), Type.Null()]),
  responsible: Type.Union([Type.String(), Type.Null()]),
  reportedAt: Type.String({ format: 'date-time' }),
  /** at the list's end */
  state: Type.Enum([...HAZARD_STATES]),
  level: Type.Enum([...HAZARD_LEVELS]),
  deadline: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** open and past its deadline at the list's end */
  overdue: Type.Boolean(),
  /** whole days past the deadline at the list's end (0 when not overdue) */
  overdueDays: Type.Integer(),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** reported within the period */
  isNew: Type.Boolean(),
  /** closed within the period */
  rectified: Type.Boolean(),
  reasons: Type.Array(Type.Enum([...LISTED_REASONS])),
  /** escalations and de-escalations up to the list's end, oldest first, with their reasons */
  moves: Type.Array(LevelMove),
  /** times pressed under supervision up to the list's end, and the last press */
  pressed: Type.Integer(),
  lastPressed: Type.Union([
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      by: Type.String(),
      level: Type.Enum([...HAZARD_LEVELS]),
      note: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});
export type ListedHazard = Static<typeof ListedHazard>;

const listCounts = {
  listed: Type.Integer(),
  /** reported within the period */
  new: Type.Integer(),
  /** closed within the period */
  rectified: Type.Integer(),
  /** open at the period's end */
  open: Type.Integer(),
  /** open and past the deadline at the period's end */
  overdue: Type.Integer(),
};
export const ListCounts = Type.Object(listCounts);
export type ListCounts = Static<typeof ListCounts>;

const period = {
  /** [from, to) of the period */
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  /** the instant the list stands at: the period's end, or now while it runs */
  asOf: Type.String({ format: 'date-time' }),
  /** the period is over */
  final: Type.Boolean(),
  /** the area's division code and name */
  area: Type.String(),
  areaName: Type.String(),
};

export const KeyHazardList = Type.Object({
  half: Type.String(),
  ...period,
  departments: Type.Array(
    Type.Object({ department: Type.Enum([...DEPARTMENTS]), ...listCounts, rows: Type.Array(ListedHazard) }),
  ),
  total: Type.Object(listCounts),
});
export type KeyHazardList = Static<typeof KeyHazardList>;

export const MonthList = Type.Object({
  month: Type.String(),
  ...period,
  rows: Type.Array(ListedHazard),
  total: Type.Object(listCounts),
  byDepartment: Type.Array(Type.Object({ department: Type.Enum([...DEPARTMENTS]), ...listCounts })),
});
export type MonthList = Static<typeof MonthList>;

const bulletinFigures = {
  /** reported in the month */
  found: Type.Integer(),
  /** of those, closed by the month's end */
  rectified: Type.Integer(),
  /** rectified / found (null when none were found) */
  rate: Type.Union([Type.Number(), Type.Null()]),
  /** closed in the month, whenever reported */
  closedInMonth: Type.Integer(),
  /** open at the month's end */
  open: Type.Integer(),
  /** open and past the deadline at the month's end */
  overdue: Type.Integer(),
  /** presses under supervision in the month */
  pressed: Type.Integer(),
};
export const BulletinFigures = Type.Object(bulletinFigures);
export type BulletinFigures = Static<typeof BulletinFigures>;

export const Bulletin = Type.Object({
  month: Type.String(),
  ...period,
  total: Type.Object({
    ...bulletinFigures,
    /** unit grids meeting both patrol rules, of all unit grids (patrol compliance) */
    patrolUnits: Type.Integer(),
    patrolCompliant: Type.Integer(),
  }),
  previous: Type.Object({ month: Type.String(), ...bulletinFigures }),
  /** towns ranked: rectification rate (none found ranks after those with one), then fewer overdue, then patrol compliance */
  towns: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      ...bulletinFigures,
      patrolUnits: Type.Integer(),
      patrolCompliant: Type.Integer(),
      patrolPct: Type.Number(),
    }),
  ),
  categories: Type.Array(
    Type.Object({
      category: Type.Enum([...SAFETY_CATEGORIES]),
      found: Type.Integer(),
      rectified: Type.Integer(),
      major: Type.Integer(),
    }),
  ),
  /** how many hazards the month's lists hold */
  lists: Type.Object({
    keyHazards: Type.Array(Type.Object({ half: Type.String(), listed: Type.Integer() })),
    jointTackling: Type.Integer(),
    coordination: Type.Integer(),
  }),
});
export type Bulletin = Static<typeof Bulletin>;
