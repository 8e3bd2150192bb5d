/**
 * Live coverage loss: what the county loses of its road cover while forces are busy or out of service,
 * and the move-up that wins back the most (GET /api/coverage/live).
 */
import { Type, type Static } from 'typebox';
import { RESCUE_STATION_CLASSES, STATION_STATUSES, STATION_TIERS } from '../domain.ts';

const Force = Type.Object({
  id: Type.String({ description: 'station code' }),
  name: Type.String(),
  tier: Type.Enum([...STATION_TIERS]),
});

export const CoverageMoveUp = Type.Object({
  force: Force,
  /** the empty station it should move up to */
  to: Type.Object({ id: Type.String(), name: Type.String(), lon: Type.Number(), lat: Type.Number() }),
  regainedPopulation: Type.Number(),
  /** people only the moving force covered where it stands now */
  uncoveredByLeaving: Type.Number(),
  netPopulation: Type.Number(),
});
export type CoverageMoveUp = Static<typeof CoverageMoveUp>;

export const CoverageLive = Type.Object({
  scope: Type.String(),
  computedAt: Type.String({ format: 'date-time' }),
  computeMs: Type.Number(),
  unavailable: Type.Array(Type.Object({ ...Force.properties, status: Type.Enum([...STATION_STATUSES]) })),
  /** people of the area (unit grids with roads) */
  population: Type.Number(),
  /** within their tier's minutes of some force, were every force available */
  plannedPopulation: Type.Number(),
  /** within their tier's minutes of an available force now */
  nowPopulation: Type.Number(),
  lost: Type.Object({
    population: Type.Number(),
    areaKm2: Type.Number(),
    highRiskEnterprises: Type.Integer(),
    roadNodes: Type.Integer(),
    /** the roads whose both ends lost their cover (at most 20,000 edges drawn) */
    roads: Type.Object({
      type: Type.Literal('MultiLineString'),
      coordinates: Type.Array(Type.Array(Type.Tuple([Type.Number(), Type.Number()]))),
    }),
  }),
  moveUp: Type.Union([CoverageMoveUp, Type.Null()]),
});
export type CoverageLive = Static<typeof CoverageLive>;

// ---------------------------------------------------------------------------------------------------
// The planner (issue 7): road reach beside the circles, gaps per grid, service districts, hydrant gaps

const Position = Type.Tuple([Type.Number(), Type.Number()]);
export const MultiPolygonGeometry = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(Type.Array(Position))),
});
const MultiLineStringGeometry = Type.Object({
  type: Type.Literal('MultiLineString'),
  coordinates: Type.Array(Type.Array(Position)),
});

const tierFilter = Type.Optional(
  Type.Array(Type.Enum([...STATION_TIERS]), {
    minItems: 1,
    maxItems: STATION_TIERS.length,
    uniqueItems: true,
    description: 'only these tiers (repeat the parameter for several); default all',
  }),
);

/** How the planner measured: the raster's cell, the trim around reached roads, the turnout. */
const Method = Type.Object({
  cellM: Type.Number({ description: 'raster cell, m: areas and people are cell counts' }),
  trimM: Type.Number({ description: 'land within this distance of a reached road counts as reached, m' }),
  turnoutMin: Type.Number({ description: 'minutes of turnout taken off each tier’s target before driving' }),
});

export const CoverageReachQuery = Type.Object({ tier: tierFilter }, { additionalProperties: false });
export type CoverageReachQuery = Static<typeof CoverageReachQuery>;

export const CoverageReachForce = Type.Object({
  ...Force.properties,
  stationClass: Type.Union([Type.Enum([...RESCUE_STATION_CLASSES]), Type.Null()]),
  status: Type.Enum([...STATION_STATUSES]),
  minutes: Type.Number({ description: 'the tier’s target minutes' }),
  driveS: Type.Number({ description: 'seconds of driving (target minus turnout)' }),
  reachedNodes: Type.Integer(),
  reachKm2: Type.Number({ description: 'county land reached by road' }),
  circleKm2: Type.Number({ description: 'county land inside the straight-line circle' }),
  circleRadiusM: Type.Number(),
  overstatedKm2: Type.Number({ description: 'inside the circle but not reached by road' }),
  overstatedPct: Type.Number({ description: 'overstatedKm2 as a share of circleKm2, %' }),
  /** null when the force stands farther than the snapping limit from every road */
  reach: Type.Union([MultiPolygonGeometry, Type.Null()]),
});
export type CoverageReachForce = Static<typeof CoverageReachForce>;

const Share = Type.Object({ population: Type.Number(), sharePct: Type.Number(), areaKm2: Type.Number() });

export const CoverageTotals = Type.Object({
  population: Type.Number({ description: 'people of the area’s unit grids' }),
  areaKm2: Type.Number(),
  byRoad: Share,
  byCircle: Share,
});
export type CoverageTotals = Static<typeof CoverageTotals>;

export const CoverageReach = Type.Object({
  scope: Type.String(),
  computedAt: Type.String({ format: 'date-time' }),
  computeMs: Type.Number(),
  method: Method,
  totals: CoverageTotals,
  forces: Type.Array(CoverageReachForce),
});
export type CoverageReach = Static<typeof CoverageReach>;

export const GAP_LEVELS = ['town', 'village', 'unit'] as const;

export const CoverageGapsQuery = Type.Object(
  {
    level: Type.Enum([...GAP_LEVELS], {
      default: 'village',
      description: 'rows per town, village or unit grid',
    }),
    tier: tierFilter,
  },
  { additionalProperties: false },
);
export type CoverageGapsQuery = Static<typeof CoverageGapsQuery>;

const RiskCounts = Type.Object({
  red: Type.Integer(),
  orange: Type.Integer(),
  yellow: Type.Integer(),
  blue: Type.Integer(),
});

export const CoverageGapRow = Type.Object({
  code: Type.String({ description: 'grid code' }),
  name: Type.String(),
  level: Type.Enum([...GAP_LEVELS]),
  admin: Type.String({ description: 'the division code it lies in' }),
  areaKm2: Type.Number(),
  uncoveredKm2: Type.Number(),
  uncoveredPct: Type.Number(),
  population: Type.Number(),
  uncoveredPopulation: Type.Number(),
  households: Type.Number(),
  uncoveredHouseholds: Type.Number(),
  uncoveredPopulationByCircle: Type.Number(),
  enterprises: RiskCounts,
  uncoveredEnterprises: RiskCounts,
  openHazards: Type.Integer(),
  uncoveredOpenHazards: Type.Integer(),
});
export type CoverageGapRow = Static<typeof CoverageGapRow>;

/** The CSV export's columns, in order (nested counts flattened as enterprisesRed, uncoveredEnterprisesRed, ...). */
export const GAP_CSV_COLUMNS = [
  'code',
  'name',
  'level',
  'admin',
  'areaKm2',
  'uncoveredKm2',
  'uncoveredPct',
  'population',
  'uncoveredPopulation',
  'households',
  'uncoveredHouseholds',
  'uncoveredPopulationByCircle',
  'enterprisesRed',
  'enterprisesOrange',
  'enterprisesYellow',
  'enterprisesBlue',
  'uncoveredEnterprisesRed',
  'uncoveredEnterprisesOrange',
  'uncoveredEnterprisesYellow',
  'uncoveredEnterprisesBlue',
  'openHazards',
  'uncoveredOpenHazards',
] as const;

export const CoverageGaps = Type.Object({
  scope: Type.String(),
  level: Type.Enum([...GAP_LEVELS]),
  computedAt: Type.String({ format: 'date-time' }),
  computeMs: Type.Number(),
  method: Method,
  totals: CoverageTotals,
  /** most people left out first */
  rows: Type.Array(CoverageGapRow),
  /** the area’s land outside every chosen force’s road reach */
  uncovered: MultiPolygonGeometry,
});
export type CoverageGaps = Static<typeof CoverageGaps>;

export const CoverageDistrictsQuery = Type.Object(
  {
    tier: Type.Optional(
      Type.Array(Type.Enum([...STATION_TIERS]), {
        minItems: 1,
        maxItems: STATION_TIERS.length,
        uniqueItems: true,
        description:
          'the forces that share the land out (default: rescue stations only, as 建标152-2017 plans them)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CoverageDistrictsQuery = Static<typeof CoverageDistrictsQuery>;

export const DistrictVerdict = Type.Object({
  pass: Type.Boolean(),
  area: Type.Object({ km2: Type.Number(), maxKm2: Type.Number(), pass: Type.Boolean() }),
  edge: Type.Object({ minutes: Type.Number(), maxMinutes: Type.Number(), pass: Type.Boolean() }),
  reasons: Type.Array(Type.String()),
});
export type DistrictVerdict = Static<typeof DistrictVerdict>;

export const CoverageDistrict = Type.Object({
  ...Force.properties,
  stationClass: Type.Union([Type.Enum([...RESCUE_STATION_CLASSES]), Type.Null()]),
  areaKm2: Type.Number(),
  edgeDriveS: Type.Number({ description: 'longest drive to a road point of the district, s' }),
  /** 建标152-2017, for rescue stations (null for the other tiers) */
  verdict: Type.Union([DistrictVerdict, Type.Null()]),
  district: Type.Union([MultiPolygonGeometry, Type.Null()]),
});
export type CoverageDistrict = Static<typeof CoverageDistrict>;

export const CoverageDistricts = Type.Object({
  scope: Type.String(),
  computedAt: Type.String({ format: 'date-time' }),
  computeMs: Type.Number(),
  method: Method,
  districts: Type.Array(CoverageDistrict),
  /** county land no force reaches by road at all */
  unassignedKm2: Type.Number(),
});
export type CoverageDistricts = Static<typeof CoverageDistricts>;

export const HydrantGapsQuery = Type.Object(
  {
    without: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'a hydrant’s code: what changes when it goes out of service',
      }),
    ),
  },
  { additionalProperties: false },
);
export type HydrantGapsQuery = Static<typeof HydrantGapsQuery>;

export const HydrantGaps = Type.Object({
  scope: Type.String(),
  computedAt: Type.String({ format: 'date-time' }),
  computeMs: Type.Number(),
  radiusM: Type.Number({ description: 'GB 50974-2014 protection radius' }),
  spacingM: Type.Number({ description: 'GB 50974-2014 largest spacing' }),
  hydrants: Type.Object({ total: Type.Integer(), inService: Type.Integer() }),
  roads: Type.Object({
    km: Type.Number(),
    uncoveredKm: Type.Number(),
    uncoveredPct: Type.Number(),
    /** road stretches farther than radiusM from every in-service hydrant */
    uncovered: MultiLineStringGeometry,
  }),
  spacing: Type.Object({
    /** in-service hydrants whose nearest in-service neighbour along the roads is farther than spacingM */
    over: Type.Integer(),
    hydrants: Type.Array(
      Type.Object({
        id: Type.String(),
        lon: Type.Number(),
        lat: Type.Number(),
        nearestM: Type.Union([Type.Number(), Type.Null()]),
        nearest: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  }),
  without: Type.Union([
    Type.Object({
      id: Type.String(),
      newlyUncoveredKm: Type.Number(),
      newlyUncovered: MultiLineStringGeometry,
    }),
    Type.Null(),
  ]),
});
export type HydrantGaps = Static<typeof HydrantGaps>;

// What-if: new stations and stations switched off

const Point = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
});

export const SITING_OBJECTIVES = ['population', 'high_risk'] as const;
export const SITING_MAX_K = 10;
export const SITING_MAX_CANDIDATES = 500;

export const CoverageSitingBody = Type.Object(
  {
    tier: Type.Enum([...STATION_TIERS], {
      default: 'joint_station',
      description: 'the tier of the new stations',
    }),
    k: Type.Integer({ minimum: 1, maximum: SITING_MAX_K, default: 3, description: 'how many new stations' }),
    objective: Type.Enum([...SITING_OBJECTIVES], {
      default: 'population',
      description: 'what to cover most of: people, or red and orange enterprises',
    }),
    candidates: Type.Optional(
      Type.Array(Point, {
        minItems: 1,
        maxItems: SITING_MAX_CANDIDATES,
        description: 'sites to choose from (WGS84); default: road nodes, one per spacingM square',
      }),
    ),
    spacingM: Type.Integer({
      minimum: 500,
      maximum: 10_000,
      default: 2000,
      description: 'without candidates: one road node per square of this side is tried',
    }),
  },
  { additionalProperties: false },
);
export type CoverageSitingBody = Static<typeof CoverageSitingBody>;

const Gain = Type.Object({ population: Type.Number(), highRiskEnterprises: Type.Number() });

export const CoverageSiting = Type.Object({
  scope: Type.String(),
  tier: Type.Enum([...STATION_TIERS]),
  objective: Type.Enum([...SITING_OBJECTIVES]),
  method: Type.String({ description: 'the method and its bound' }),
  candidatesTried: Type.Integer(),
  computeMs: Type.Number(),
  before: CoverageTotals,
  steps: Type.Array(
    Type.Object({
      lon: Type.Number(),
      lat: Type.Number(),
      gain: Gain,
      /** people within reach by road after this step */
      population: Type.Number(),
      sharePct: Type.Number(),
      reach: MultiPolygonGeometry,
    }),
  ),
});
export type CoverageSiting = Static<typeof CoverageSiting>;

export const WHAT_IF_MAX_ADDED = 10;
export const WHAT_IF_MAX_REMOVED = 50;

export const CoverageWhatIfBody = Type.Object(
  {
    add: Type.Array(
      Type.Object(
        { ...Point.properties, tier: Type.Enum([...STATION_TIERS]) },
        { additionalProperties: false },
      ),
      {
        maxItems: WHAT_IF_MAX_ADDED,
        default: [],
        description: 'proposed stations (WGS84)',
      },
    ),
    remove: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: WHAT_IF_MAX_REMOVED,
      uniqueItems: true,
      default: [],
      description: 'station codes switched off',
    }),
    level: Type.Enum([...GAP_LEVELS], { default: 'village', description: 'the gap rows compared' }),
  },
  { additionalProperties: false },
);
export type CoverageWhatIfBody = Static<typeof CoverageWhatIfBody>;

export const CoverageWhatIf = Type.Object({
  scope: Type.String(),
  computeMs: Type.Number(),
  baseline: CoverageTotals,
  totals: CoverageTotals,
  /** people within reach by road, what-if minus now */
  deltaPopulation: Type.Number(),
  added: Type.Array(
    Type.Object({
      lon: Type.Number(),
      lat: Type.Number(),
      tier: Type.Enum([...STATION_TIERS]),
      /** null when the point lies off the roads */
      reach: Type.Union([MultiPolygonGeometry, Type.Null()]),
    }),
  ),
  /** the grids whose people left out change most, with both figures */
  changed: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      before: Type.Number(),
      after: Type.Number(),
    }),
  ),
  /** the gap table as it would be */
  rows: Type.Array(CoverageGapRow),
});
export type CoverageWhatIf = Static<typeof CoverageWhatIf>;

// Hazards × coverage: a hazard where no force reaches in its minutes, or far from water, comes first

export const HAZARD_COVER_REASONS = ['outside_reach', 'far_from_water'] as const;

export const HazardCover = Type.Object({
  id: Type.Integer({ description: 'hazard id' }),
  /** true when any reason holds: the case is worked before the others of its severity */
  raised: Type.Boolean(),
  reasons: Type.Array(Type.Enum([...HAZARD_COVER_REASONS])),
  /** outside every force's road reach within its tier's minutes */
  outsideReach: Type.Boolean(),
  /** straight-line metres to the nearest in-service municipal hydrant (null: none within 1 km) */
  nearestHydrantM: Type.Union([Type.Number(), Type.Null()]),
});
export type HazardCover = Static<typeof HazardCover>;

export const HazardCoverList = Type.Object({
  scope: Type.String(),
  radiusM: Type.Number({ description: 'GB 50974-2014 hydrant protection radius' }),
  /** open hazards of your area, raised ones first */
  items: Type.Array(HazardCover),
});
export type HazardCoverList = Static<typeof HazardCoverList>;

export const HazardCoverParams = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) },
  { additionalProperties: false },
);
