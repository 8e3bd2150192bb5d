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

export const DispatchNearest = Type.Object({
  snapped: DispatchSnapped,
  /** the fastest available forces, fastest first */
  stations: Type.Array(DispatchStation),
  /** busy or out-of-service forces faster than the slowest one chosen */
  skipped: Type.Array(DispatchSkipped),
  /** in-service hydrants within the protection radius, then the nearest fire pool or natural intake */
  waterSources: Type.Array(DispatchWaterSource),
  warnings: Type.Array(Type.String()),
  /** whether time-of-day congestion factors were applied to the travel times */
  congestion: Type.Boolean(),
});
export type DispatchNearest = Static<typeof DispatchNearest>;
