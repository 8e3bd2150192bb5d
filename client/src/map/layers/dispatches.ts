/**
 * Open dispatches from the live store: each force's route to the scene (the first response wide and
 * bright, reinforcement narrower: widths as well as colours) and a ring at the incident.
 */
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { DispatchRecord } from '../../../../shared/src/schemas/dispatch.ts';
import { DISPATCH_COLOURS } from '../symbols.ts';

export const DISPATCH_ROUTES_LAYER_ID = 'dispatch-routes';
export const DISPATCH_INCIDENTS_LAYER_ID = 'dispatch-incidents';

export interface DispatchRouteRow {
  dispatchId: number;
  stationId: string;
  name: string;
  /** 0 the first response, then reinforcement */
  order: number;
  path: [number, number][];
}

export const ROUTE_WIDTH_PX = { first: 8, reinforcement: 5 } as const;
export const INCIDENT_RADIUS_PX = 14;

/** One row per force still out on an open dispatch (the path layer's data). */
export function dispatchRoutes(dispatches: readonly DispatchRecord[]): DispatchRouteRow[] {
  return dispatches.flatMap((d) =>
    d.forces
      .filter((f) => f.releasedAt === null)
      .map((f) => ({
        dispatchId: d.id,
        stationId: f.id,
        name: f.name,
        order: f.order,
        path: f.route.coordinates as [number, number][],
      })),
  );
}

export function buildDispatchLayers(
  dispatches: readonly DispatchRecord[],
  options: { scale: number },
): [PathLayer<DispatchRouteRow>, ScatterplotLayer<DispatchRecord>] {
  const routes = dispatchRoutes(dispatches);
  return [
    new PathLayer<DispatchRouteRow>({
      id: DISPATCH_ROUTES_LAYER_ID,
      data: routes,
      pickable: false,
      widthUnits: 'pixels',
      widthScale: options.scale,
      capRounded: true,
      jointRounded: true,
      getPath: (row) => row.path,
      getWidth: (row) => (row.order === 0 ? ROUTE_WIDTH_PX.first : ROUTE_WIDTH_PX.reinforcement),
      getColor: (row) => [
        ...(row.order === 0 ? DISPATCH_COLOURS.first : DISPATCH_COLOURS.reinforcement),
        230,
      ],
    }),
    new ScatterplotLayer<DispatchRecord>({
      id: DISPATCH_INCIDENTS_LAYER_ID,
      data: dispatches as DispatchRecord[],
      pickable: false,
      stroked: true,
      filled: true,
      radiusUnits: 'pixels',
      radiusScale: options.scale,
      lineWidthUnits: 'pixels',
      getLineWidth: 4 * options.scale,
      getPosition: (d) => [d.lon, d.lat],
      getRadius: INCIDENT_RADIUS_PX,
      getFillColor: [...DISPATCH_COLOURS.incident, 120],
      getLineColor: [...DISPATCH_COLOURS.incident, 255],
      updateTriggers: { getLineWidth: [options.scale] },
    }),
  ];
}
