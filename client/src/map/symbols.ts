/**
 * The map's visual vocabulary: one table per thing drawn, read by the layer builders, the basemap
 * style and the legend alike, so the legend cannot drift from the map.
 *
 * Colour-blind safety: every category that colour separates is also separated by shape or pattern
 * (tiers by shape, risk by shape, statuses by ring pattern / hollow / cross). Tier colours are from
 * the Okabe–Ito palette; risk colours are the standard 红 橙 黄 蓝.
 */
import type { HazardSeverity, HazardState } from '../../../shared/src/schemas/live.ts';
import type {
  GridLevel,
  RiskColour,
  RoadClass,
  StationStatus,
  StationTier,
  WaterSourceKind,
  WaterSourceStatus,
} from '../../../shared/src/domain.ts';

export type Rgb = readonly [number, number, number];
export type Rgba = readonly [number, number, number, number];

export const SHAPES = [
  'circle',
  'square',
  'diamond',
  'triangle',
  'triangle-down',
  'shield',
  'house',
  'hexagon',
  'drop',
  'cross',
] as const;
export type Shape = (typeof SHAPES)[number];

export interface TierSymbol {
  shape: Shape;
  colour: Rgb;
  /** Icon size in CSS px at the 1920-px design width. */
  sizePx: number;
}

/** Bigger, more capable forces get bigger symbols; every tier has a shape of its own. */
export const TIER_SYMBOLS: Record<StationTier, TierSymbol> = {
  rescue_station: { shape: 'shield', colour: [213, 94, 0], sizePx: 46 },
  fulltime_team: { shape: 'house', colour: [230, 159, 0], sizePx: 40 },
  joint_station: { shape: 'hexagon', colour: [204, 121, 167], sizePx: 36 },
  micro_station: { shape: 'circle', colour: [0, 158, 115], sizePx: 26 },
};

export interface StatusStyle {
  /** Outline colour of the symbol. */
  ring: Rgb;
  /** Dashed outline (busy): a pattern, not only a colour. */
  dashed: boolean;
  /** Crossed out and greyed (out of service). */
  crossed: boolean;
}

export const STATION_STATUS_STYLES: Record<StationStatus, StatusStyle> = {
  available: { ring: [255, 255, 255], dashed: false, crossed: false },
  busy: { ring: [255, 230, 0], dashed: true, crossed: false },
  out_of_service: { ring: [150, 150, 150], dashed: false, crossed: true },
};

export const OUT_OF_SERVICE_FILL: Rgb = [110, 110, 110];

export interface CoverageStyle {
  fillAlpha: number;
  lineAlpha: number;
  /** Out-of-service circles are drawn grey and dashed: they do not cover anything now. */
  greyDashed: boolean;
}

export const COVERAGE_STATUS_STYLES: Record<StationStatus, CoverageStyle> = {
  available: { fillAlpha: 46, lineAlpha: 220, greyDashed: false },
  busy: { fillAlpha: 24, lineAlpha: 170, greyDashed: false },
  out_of_service: { fillAlpha: 0, lineAlpha: 200, greyDashed: true },
};

export const RISK_SYMBOLS: Record<RiskColour, { shape: Shape; colour: Rgb; sizePx: number }> = {
  red: { shape: 'triangle', colour: [235, 40, 40], sizePx: 22 },
  orange: { shape: 'diamond', colour: [255, 136, 0], sizePx: 20 },
  yellow: { shape: 'square', colour: [255, 214, 0], sizePx: 16 },
  blue: { shape: 'triangle-down', colour: [40, 120, 255], sizePx: 16 },
};

export const WATER_SOURCE_KIND_SHAPES: Record<WaterSourceKind, Shape> = {
  hydrant: 'circle',
  fire_pool: 'square',
  natural_intake: 'drop',
  fire_crane: 'cross',
};

export const WATER_SOURCE_SIZE_PX = 14;

/**
 * Dense point layers (thousands of water sources, enterprises, micro stations) shrink at district and
 * town zoom so the fire forces stay legible over them. Hydrants stand at most 120 m apart
 * (GB 50974-2014 §7.2.5): at zoom 15 that is about 30 px, room for full-size symbols.
 */
export const DENSE_POINT_ZOOM = { shrunkAtOrBelow: 11, shrunkFactor: 0.45, fullFromZoom: 15 } as const;

export function densePointSizeFactor(zoom: number): number {
  const { shrunkAtOrBelow, shrunkFactor, fullFromZoom } = DENSE_POINT_ZOOM;
  const t = Math.min(1, Math.max(0, (zoom - shrunkAtOrBelow) / (fullFromZoom - shrunkAtOrBelow)));
  return shrunkFactor + (1 - shrunkFactor) * t;
}

export interface WaterStatusStyle {
  colour: Rgb;
  /** Under repair: an outline only (hollow), readable without colour. */
  hollow: boolean;
  crossed: boolean;
}

export const WATER_SOURCE_STATUS_STYLES: Record<WaterSourceStatus, WaterStatusStyle> = {
  in_service: { colour: [80, 200, 255], hollow: false, crossed: false },
  under_repair: { colour: [255, 176, 0], hollow: true, crossed: false },
  out_of_service: { colour: [150, 150, 150], hollow: false, crossed: true },
};

export interface GridLevelStyle {
  line: Rgba;
  /** Outline width in CSS px at the design width. */
  lineWidthPx: number;
}

/** Town grids thick and bright, village grids thinner, unit grids faint. */
export const GRID_LEVEL_STYLES: Record<GridLevel, GridLevelStyle> = {
  town: { line: [255, 255, 255, 235], lineWidthPx: 3.5 },
  village: { line: [120, 200, 255, 190], lineWidthPx: 1.6 },
  unit: { line: [120, 200, 255, 80], lineWidthPx: 0.7 },
};

/** Unit-grid fill by population density (people/km²): faint at the countryside, stronger in town. */
export const DENSITY_FILL = {
  colour: [150, 110, 255] as Rgb,
  /** Density at which the fill reaches its full alpha. */
  fullAtPerKm2: 5_000,
  maxAlpha: 70,
};

export interface RoadClassStyle {
  colour: Rgb;
  /** Line width in px at zoom 9 and zoom 16 (MapLibre interpolates between). */
  widthZ9: number;
  widthZ16: number;
}

export const ROAD_CLASS_STYLES: Record<RoadClass, RoadClassStyle> = {
  expressway: { colour: [214, 160, 80], widthZ9: 2.2, widthZ16: 12 },
  ramp: { colour: [190, 145, 80], widthZ9: 0.8, widthZ16: 6 },
  arterial: { colour: [190, 172, 120], widthZ9: 1.4, widthZ16: 9 },
  collector: { colour: [140, 135, 115], widthZ9: 0.9, widthZ16: 6 },
  street: { colour: [100, 106, 118], widthZ9: 0.4, widthZ16: 4 },
  village: { colour: [84, 90, 100], widthZ9: 0.3, widthZ16: 3 },
};

export const BASEMAP_COLOURS = {
  background: [6, 12, 22] as Rgb,
  countyFill: [16, 30, 48] as Rgb,
  countyOutline: [90, 200, 255] as Rgb,
  water: [30, 80, 140] as Rgb,
};

export const LABEL_STYLES: Record<
  'town' | 'village',
  {
    colour: Rgba;
    sizePx: number;
    weight: number;
    /** Vertical offset, px at the design width. */ offsetYPx: number;
  }
> = {
  town: { colour: [255, 255, 255, 255], sizePx: 22, weight: 700, offsetYPx: -26 },
  village: { colour: [200, 225, 255, 235], sizePx: 17, weight: 400, offsetYPx: 0 },
};

/**
 * Live hazards: fill by state along the closed loop (Okabe–Ito: warm while nobody handles it yet, cool
 * once someone does), shape by severity (a major hazard is the warning triangle with a white outline),
 * so neither depends on colour alone.
 */
export const HAZARD_STATE_COLOURS: Record<HazardState, Rgb> = {
  reported: [213, 94, 0],
  classified: [230, 159, 0],
  assigned: [240, 228, 66],
  handling: [86, 180, 233],
  checking: [0, 158, 115],
  closed: [153, 153, 153],
};

export const HAZARD_SEVERITY_SYMBOLS: Record<
  HazardSeverity | 'unclassified',
  { shape: Shape; stroke: Rgb; sizePx: number }
> = {
  major: { shape: 'triangle', stroke: [255, 255, 255], sizePx: 40 },
  general: { shape: 'circle', stroke: [20, 20, 20], sizePx: 32 },
  unclassified: { shape: 'diamond', stroke: [20, 20, 20], sizePx: 32 },
};

/** Patrols: inside their own grid (blue) or outside it (orange, and drawn with a white halo). */
export const PATROL_COLOURS = {
  inOwnGrid: [0, 114, 178],
  outsideGrid: [230, 159, 0],
} as const satisfies Record<string, Rgb>;

/** Dispatch routes (Okabe-Ito): the first response vermillion and wider, reinforcement reddish purple. */
export const DISPATCH_COLOURS = {
  first: [213, 94, 0],
  reinforcement: [204, 121, 167],
  incident: [240, 228, 66],
} as const satisfies Record<string, Rgb>;

/** Roads that lost their cover to busy forces (vermillion, drawn wide and translucent). */
export const COVERAGE_LOSS_COLOUR: Rgb = [230, 85, 13];

/** A new hazard pulses this long after it arrives, one ring per period. */
export const HAZARD_PULSE = { durationMs: 8_000, periodMs: 1_200, radiusPx: 22 } as const;

export const HIGHLIGHT_COLOUR: Rgba = [255, 255, 255, 90];

export const cssRgb = (colour: Rgb | Rgba): string =>
  colour.length === 4
    ? `rgba(${colour.slice(0, 3).join(',')},${colour[3] / 255})`
    : `rgb(${colour.join(',')})`;

/**
 * The planner's map (Okabe-Ito, colour-blind safe; patterns as well as colours): land outside the road
 * reach filled vermillion with hatching left to the outline, road reach outlined by tier colour, districts
 * outlined bluish green when they pass 建标152-2017 and dashed vermillion when they fail, roads beyond
 * 150 m of a hydrant in orange, hydrants spaced too far apart as sky-blue rings.
 */
export const PLAN_COLOURS = {
  uncovered: [213, 94, 0],
  districtPass: [0, 158, 115],
  districtFail: [213, 94, 0],
  hydrantGap: [230, 159, 0],
  spacing: [86, 180, 233],
  picked: [255, 255, 255],
} as const satisfies Record<string, Rgb>;

/**
 * Patrol compliance per grid (the ledger view): the share of its unit grids meeting both patrol rules,
 * in four classes of ColorBrewer's PuOr (colour-blind safe, lightness rising to the middle), from
 * orange (few comply) to purple (all do); grids below the last class also get a thicker outline, so the
 * ones to chase stand out without colour.
 */
export const COMPLIANCE_CLASSES = [
  { fromPct: 0, colour: [230, 97, 1], key: 'under50' },
  { fromPct: 50, colour: [253, 184, 99], key: 'under80' },
  { fromPct: 80, colour: [178, 171, 210], key: 'under100' },
  { fromPct: 100, colour: [94, 60, 153], key: 'all' },
] as const satisfies readonly { fromPct: number; colour: Rgb; key: string }[];

export const complianceClass = (pct: number) =>
  [...COMPLIANCE_CLASSES].reverse().find((c) => pct >= c.fromPct) ?? COMPLIANCE_CLASSES[0];
