/** Fire water sources: shape by kind, colour and fill pattern by status (out of service crossed out). */
import type { OgcFeature } from '../../data/geojson.ts';
import { waterSourceIcon } from '../icons.ts';
import { WATER_SOURCE_SIZE_PX } from '../symbols.ts';
import { buildPointIconLayer, type PointIconSpec, type PointLayerOptions } from './point-icons.ts';

export type WaterSourceFeature = OgcFeature<'water-sources'>;
export const WATER_SOURCES_LAYER_ID = 'water-sources';

export const WATER_SOURCE_ICON_SPEC: PointIconSpec<'water-sources'> = {
  id: WATER_SOURCES_LAYER_ID,
  getIcon: (feature) => waterSourceIcon(feature.properties.kind, feature.properties.status),
  getSizePx: () => WATER_SOURCE_SIZE_PX,
  // Thousands of working hydrants shrink; the broken ones stay big enough to see from across the room.
  shrinks: (feature) => feature.properties.status === 'in_service',
};

export function buildWaterSourcesLayer(features: readonly WaterSourceFeature[], options: PointLayerOptions) {
  return buildPointIconLayer(WATER_SOURCE_ICON_SPEC, features, options);
}
