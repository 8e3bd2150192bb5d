/**
 * Place names drawn by deck.gl (MapLibre text would need a glyph server): town names at low zoom,
 * village names once zoomed in. Characters come from local CJK fonts (`characterSet: 'auto'`).
 * Names that would overlap a more important one are left out at that zoom (town before village,
 * bigger before smaller), so the wall never shows text on text.
 */
import { TextLayer } from '@deck.gl/layers';
import { LABEL_FONT_FAMILY } from '../../config.ts';
import type { OgcFeature } from '../../data/geojson.ts';
import { LABEL_STYLES } from '../symbols.ts';
import { largestPart } from './geometry.ts';

export type LabelLevel = 'town' | 'village';
export type AdminAreaFeature = OgcFeature<'admin-areas'>;

export interface PlaceLabel {
  name: string;
  level: LabelLevel;
  position: [number, number];
  /** Area of the place's largest part (degrees²): the bigger place keeps its name in a collision. */
  area: number;
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
  const labels: PlaceLabel[] = [];
  for (const area of areas) {
    if (area.properties.level !== level) continue;
    const part = largestPart(area.geometry);
    if (part) labels.push({ name: area.properties.name, level, position: part.centroid, area: part.area });
  }
  return labels;
}

/** Web Mercator world pixels at `zoom` (512-px tiles, as MapLibre and deck.gl use). */
export function worldPixels([lon, lat]: [number, number], zoom: number): [number, number] {
  const size = 512 * 2 ** zoom;
  const sin = Math.sin((lat * Math.PI) / 180);
  return [((lon + 180) / 360) * size, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size];
}

/** Room kept free around a name, px at the design width. */
const LABEL_PADDING_PX = 6;

/**
 * The labels that fit at `zoom` (the design-width zoom; sizes are the tables' design px), most
 * important first: towns before villages, then by area. CJK glyphs are about one em wide.
 */
export function declutterLabels(candidates: readonly PlaceLabel[], zoom: number): PlaceLabel[] {
  const ordered = [...candidates].sort(
    (a, b) => Number(b.level === 'town') - Number(a.level === 'town') || b.area - a.area,
  );
  const kept: { label: PlaceLabel; box: [number, number, number, number] }[] = [];
  for (const label of ordered) {
    const style = LABEL_STYLES[label.level];
    const [x, y] = worldPixels(label.position, zoom);
    const halfWidth = ([...label.name].length * style.sizePx) / 2 + LABEL_PADDING_PX;
    const halfHeight = (style.sizePx * 1.2) / 2 + LABEL_PADDING_PX;
    const cy = y + style.offsetYPx;
    const box: [number, number, number, number] = [
      x - halfWidth,
      cy - halfHeight,
      x + halfWidth,
      cy + halfHeight,
    ];
    const overlaps = kept.some(
      ({ box: other }) => box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3],
    );
    if (!overlaps) kept.push({ label, box });
  }
  return kept.map(({ label }) => label);
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
    // Town names sit above the town seat, where the station symbols are.
    getPixelOffset: [0, style.offsetYPx * options.scale],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
  });
}
