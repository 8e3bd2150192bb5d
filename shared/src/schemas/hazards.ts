/**
 * Hazard reports (隐患上报) from handhelds, and the views of stored hazards. A report is
 * `multipart/form-data` (the fields below, `location` as a JSON text part, photos as file parts named
 * `photos`) or a JSON body without photos.
 */
import { Type, type Static } from 'typebox';
import { DEPARTMENTS } from '../auth.ts';
import { SAFETY_CATEGORIES } from '../domain.ts';
import { HAZARD_ACTIONS, HAZARD_LEVELS, HAZARD_PHOTOS_PER_CASE, PHOTO_ACTIONS } from '../hazard-workflow.ts';
import { INPUT_CRS } from './geometry-input.ts';

export const HAZARD_STATES = [
  'reported',
  'classified',
  'assigned',
  'handling',
  'checking',
  'closed',
] as const;
export const HAZARD_SEVERITIES = ['general', 'major'] as const;
/** What a photo may be, decided by its content (magic bytes), never by its name or declared type. */
export const HAZARD_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type HazardPhotoType = (typeof HAZARD_PHOTO_TYPES)[number];
/** The live payload's `title`: the description cut to this many characters. */
export const HAZARD_TITLE_MAX = 120;

export const HazardLocation = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    crs: Type.Enum([...INPUT_CRS], {
      description: 'coordinate system of lon/lat (wgs84 = GPS, gcj02 = AMap/Tencent, bd09 = Baidu)',
    }),
  },
  { additionalProperties: false },
);
export type HazardLocation = Static<typeof HazardLocation>;

const reportFields = {
  category: Type.Enum([...SAFETY_CATEGORIES]),
  description: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }),
  location: HazardLocation,
};

/** The JSON body (a report without photos). */
export const HazardReportBody = Type.Object(reportFields, { additionalProperties: false });
export type HazardReportBody = Static<typeof HazardReportBody>;

/** The multipart form, as documented; `location` is sent as a JSON text part and checked as above. */
export const HazardReportForm = Type.Object(
  {
    ...reportFields,
    photos: Type.Optional(
      Type.Array(Type.String({ format: 'binary' }), {
        description: 'JPEG, PNG or WebP (checked by content); limits: see the server configuration',
      }),
    ),
  },
  { additionalProperties: false },
);

/** `Idempotency-Key`: the same key from the same account returns the first answer and creates nothing. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ pattern: '^[!-~]{1,128}$', description: '1–128 visible ASCII characters' }),
  ),
});

export const HazardId = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
export const HazardParams = Type.Object({ id: HazardId });
export const HazardPhotoParams = Type.Object({
  id: HazardId,
  n: Type.Integer({ minimum: 1, maximum: HAZARD_PHOTOS_PER_CASE }),
});

export const HazardPhotoView = Type.Object({
  n: Type.Integer(),
  /** the timeline step it came with (1: the report) */
  step: Type.Integer(),
  mime: Type.Enum([...HAZARD_PHOTO_TYPES]),
  bytes: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  sha256: Type.String(),
  /** position and time from the photo's EXIF, when it carries them */
  exif: Type.Union([
    Type.Object({
      lon: Type.Union([Type.Number(), Type.Null()]),
      lat: Type.Union([Type.Number(), Type.Null()]),
      takenAt: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  url: Type.String(),
  thumbnailUrl: Type.String(),
});
export type HazardPhotoView = Static<typeof HazardPhotoView>;

/** One step of the hazard's timeline, oldest first. */
export const HazardStepView = Type.Object({
  n: Type.Integer(),
  action: Type.Enum(['report', ...HAZARD_ACTIONS]),
  fromState: Type.Union([Type.Enum([...HAZARD_STATES]), Type.Null()]),
  toState: Type.Enum([...HAZARD_STATES]),
  fromLevel: Type.Union([Type.Enum([...HAZARD_LEVELS]), Type.Null()]),
  toLevel: Type.Enum([...HAZARD_LEVELS]),
  department: Type.Union([Type.Enum([...DEPARTMENTS]), Type.Null()]),
  actor: Type.String(),
  actorRole: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  deadline: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  at: Type.String(),
});
export type HazardStepView = Static<typeof HazardStepView>;

/**
 * A step of the closed loop. `version` is the hazard's version the client saw: a hazard changed since
 * answers 409, so two operators clicking at once move it once. Which fields an action needs:
 * `ACTION_REQUIRES` in hazard-workflow.ts.
 */
const actionFields = {
  action: Type.Enum([...HAZARD_ACTIONS]),
  version: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }),
  severity: Type.Optional(Type.Enum([...HAZARD_SEVERITIES])),
  category: Type.Optional(Type.Enum([...SAFETY_CATEGORIES])),
  responsible: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
  assigneeId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 })),
  department: Type.Optional(Type.Enum([...DEPARTMENTS])),
  note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' })),
  deadline: Type.Optional(
    Type.String({ format: 'date-time', description: 'overrides the default by severity' }),
  ),
};
export const HazardActionBody = Type.Object(actionFields, { additionalProperties: false });
/**
 * The multipart form of a step with photos (PHOTO_ACTIONS: progress, submit, accept, reject): the fields
 * above as text parts, photos as file parts named `photos`, checked like a report's.
 */
export const HazardActionForm = Type.Object(
  {
    ...actionFields,
    photos: Type.Optional(
      Type.Array(Type.String({ format: 'binary' }), {
        description: `only with ${PHOTO_ACTIONS.join(', ')}; JPEG, PNG or WebP (checked by content)`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type HazardActionBody = Static<typeof HazardActionBody>;

/** The fields of the live payload `HazardLive` (schemas/live.ts), plus where it lies. */
const summaryFields = {
  id: Type.Integer(),
  category: Type.Enum([...SAFETY_CATEGORIES]),
  state: Type.Enum([...HAZARD_STATES]),
  severity: Type.Union([Type.Enum([...HAZARD_SEVERITIES]), Type.Null()]),
  lon: Type.Number(),
  lat: Type.Number(),
  title: Type.String(),
  reportedAt: Type.String(),
  reporter: Type.String(),
  photos: Type.Integer(),
  deadline: Type.Union([Type.String(), Type.Null()]),
  yellowAt: Type.Union([Type.String(), Type.Null()], { description: 'when the timer turns yellow' }),
  level: Type.Enum([...HAZARD_LEVELS]),
  department: Type.Union([Type.Enum([...DEPARTMENTS]), Type.Null()]),
  supervised: Type.Boolean({ description: 'entered supervision (督查督办) after its deadline' }),
  version: Type.Integer(),
  villageCode: Type.String(),
  gridCode: Type.Union([Type.String(), Type.Null()]),
};

export const HazardSummary = Type.Object(summaryFields);
export type HazardSummary = Static<typeof HazardSummary>;

export const HazardDetail = Type.Object({
  ...summaryFields,
  description: Type.String(),
  villageName: Type.String(),
  gridName: Type.Union([Type.String(), Type.Null()]),
  locationCrs: Type.Enum([...INPUT_CRS]),
  responsible: Type.Union([Type.String(), Type.Null()]),
  assignee: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  photoList: Type.Array(HazardPhotoView),
  steps: Type.Array(HazardStepView),
  /** what the viewer may do next (the buttons to show) */
  actions: Type.Array(Type.Enum([...HAZARD_ACTIONS])),
});
export type HazardDetail = Static<typeof HazardDetail>;

export const HazardListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat (WGS84)', maxLength: 200 })),
    state: Type.Optional(
      Type.Enum([...HAZARD_STATES], { description: 'one state (closed ones only this way)' }),
    ),
    level: Type.Optional(Type.Enum([...HAZARD_LEVELS])),
    overdue: Type.Optional(Type.Boolean({ description: 'only open cases past their deadline' })),
  },
  { additionalProperties: false },
);
export type HazardListQuery = Static<typeof HazardListQuery>;

export const HazardList = Type.Object({
  items: Type.Array(HazardSummary),
  total: Type.Integer({ description: 'hazards matching the filters in scope (and bbox)' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type HazardList = Static<typeof HazardList>;

/** What the ledger statistics group by (台账统计). */
export const HAZARD_STATS_BY = ['town', 'village', 'grid', 'category', 'severity', 'level', 'month'] as const;
export type HazardStatsBy = (typeof HAZARD_STATS_BY)[number];

export const HazardStatsQuery = Type.Object(
  {
    by: Type.Enum([...HAZARD_STATS_BY], { default: 'town' }),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'reported at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'reported before' })),
    category: Type.Optional(Type.Enum([...SAFETY_CATEGORIES])),
  },
  { additionalProperties: false },
);
export type HazardStatsQuery = Static<typeof HazardStatsQuery>;

const statsFields = {
  /** hazards found (reported) in the period */
  found: Type.Integer(),
  /** of those, rectified (closed after the check) */
  rectified: Type.Integer(),
  /** rectified / found, 0..1 (null when none were found) */
  rate: Type.Union([Type.Number(), Type.Null()]),
  /** still open and past their deadline now */
  overdue: Type.Integer(),
  /** closed after their deadline */
  closedLate: Type.Integer(),
  /** mean hours from report to close, of the rectified ones */
  avgCloseH: Type.Union([Type.Number(), Type.Null()]),
};
export const HazardStatsRow = Type.Object({
  key: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  ...statsFields,
});
export type HazardStatsRow = Static<typeof HazardStatsRow>;
export const HazardStats = Type.Object({
  by: Type.Enum([...HAZARD_STATS_BY]),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  rows: Type.Array(HazardStatsRow),
  total: Type.Object(statsFields),
});
export type HazardStats = Static<typeof HazardStats>;

/** A grid member who may follow a case up (the assignee of `assign`): works in the hazard's village. */
export const HazardAssignee = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** the member's own unit grid, when assigned one */
  grid: Type.Union([Type.String(), Type.Null()]),
});
export type HazardAssignee = Static<typeof HazardAssignee>;
export const HazardAssignees = Type.Array(HazardAssignee);
