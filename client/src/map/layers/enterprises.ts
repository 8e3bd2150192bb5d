/** Enterprises by four-colour risk (红橙黄蓝), each risk also with a shape of its own. */
import type { OgcFeature } from '../../data/geojson.ts';
import { enterpriseIcon } from '../icons.ts';
import { RISK_SYMBOLS } from '../symbols.ts';
import { buildPointIconLayer, type PointIconSpec, type PointLayerOptions } from './point-icons.ts';

export type EnterpriseFeature = OgcFeature<'enterprises'>;
export const ENTERPRISES_LAYER_ID = 'enterprises';

export const ENTERPRISE_ICON_SPEC: PointIconSpec<'enterprises'> = {
  id: ENTERPRISES_LAYER_ID,
  getIcon: (feature) => enterpriseIcon(feature.properties.risk),
  getSizePx: (feature) => RISK_SYMBOLS[feature.properties.risk].sizePx,
  // Major and high risk (红, 橙) stay full size at district zoom.
  shrinks: (feature) => feature.properties.risk === 'yellow' || feature.properties.risk === 'blue',
};

export function buildEnterprisesLayer(features: readonly EnterpriseFeature[], options: PointLayerOptions) {
  return buildPointIconLayer(ENTERPRISE_ICON_SPEC, features, options);
}
