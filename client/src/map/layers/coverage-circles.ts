/**
 * Straight-line coverage circles (5 min; micro stations 3 min), translucent in the tier's colour.
 * Out-of-service circles are grey and dashed: they show where cover is missing now.
 */
import { GeoJsonLayer, PathLayer } from '@deck.gl/layers';
import type { CoverageCircleProperties } from '../../../../shared/src/schemas/features.ts';
import type { OgcFeature } from '../../data/geojson.ts';
import { COVERAGE_STATUS_STYLES, OUT_OF_SERVICE_FILL, TIER_SYMBOLS, type Rgba } from '../symbols.ts';
import { dashLine } from './geometry.ts';

export type CoverageCircleFeature = OgcFeature<'coverage-circles'>;

export interface CoverageLayerOptions {
  visible: boolean;
  /** The selected station's circle is drawn stronger. */
  selectedStationCode: string | null;
  scale: number;
}

export const COVERAGE_LAYER_ID = 'coverage-circles';
export const COVERAGE_OUTAGE_LAYER_ID = 'coverage-circles-out-of-service';

/** Dash and gap on the ground, metres (a 1.4-km circle gets about 35 dashes). */
const DASH_M = 150;
const GAP_M = 100;

export function coverageFillColour(properties: CoverageCircleProperties, selected: boolean): Rgba {
  const style = COVERAGE_STATUS_STYLES[properties.status];
  if (style.greyDashed) return [...OUT_OF_SERVICE_FILL, selected ? 40 : style.fillAlpha];
  const [r, g, b] = TIER_SYMBOLS[properties.tier].colour;
  return [r, g, b, selected ? Math.min(255, style.fillAlpha * 3) : style.fillAlpha];
}

export function coverageLineColour(properties: CoverageCircleProperties): Rgba {
  const style = COVERAGE_STATUS_STYLES[properties.status];
  const [r, g, b] = style.greyDashed ? OUT_OF_SERVICE_FILL : TIER_SYMBOLS[properties.tier].colour;
  return [r, g, b, style.lineAlpha];
}

const isOutOfService = (properties: CoverageCircleProperties) =>
  COVERAGE_STATUS_STYLES[properties.status].greyDashed;

export function buildCoverageCirclesLayer(
  features: readonly CoverageCircleFeature[],
  options: CoverageLayerOptions,
) {
  const { selectedStationCode } = options;
  return new GeoJsonLayer<CoverageCircleProperties>({
    id: COVERAGE_LAYER_ID,
    data: features as CoverageCircleFeature[],
    visible: options.visible,
    // Circles overlap everywhere; clicks go to the grid or the station beneath instead.
    pickable: false,
    filled: true,
    lineWidthUnits: 'pixels',
    getFillColor: (feature) =>
      coverageFillColour(feature.properties, feature.properties.station_code === selectedStationCode),
    // Out-of-service outlines come from the dashed layer below.
    getLineColor: (feature) =>
      isOutOfService(feature.properties) ? [0, 0, 0, 0] : coverageLineColour(feature.properties),
    getLineWidth: (feature) =>
      (feature.properties.station_code === selectedStationCode ? 3 : 1.5) * options.scale,
    updateTriggers: {
      getFillColor: [selectedStationCode],
      getLineWidth: [selectedStationCode, options.scale],
    },
  });
}

export interface CoverageDash {
  path: [number, number][];
  properties: CoverageCircleProperties;
}

/** The dashes of every out-of-service circle's outline. */
export function coverageOutageDashes(features: readonly CoverageCircleFeature[]): CoverageDash[] {
  const dashes: CoverageDash[] = [];
  for (const feature of features) {
    if (!isOutOfService(feature.properties)) continue;
    const { geometry } = feature;
    const rings =
      geometry.type === 'Polygon'
        ? geometry.coordinates.slice(0, 1)
        : geometry.type === 'MultiPolygon'
          ? geometry.coordinates.map((polygon) => polygon[0] ?? [])
          : [];
    for (const ring of rings) {
      for (const path of dashLine(ring, DASH_M, GAP_M)) dashes.push({ path, properties: feature.properties });
    }
  }
  return dashes;
}

export function buildCoverageOutageLayer(dashes: readonly CoverageDash[], options: CoverageLayerOptions) {
  return new PathLayer<CoverageDash>({
    id: COVERAGE_OUTAGE_LAYER_ID,
    data: dashes as CoverageDash[],
    visible: options.visible,
    pickable: false,
    widthUnits: 'pixels',
    capRounded: true,
    getPath: (dash) => dash.path,
    getColor: (dash) => coverageLineColour(dash.properties),
    getWidth: 2 * options.scale,
  });
}
