/**
 * The planner's layers (`?view=plan`), from the planner store: the land outside every force's road
 * reach (the gap polygons), each force's road reach outlined in its tier's colour, the service districts
 * (solid outline when they pass 建标152-2017, dashed when they fail), the roads farther than 150 m from an
 * in-service hydrant and the hydrants spaced more than 120 m apart.
 */
import { PathLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type {
  CoverageDistrict,
  CoverageReachForce,
  HydrantGaps,
} from '../../../../shared/src/schemas/coverage.ts';
import type { PlanState } from '../../plan/plan-store.ts';
import { PLAN_COLOURS, TIER_SYMBOLS } from '../symbols.ts';
import { dashLine } from './geometry.ts';

export const PLAN_UNCOVERED_LAYER_ID = 'plan-uncovered';
export const PLAN_REACH_LAYER_ID = 'plan-reach';
export const PLAN_DISTRICTS_LAYER_ID = 'plan-districts';
export const PLAN_DISTRICT_FAILS_LAYER_ID = 'plan-district-fails';
/** Dash and gap of a failing district's outline on the ground, m (districts are kilometres across). */
const DASH_M = 400;
const GAP_M = 250;
export const PLAN_HYDRANT_GAPS_LAYER_ID = 'plan-hydrant-gaps';
export const PLAN_SPACING_LAYER_ID = 'plan-spacing';

type Polygon = [number, number][][];

/** A MultiPolygon's polygons, each with what it belongs to. */
function explode<T>(items: readonly T[], shape: (item: T) => { coordinates: Polygon[] } | null) {
  const out: { polygon: Polygon; item: T }[] = [];
  for (const item of items) for (const polygon of shape(item)?.coordinates ?? []) out.push({ polygon, item });
  return out;
}

export function planLayerData(plan: Pick<PlanState, 'reach' | 'gaps' | 'districts' | 'hydrants' | 'tab'>) {
  return {
    uncovered: plan.tab === 'gaps' ? (plan.gaps?.uncovered.coordinates ?? []) : [],
    reach: plan.tab === 'gaps' ? explode(plan.reach?.forces ?? [], (f) => f.reach) : [],
    districts: plan.tab === 'districts' ? explode(plan.districts?.districts ?? [], (d) => d.district) : [],
    /** the outlines of the districts that fail 建标152-2017, cut into dashes */
    districtFails:
      plan.tab === 'districts'
        ? explode(
            (plan.districts?.districts ?? []).filter((d) => d.verdict?.pass === false),
            (d) => d.district,
          ).flatMap(({ polygon, item }) =>
            polygon.flatMap((ring) => dashLine(ring, DASH_M, GAP_M).map((path) => ({ path, item }))),
          )
        : [],
    hydrantGaps: plan.tab === 'hydrants' ? (plan.hydrants?.roads.uncovered.coordinates ?? []) : [],
    spacing: plan.tab === 'hydrants' ? (plan.hydrants?.spacing.hydrants ?? []) : [],
  };
}

export function buildPlanLayers(
  plan: Pick<PlanState, 'reach' | 'gaps' | 'districts' | 'hydrants' | 'tab'>,
  options: { scale: number },
) {
  const data = planLayerData(plan);
  const passes = (d: CoverageDistrict) => d.verdict?.pass ?? true;
  return [
    new PolygonLayer<Polygon>({
      id: PLAN_UNCOVERED_LAYER_ID,
      data: data.uncovered,
      getPolygon: (p) => p,
      filled: true,
      stroked: true,
      getFillColor: [...PLAN_COLOURS.uncovered, 90],
      getLineColor: [...PLAN_COLOURS.uncovered, 220],
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5 * options.scale,
    }),
    new PolygonLayer<{ polygon: Polygon; item: CoverageReachForce }>({
      id: PLAN_REACH_LAYER_ID,
      data: data.reach,
      getPolygon: (d) => d.polygon,
      filled: false,
      stroked: true,
      getLineColor: (d) => [...TIER_SYMBOLS[d.item.tier].colour, 230],
      lineWidthUnits: 'pixels',
      getLineWidth: (d) => (d.item.tier === 'micro_station' ? 1.5 : 3) * options.scale,
    }),
    new PolygonLayer<{ polygon: Polygon; item: CoverageDistrict }>({
      id: PLAN_DISTRICTS_LAYER_ID,
      data: data.districts,
      getPolygon: (d) => d.polygon,
      filled: true,
      stroked: true,
      getFillColor: (d) => [...(passes(d.item) ? PLAN_COLOURS.districtPass : PLAN_COLOURS.districtFail), 40],
      // a failing district's outline is the dashed layer below: a pattern, not only a colour
      getLineColor: (d) => (passes(d.item) ? [...PLAN_COLOURS.districtPass, 255] : [0, 0, 0, 0]),
      lineWidthUnits: 'pixels',
      getLineWidth: 3 * options.scale,
    }),
    new PathLayer<{ path: [number, number][]; item: CoverageDistrict }>({
      id: PLAN_DISTRICT_FAILS_LAYER_ID,
      data: data.districtFails,
      getPath: (d) => d.path,
      widthUnits: 'pixels',
      widthScale: options.scale,
      getWidth: 3,
      getColor: [...PLAN_COLOURS.districtFail, 255],
    }),
    new PathLayer<[number, number][]>({
      id: PLAN_HYDRANT_GAPS_LAYER_ID,
      data: data.hydrantGaps,
      getPath: (line) => line,
      widthUnits: 'pixels',
      widthScale: options.scale,
      getWidth: 4,
      capRounded: true,
      getColor: [...PLAN_COLOURS.hydrantGap, 220],
    }),
    new ScatterplotLayer<HydrantGaps['spacing']['hydrants'][number]>({
      id: PLAN_SPACING_LAYER_ID,
      data: data.spacing,
      getPosition: (h) => [h.lon, h.lat],
      radiusUnits: 'pixels',
      radiusScale: options.scale,
      getRadius: 7,
      stroked: true,
      filled: false,
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5 * options.scale,
      getLineColor: [...PLAN_COLOURS.spacing, 255],
    }),
  ];
}
