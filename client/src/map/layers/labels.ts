/**
 * Place names drawn by deck.gl (MapLibre text would need a glyph server): town names at low zoom,
 * village names once zoomed in. Characters come from local CJK fonts (`characterSet: 'auto'`).
 */
import { TextLayer } from '@deck.gl/layers';
import { LABEL_FONT_FAMILY } from '../../config.ts';
import type { OgcFeature } from '../../data/geojson.ts';
import { LABEL_STYLES } from '../symbols.ts';
import { labelPoint } from './geometry.ts';

export type LabelLevel = 'town' | 'village';
export type AdminAreaFeature = OgcFeature<'admin-areas'>;

export interface PlaceLabel {
  name: string;
  position: [number, number];
}

export interface LabelLayerOptions {
  level: LabelLevel;
  visible: boolean;
  scale: number;
}

export const labelLayerId = (level: LabelLevel): `labels-${LabelLevel}` => `labels-${level}`;

/** Village names crowd the map below this zoom; town names step aside above it. */
export const VILLAGE_LABEL_MIN_ZOOM = 11.5;
export const TOWN_LABEL_MAX_ZOOM = 13;

export function labelLevelsForZoom(zoom: number): Record<LabelLevel, boolean> {
  return { town: zoom < TOWN_LABEL_MAX_ZOOM, village: zoom >= VILLAGE_LABEL_MIN_ZOOM };
}

/** One label per admin area of the level, at its largest part's centroid. */
export function placeLabels(areas: readonly AdminAreaFeature[], level: LabelLevel): PlaceLabel[] {
  return areas
    .filter((area) => area.properties.level === level)
    .map((area) => ({ name: area.properties.name, position: labelPoint(area.geometry) }));
}

export function buildLabelLayer(labels: readonly PlaceLabel[], options: LabelLayerOptions) {
  const style = LABEL_STYLES[options.level];
  return new TextLayer<PlaceLabel>({
    id: labelLayerId(options.level),
    data: labels as PlaceLabel[],
    visible: options.visible,
    pickable: false,
    characterSet: 'auto',
    fontFamily: LABEL_FONT_FAMILY,
    fontWeight: style.weight,
    fontSettings: { sdf: true, fontSize: 64, buffer: 6, radius: 12 },
    outlineWidth: 4,
    outlineColor: [0, 0, 0, 230],
    sizeUnits: 'pixels',
    sizeScale: options.scale,
    getPosition: (label) => label.position,
    getText: (label) => label.name,
    getSize: style.sizePx,
    getColor: [...style.colour],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
  });
}
