/**
 * The enterprise safety ledger: enterprises by category and four-colour risk, their inspections, and
 * their safety responsibility boards (安全责任公示牌); the CSV layout of import and export.
 */
import { Type, type Static } from 'typebox';
import { RISK_COLOURS, SAFETY_CATEGORIES } from '../domain.ts';
import { INPUT_CRS } from './geometry-input.ts';

export const EnterpriseCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' });
export const EnterpriseParams = Type.Object({ code: EnterpriseCode });

const person = Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' });
const phone = Type.String({ pattern: '^[0-9+() -]{5,20}$', description: 'digits, spaces, + ( ) -' });

export const ResponsibilityBoardBody = Type.Object(
  {
    firstResponsible: person,
    firstResponsiblePhone: phone,
    actualController: person,
    safetyManager: person,
    safetyManagerPhone: phone,
    townSupervisor: person,
    villageSupervisor: person,
    supervisorPhone: phone,
  },
  { additionalProperties: false },
);
export type ResponsibilityBoardBody = Static<typeof ResponsibilityBoardBody>;

export const ResponsibilityBoardView = Type.Object({
  ...ResponsibilityBoardBody.properties,
  postedAt: Type.String(),
  checkedAt: Type.String(),
  /** the next half-yearly check falls due */
  checkDue: Type.String(),
  overdue: Type.Boolean(),
});
export type ResponsibilityBoardView = Static<typeof ResponsibilityBoardView>;

export const InspectionBody = Type.Object(
  {
    result: Type.Enum(['passed', 'hazards_found']),
    findings: Type.Optional(Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' })),
    hazardsFound: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    inspectedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'default now; not in the future' }),
    ),
  },
  { additionalProperties: false },
);
export type InspectionBody = Static<typeof InspectionBody>;

export const InspectionView = Type.Object({
  id: Type.Integer(),
  inspectedAt: Type.String(),
  inspector: Type.String(),
  result: Type.Enum(['passed', 'hazards_found']),
  findings: Type.Union([Type.String(), Type.Null()]),
  hazardsFound: Type.Integer(),
});
export type InspectionView = Static<typeof InspectionView>;

export const EnterpriseSummary = Type.Object({
  code: Type.String(),
  name: Type.String(),
  category: Type.Enum([...SAFETY_CATEGORIES]),
  risk: Type.Enum([...RISK_COLOURS]),
  gridCode: Type.Union([Type.String(), Type.Null()]),
  villageCode: Type.Union([Type.String(), Type.Null()]),
  employees: Type.Integer(),
  address: Type.Union([Type.String(), Type.Null()]),
  lon: Type.Number(),
  lat: Type.Number(),
  lastInspectedAt: Type.Union([Type.String(), Type.Null()]),
  /** the next routine inspection by its risk colour's cadence (INSPECTION_CADENCE_DAYS) */
  inspectionDue: Type.String(),
  inspectionOverdue: Type.Boolean(),
  board: Type.Union([Type.Object({ checkedAt: Type.String(), overdue: Type.Boolean() }), Type.Null()]),
});
export type EnterpriseSummary = Static<typeof EnterpriseSummary>;

export const EnterpriseDetail = Type.Object({
  ...EnterpriseSummary.properties,
  board: Type.Union([ResponsibilityBoardView, Type.Null()]),
  /** the newest 50 */
  inspections: Type.Array(InspectionView),
});
export type EnterpriseDetail = Static<typeof EnterpriseDetail>;

export const EnterpriseListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    risk: Type.Optional(Type.Enum([...RISK_COLOURS])),
    category: Type.Optional(Type.Enum([...SAFETY_CATEGORIES])),
    /** only those whose routine inspection is past due */
    inspectionOverdue: Type.Optional(Type.Boolean()),
    /** only those without a board, or whose board's half-yearly check is past due */
    boardOverdue: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'part of the name' })),
  },
  { additionalProperties: false },
);
export type EnterpriseListQuery = Static<typeof EnterpriseListQuery>;

export const EnterpriseList = Type.Object({
  items: Type.Array(EnterpriseSummary),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type EnterpriseList = Static<typeof EnterpriseList>;

/** CSV columns, in order (the export writes them; the import needs the first eight, the board is all-or-none). */
export const ENTERPRISE_CSV_COLUMNS = [
  'code',
  'name',
  'category',
  'risk',
  'lon',
  'lat',
  'employees',
  'address',
  'first_responsible',
  'first_responsible_phone',
  'actual_controller',
  'safety_manager',
  'safety_manager_phone',
  'town_supervisor',
  'village_supervisor',
  'supervisor_phone',
] as const;
export const ENTERPRISE_CSV_REQUIRED = ENTERPRISE_CSV_COLUMNS.slice(0, 7);
export const ENTERPRISE_CSV_BOARD = ENTERPRISE_CSV_COLUMNS.slice(8);

export const EnterpriseImportQuery = Type.Object(
  {
    crs: Type.Enum([...INPUT_CRS], { default: 'wgs84', description: 'coordinate system of lon/lat' }),
  },
  { additionalProperties: false },
);
export type EnterpriseImportQuery = Static<typeof EnterpriseImportQuery>;

export const EnterpriseImportResult = Type.Object({
  rows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  boards: Type.Integer(),
});
export type EnterpriseImportResult = Static<typeof EnterpriseImportResult>;

/** 422: the import wrote nothing; every bad row is listed (row 1 is the header). */
export const EnterpriseImportErrors = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  field: Type.String(),
  errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() })),
});
export type EnterpriseImportErrors = Static<typeof EnterpriseImportErrors>;
