/** Fire forces by tier: a shape per tier, the ring pattern by status. */
import type { OgcFeature } from '../../data/geojson.ts';
import { stationIcon } from '../icons.ts';
import { TIER_SYMBOLS } from '../symbols.ts';
import { buildPointIconLayer, type PointIconSpec, type PointLayerOptions } from './point-icons.ts';

export type StationFeature = OgcFeature<'stations'>;
export const STATIONS_LAYER_ID = 'stations';

export const STATION_ICON_SPEC: PointIconSpec<'stations'> = {
  id: STATIONS_LAYER_ID,
  getIcon: (feature) => stationIcon(feature.properties.tier, feature.properties.status),
  getSizePx: (feature) => TIER_SYMBOLS[feature.properties.tier].sizePx,
  // Micro stations are many and cluster in town; the forces that answer most calls stay full size.
  shrinks: (feature) => feature.properties.tier === 'micro_station',
};

export function buildStationsLayer(features: readonly StationFeature[], options: PointLayerOptions) {
  return buildPointIconLayer(STATION_ICON_SPEC, features, options);
}
