/**
 * The dispatcher's desk on the map: the incident, the 150 m hydrant ring around its snapped point
 * (GB 50974-2014 protection radius), the water at the scene, and each candidate force's route (ticked
 * ones bright and wide, unticked ones grey and narrow).
 */
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { DispatchStation, DispatchWaterSource } from '../../../../shared/src/schemas/dispatch.ts';
import { HYDRANT_PROTECTION_RADIUS_M } from '../../../../shared/src/standards.ts';
import type { DeskState } from '../../desk/desk-store.ts';
import { DISPATCH_COLOURS } from '../symbols.ts';

export const DESK_ROUTES_LAYER_ID = 'desk-routes';
export const DESK_RING_LAYER_ID = 'desk-ring';
export const DESK_WATER_LAYER_ID = 'desk-water';

const GREY = [150, 150, 150] as const;
const WATER = [80, 200, 255] as const;

export function buildDeskLayers(desk: Pick<DeskState, 'nearest' | 'chosen'>, options: { scale: number }) {
  const nearest = desk.nearest;
  const stations = nearest?.stations ?? [];
  const chosen = (s: DispatchStation) => desk.chosen.includes(s.id);
  const rank = (s: DispatchStation) => stations.indexOf(s);
  const centre = nearest ? [{ lon: nearest.snapped.lon, lat: nearest.snapped.lat }] : [];
  return [
    new PathLayer<DispatchStation>({
      id: DESK_ROUTES_LAYER_ID,
      data: stations,
      widthUnits: 'pixels',
      widthScale: options.scale,
      capRounded: true,
      jointRounded: true,
      getPath: (s) => s.route.coordinates as [number, number][],
      getWidth: (s) => (!chosen(s) ? 3 : rank(s) === 0 ? 8 : 5),
      getColor: (s) => [
        ...(!chosen(s) ? GREY : rank(s) === 0 ? DISPATCH_COLOURS.first : DISPATCH_COLOURS.reinforcement),
        230,
      ],
      updateTriggers: { getWidth: [desk.chosen], getColor: [desk.chosen] },
    }),
    new ScatterplotLayer<{ lon: number; lat: number }>({
      id: DESK_RING_LAYER_ID,
      data: centre,
      stroked: true,
      filled: true,
      radiusUnits: 'meters',
      getRadius: HYDRANT_PROTECTION_RADIUS_M,
      lineWidthUnits: 'pixels',
      getLineWidth: 3 * options.scale,
      getPosition: (p) => [p.lon, p.lat],
      getFillColor: [...DISPATCH_COLOURS.incident, 40],
      getLineColor: [...DISPATCH_COLOURS.incident, 255],
    }),
    new ScatterplotLayer<DispatchWaterSource>({
      id: DESK_WATER_LAYER_ID,
      data: nearest?.waterSources ?? [],
      stroked: true,
      radiusUnits: 'pixels',
      radiusScale: options.scale,
      getRadius: 7,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      getPosition: (w) => [w.lon, w.lat],
      getFillColor: [...WATER, 255],
      getLineColor: [255, 255, 255, 255],
    }),
  ];
}
