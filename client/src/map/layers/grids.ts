/** Grid polygons, one GeoJsonLayer per level: town thick, village thinner, unit faint (with density fill). */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { GridLevel } from '../../../../shared/src/domain.ts';
import type { GridProperties } from '../../../../shared/src/schemas/features.ts';
import type { OgcFeature } from '../../data/geojson.ts';
import { DENSITY_FILL, GRID_LEVEL_STYLES, HIGHLIGHT_COLOUR, type Rgba } from '../symbols.ts';

export type GridFeature = OgcFeature<'grids'>;

export interface GridLayerOptions {
  level: GridLevel;
  visible: boolean;
  /** Only the finest visible level is pickable, so a click lands on the smallest grid under it. */
  pickable: boolean;
  /** Tint unit grids by population density. */
  fillByDensity: boolean;
  selectedCode: string | null;
  /** Viewport scale relative to the 1920-px design width. */
  scale: number;
}

export const gridLayerId = (level: GridLevel): `grids-${GridLevel}` => `grids-${level}`;

/** An almost transparent fill keeps the inside of a polygon pickable without drawing anything. */
const PICKABLE_FILL: Rgba = [0, 0, 0, 1];
const SELECTED_LINE: Rgba = [255, 255, 0, 255];

export function densityFill(properties: Pick<GridProperties, 'population' | 'area_km2'>): Rgba {
  const density = properties.area_km2 > 0 ? properties.population / properties.area_km2 : 0;
  const alpha = Math.round(Math.min(1, density / DENSITY_FILL.fullAtPerKm2) * DENSITY_FILL.maxAlpha);
  const [r, g, b] = DENSITY_FILL.colour;
  return [r, g, b, Math.max(alpha, PICKABLE_FILL[3])];
}

/** What the grid styles read of a feature: its properties (a tile's feature has nothing else). */
type Styled = { properties: GridProperties };

/**
 * A grid level's look and picking, the same whether the polygons come as GeoJSON or from vector tiles
 * (the accessors read properties only).
 */
export function gridStyleProps(options: Omit<GridLayerOptions, 'visible'>) {
  const style = GRID_LEVEL_STYLES[options.level];
  const { selectedCode, fillByDensity } = options;
  return {
    id: gridLayerId(options.level),
    pickable: options.pickable,
    autoHighlight: options.pickable,
    highlightColor: [...HIGHLIGHT_COLOUR],
    filled: true,
    stroked: true,
    lineWidthUnits: 'pixels' as const,
    lineJointRounded: true,
    getFillColor: (feature: Styled): Rgba =>
      fillByDensity ? densityFill(feature.properties) : [...PICKABLE_FILL],
    getLineColor: (feature: Styled): Rgba => [
      ...(feature.properties.code === selectedCode ? SELECTED_LINE : style.line),
    ],
    getLineWidth: (feature: Styled) =>
      (feature.properties.code === selectedCode ? Math.max(3, style.lineWidthPx * 1.5) : style.lineWidthPx) *
      options.scale,
    updateTriggers: {
      getFillColor: [fillByDensity],
      getLineColor: [selectedCode],
      getLineWidth: [selectedCode, options.scale],
    },
  };
}

export function buildGridLayer(features: readonly GridFeature[], options: GridLayerOptions) {
  return new GeoJsonLayer<GridProperties>({
    ...gridStyleProps(options),
    data: features as GridFeature[],
    visible: options.visible,
  });
}

/** Grid properties a tile may leave out (MVT has no null): absent means null. */
const NULLABLE_GRID_PROPERTIES = ['parent_code', 'member_name', 'member_phone'] as const;

/**
 * A grid picked from a vector tile as the OGC feature it is: its id (the code), the nulls the tile
 * left out, and the part of its polygon in that tile.
 */
export function gridFeatureFromTile(object: {
  geometry: GridFeature['geometry'];
  properties: Record<string, unknown>;
}): GridFeature {
  const properties = { ...object.properties } as Record<string, unknown>;
  for (const key of NULLABLE_GRID_PROPERTIES) properties[key] ??= null;
  delete properties.id;
  delete properties.layerName;
  const grid = properties as unknown as GridProperties;
  return { type: 'Feature', id: grid.code, geometry: object.geometry, properties: grid };
}
