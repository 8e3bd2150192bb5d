/**
 * Map symbols drawn in code as SVG data URLs: no sprite server, and the legend shows the very same
 * images. deck.gl's IconLayer packs each distinct `id` into its atlas once.
 */
import type { HazardSeverity, HazardState } from '../../../shared/src/schemas/live.ts';
import type {
  RiskColour,
  StationStatus,
  StationTier,
  WaterSourceKind,
  WaterSourceStatus,
} from '../../../shared/src/domain.ts';
import {
  cssRgb,
  HAZARD_SEVERITY_SYMBOLS,
  HAZARD_STATE_COLOURS,
  OUT_OF_SERVICE_FILL,
  RISK_SYMBOLS,
  STATION_STATUS_STYLES,
  TIER_SYMBOLS,
  WATER_SOURCE_KIND_SHAPES,
  WATER_SOURCE_STATUS_STYLES,
  type Rgb,
  type Shape,
} from './symbols.ts';

/** Icons are drawn on a 64 × 64 canvas and scaled by the layer. */
export const ICON_BOX = 64;

/** deck.gl's auto-packed icon description. */
export interface MapIcon {
  id: string;
  url: string;
  width: number;
  height: number;
  mask: false;
}

const hexagon = Array.from({ length: 6 }, (_, i) => {
  const angle = (Math.PI / 3) * i - Math.PI / 2;
  return `${(32 + 27 * Math.cos(angle)).toFixed(1)},${(32 + 27 * Math.sin(angle)).toFixed(1)}`;
}).join(' ');

/** Outline of each shape as an SVG element, inside a 64-px box with room for a 6-px ring. */
const SHAPE_ELEMENTS: Record<Shape, string> = {
  circle: '<circle cx="32" cy="32" r="24"/>',
  square: '<rect x="10" y="10" width="44" height="44"/>',
  diamond: '<path d="M32 5 L59 32 L32 59 L5 32 Z"/>',
  triangle: '<path d="M32 6 L59 55 L5 55 Z"/>',
  'triangle-down': '<path d="M5 9 L59 9 L32 58 Z"/>',
  shield: '<path d="M32 4 L57 12 V30 C57 45 47 54 32 60 C17 54 7 45 7 30 V12 Z"/>',
  house: '<path d="M32 5 L59 27 V58 H5 V27 Z"/>',
  hexagon: `<polygon points="${hexagon}"/>`,
  drop: '<path d="M32 4 C40 16 52 28 52 40 A20 20 0 0 1 12 40 C12 28 24 16 32 4 Z"/>',
  cross: '<path d="M23 6 H41 V23 H58 V41 H41 V58 H23 V41 H6 V23 H23 Z"/>',
};

export interface SymbolSpec {
  shape: Shape;
  fill: Rgb | 'none';
  stroke: Rgb;
  strokeWidth: number;
  dashed?: boolean;
  crossed?: boolean;
  /** A dark-outlined exclamation mark in the middle (hazards). */
  exclaimed?: boolean;
}

/** The SVG document of one symbol. */
export function symbolSvg(spec: SymbolSpec): string {
  const fill = spec.fill === 'none' ? 'none' : cssRgb(spec.fill);
  const dash = spec.dashed ? ' stroke-dasharray="9 6"' : '';
  const shape = `<g fill="${fill}" stroke="${cssRgb(spec.stroke)}" stroke-width="${spec.strokeWidth}" stroke-linejoin="round"${dash}>${SHAPE_ELEMENTS[spec.shape]}</g>`;
  // A dark-haloed white X reads on any fill and without colour vision.
  const cross = spec.crossed
    ? '<g stroke-linecap="round"><path d="M16 16 L48 48 M48 16 L16 48" stroke="rgb(20,20,20)" stroke-width="12"/><path d="M16 16 L48 48 M48 16 L16 48" stroke="rgb(255,80,80)" stroke-width="6"/></g>'
    : '';
  const exclamation = spec.exclaimed
    ? '<g fill="rgb(255,255,255)" stroke="rgb(20,20,20)" stroke-width="2.5"><rect x="28" y="20" width="8" height="20" rx="2"/><circle cx="32" cy="47" r="4.5"/></g>'
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${ICON_BOX}" height="${ICON_BOX}" viewBox="0 0 ${ICON_BOX} ${ICON_BOX}">${shape}${cross}${exclamation}</svg>`;
}

function toIcon(id: string, spec: SymbolSpec): MapIcon {
  return {
    id,
    url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(symbolSvg(spec))}`,
    width: ICON_BOX,
    height: ICON_BOX,
    mask: false,
  };
}

function cached<K extends string, V>(make: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = make(key);
      cache.set(key, value);
    }
    return value;
  };
}

const stationIconByKey = cached((key: `${StationTier}/${StationStatus}`) => {
  const [tier, status] = key.split('/') as [StationTier, StationStatus];
  const symbol = TIER_SYMBOLS[tier];
  const style = STATION_STATUS_STYLES[status];
  return toIcon(`station/${key}`, {
    shape: symbol.shape,
    fill: style.crossed ? OUT_OF_SERVICE_FILL : symbol.colour,
    stroke: style.ring,
    strokeWidth: style.dashed ? 7 : 5,
    dashed: style.dashed,
    crossed: style.crossed,
  });
});

/** A station's symbol: shape and fill by tier, ring pattern by status. */
export const stationIcon = (tier: StationTier, status: StationStatus): MapIcon =>
  stationIconByKey(`${tier}/${status}`);

/** An enterprise's symbol: shape and colour both by risk (红橙黄蓝). */
export const enterpriseIcon = cached((risk: RiskColour) =>
  toIcon(`enterprise/${risk}`, {
    shape: RISK_SYMBOLS[risk].shape,
    fill: RISK_SYMBOLS[risk].colour,
    stroke: [15, 15, 15],
    strokeWidth: 4,
  }),
);

const waterSourceIconByKey = cached((key: `${WaterSourceKind}/${WaterSourceStatus}`) => {
  const [kind, status] = key.split('/') as [WaterSourceKind, WaterSourceStatus];
  const style = WATER_SOURCE_STATUS_STYLES[status];
  return toIcon(`water-source/${key}`, {
    shape: WATER_SOURCE_KIND_SHAPES[kind],
    fill: style.hollow ? 'none' : style.colour,
    stroke: style.hollow ? style.colour : [10, 20, 30],
    strokeWidth: style.hollow ? 10 : 4,
    crossed: style.crossed,
  });
});

/** A water source's symbol: shape by kind, colour and fill pattern by status. */
export const waterSourceIcon = (kind: WaterSourceKind, status: WaterSourceStatus): MapIcon =>
  waterSourceIconByKey(`${kind}/${status}`);

const hazardIconByKey = cached((key: `${HazardState}/${HazardSeverity | 'unclassified'}`) => {
  const [state, severity] = key.split('/') as [HazardState, HazardSeverity | 'unclassified'];
  const symbol = HAZARD_SEVERITY_SYMBOLS[severity];
  return toIcon(`hazard/${key}`, {
    shape: symbol.shape,
    fill: HAZARD_STATE_COLOURS[state],
    stroke: symbol.stroke,
    strokeWidth: 5,
    exclaimed: true,
  });
});

/** A live hazard's symbol: shape by severity, fill by state, an exclamation mark on all of them. */
export const hazardIcon = (state: HazardState, severity: HazardSeverity | null): MapIcon =>
  hazardIconByKey(`${state}/${severity ?? 'unclassified'}`);
