/**
 * Live coverage loss: what the county loses of its road cover while forces are busy or out of service,
 * and the move-up that wins back the most (GET /api/coverage/live).
 */
import { Type, type Static } from 'typebox';
import { STATION_STATUSES, STATION_TIERS } from '../domain.ts';

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
