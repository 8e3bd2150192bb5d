/**
 * Nearest forces for an incident (就近处置、及时增援): the k fastest available fire forces by road travel
 * time to the scene, the faster ones that were skipped and why, and the water at the scene.
 */
import { Type, type Static } from 'typebox';
import {
  ROAD_CLASSES,
  STATION_STATUSES,
  STATION_TIERS,
  WATER_SOURCE_KINDS,
  WATER_SOURCE_STATUSES,
} from '../domain.ts';
import { INPUT_CRS } from './geometry-input.ts';

/** Default number of forces: the first response, then two for reinforcement. */
export const DISPATCH_DEFAULT_LIMIT = 3;
export const DISPATCH_MAX_LIMIT = 20;

export const DispatchNearestQuery = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    crs: Type.Enum([...INPUT_CRS], {
      default: 'wgs84',
      description: 'coordinate system of lon/lat (wgs84 = GPS, gcj02 = AMap/Tencent, bd09 = Baidu)',
    }),
    limit: Type.Integer({ minimum: 1, maximum: DISPATCH_MAX_LIMIT, default: DISPATCH_DEFAULT_LIMIT }),
    tier: Type.Optional(
      Type.Array(Type.Enum([...STATION_TIERS]), {
        minItems: 1,
        maxItems: STATION_TIERS.length,
        description: 'only these tiers (repeat the parameter for several)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DispatchNearestQuery = Static<typeof DispatchNearestQuery>;

const Position = Type.Tuple([Type.Number(), Type.Number()]);

export const RouteLineString = Type.Object({
  type: Type.Literal('LineString'),
  coordinates: Type.Array(Position, { minItems: 2 }),
});

export const DispatchSnapped = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  /** straight-line metres from the incident to the road it was snapped to */
  distanceM: Type.Number(),
  roadId: Type.Integer(),
  roadName: Type.Union([Type.String(), Type.Null()]),
  roadClass: Type.Enum([...ROAD_CLASSES]),
});

const forceFields = {
  id: Type.String({ description: 'station code' }),
  name: Type.String(),
  tier: Type.Enum([...STATION_TIERS]),
  status: Type.Enum([...STATION_STATUSES]),
  /** seconds driving from the station to the scene */
  travelTimeS: Type.Number(),
};

export const DispatchStation = Type.Object({
  ...forceFields,
  /** metres along the route */
  distanceM: Type.Number(),
  straightLineM: Type.Number(),
  route: RouteLineString,
});
export type DispatchStation = Static<typeof DispatchStation>;

export const DispatchSkipped = Type.Object({
  ...forceFields,
  reason: Type.String(),
});
export type DispatchSkipped = Static<typeof DispatchSkipped>;

export const DispatchWaterSource = Type.Object({
  id: Type.String({ description: 'water source code' }),
  name: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Enum([...WATER_SOURCE_KINDS]),
  flowLps: Type.Number(),
  pressureMpa: Type.Union([Type.Number(), Type.Null()]),
  status: Type.Enum([...WATER_SOURCE_STATUSES]),
  lon: Type.Number(),
  lat: Type.Number(),
  straightLineM: Type.Number(),
  /** metres a hose (or a walk) takes along the roads from the scene, null when over the search limit */
  hoseDistanceM: Type.Union([Type.Number(), Type.Null()]),
});
export type DispatchWaterSource = Static<typeof DispatchWaterSource>;

/** What is at the scene: the enterprise there (its risk colour and responsibility board) and open hazards nearby. */
export const DispatchScene = Type.Object({
  enterprise: Type.Union([
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      category: Type.String(),
      risk: Type.Enum(['red', 'orange', 'yellow', 'blue']),
      distanceM: Type.Number(),
      board: Type.Union([
        Type.Object({
          firstResponsible: Type.String(),
          firstResponsiblePhone: Type.String(),
          actualController: Type.String(),
          safetyManager: Type.String(),
          safetyManagerPhone: Type.String(),
          townSupervisor: Type.String(),
          villageSupervisor: Type.String(),
          supervisorPhone: Type.String(),
          checkedAt: Type.String({ format: 'date-time' }),
          /** the half-yearly check is past due */
          overdue: Type.Boolean(),
        }),
        Type.Null(),
      ]),
    }),
    Type.Null(),
  ]),
  openHazards: Type.Array(
    Type.Object({
      id: Type.Integer(),
      category: Type.String(),
      severity: Type.Union([Type.String(), Type.Null()]),
      state: Type.String(),
      distanceM: Type.Number(),
    }),
  ),
});
export type DispatchScene = Static<typeof DispatchScene>;

/** The enterprise counted as "at the scene" lies within this of the incident. */
export const SCENE_ENTERPRISE_RADIUS_M = 100;
/** Open hazards listed around the scene. */
export const SCENE_HAZARD_RADIUS_M = 500;

export const DispatchNearest = Type.Object({
  snapped: DispatchSnapped,
  /** the fastest available forces, fastest first */
  stations: Type.Array(DispatchStation),
  /** busy or out-of-service forces faster than the slowest one chosen */
  skipped: Type.Array(DispatchSkipped),
  /** in-service hydrants within the protection radius, then the nearest fire pool or natural intake */
  waterSources: Type.Array(DispatchWaterSource),
  warnings: Type.Array(Type.String()),
  /** the enterprise at the scene (within 100 m) and open hazards within 500 m */
  scene: DispatchScene,
  /** whether time-of-day congestion factors were applied to the travel times */
  congestion: Type.Boolean(),
});
export type DispatchNearest = Static<typeof DispatchNearest>;

/** Most forces one dispatch may send (a general alarm of the county's full-time forces). */
export const DISPATCH_MAX_FORCES = 20;

/** The dispatcher's confirmation: the incident and the forces sent, first response first. */
export const DispatchCreateBody = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    crs: Type.Enum([...INPUT_CRS], { default: 'wgs84' }),
    stations: Type.Array(Type.String({ minLength: 1, maxLength: 32 }), {
      minItems: 1,
      maxItems: DISPATCH_MAX_FORCES,
      description: 'station codes, first response first',
    }),
    hazardId: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'the hazard case this incident is',
      }),
    ),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type DispatchCreateBody = Static<typeof DispatchCreateBody>;

export const DispatchCloseBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
export type DispatchCloseBody = Static<typeof DispatchCloseBody>;

export const DispatchIdParams = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);

export const DispatchListQuery = Type.Object(
  {
    status: Type.Enum(['open', 'closed', 'all'], { default: 'open' }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
export type DispatchListQuery = Static<typeof DispatchListQuery>;

export const DispatchForce = Type.Object({
  id: Type.String({ description: 'station code' }),
  name: Type.String(),
  tier: Type.Enum([...STATION_TIERS]),
  /** 0 the first response, then reinforcement */
  order: Type.Integer({ minimum: 0 }),
  travelTimeS: Type.Number(),
  distanceM: Type.Number(),
  route: RouteLineString,
  releasedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type DispatchForce = Static<typeof DispatchForce>;

export const DispatchRecord = Type.Object({
  id: Type.Integer(),
  status: Type.Enum(['open', 'closed']),
  lon: Type.Number(),
  lat: Type.Number(),
  village: Type.String({ description: 'the village the incident lies in' }),
  hazardId: Type.Union([Type.Integer(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String({ description: 'username' }),
  createdAt: Type.String({ format: 'date-time' }),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  closeReason: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  forces: Type.Array(DispatchForce),
});
export type DispatchRecord = Static<typeof DispatchRecord>;

export const DispatchList = Type.Object({ dispatches: Type.Array(DispatchRecord) });
export type DispatchList = Static<typeof DispatchList>;
