/** Fire forces by tier: a shape per tier, the ring pattern by status. */
import type { StationStatus } from '../../../../shared/src/domain.ts';
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

export interface StationLayerOptions extends PointLayerOptions {
  /** Statuses from the live stream, by station code: they win over the loaded features' status. */
  liveStatus?: ReadonlyMap<string, { status: StationStatus }>;
  /** Bumped whenever `liveStatus` changes (the icons' update trigger). */
  liveStatusVersion?: number;
}

/** A station's status now: the live stream's where it has one, the loaded feature's otherwise. */
export const currentStationStatus = (
  feature: StationFeature,
  liveStatus: StationLayerOptions['liveStatus'],
): StationStatus => liveStatus?.get(feature.properties.code)?.status ?? feature.properties.status;

export function buildStationsLayer(features: readonly StationFeature[], options: StationLayerOptions) {
  const { liveStatus, liveStatusVersion, ...pointOptions } = options;
  if (!liveStatus) return buildPointIconLayer(STATION_ICON_SPEC, features, pointOptions);
  const spec: PointIconSpec<'stations'> = {
    ...STATION_ICON_SPEC,
    getIcon: (feature) => stationIcon(feature.properties.tier, currentStationStatus(feature, liveStatus)),
  };
  return buildPointIconLayer(spec, features, { ...pointOptions, iconTrigger: liveStatusVersion ?? 0 });
}
