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
import type { PlanState, ProposedStation } from '../../plan/plan-store.ts';
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
export const PLAN_WHATIF_REACH_LAYER_ID = 'plan-whatif-reach';
export const PLAN_PROPOSED_LAYER_ID = 'plan-proposed';
export const PLAN_SITING_LAYER_ID = 'plan-siting';

type Polygon = [number, number][][];

/** A MultiPolygon's polygons, each with what it belongs to. */
function explode<T>(items: readonly T[], shape: (item: T) => { coordinates: Polygon[] } | null) {
  const out: { polygon: Polygon; item: T }[] = [];
  for (const item of items) for (const polygon of shape(item)?.coordinates ?? []) out.push({ polygon, item });
  return out;
}

export type PlanLayerState = Pick<
  PlanState,
  'reach' | 'gaps' | 'districts' | 'hydrants' | 'tab' | 'proposed' | 'whatIf' | 'siting'
>;

export function planLayerData(plan: PlanLayerState) {
  const whatif = plan.tab === 'whatif';
  return {
    /** the proposed stations' road reach (what-if) and the sites found (siting), as polygons */
    whatIfReach: whatif
      ? [
          ...explode(plan.whatIf?.added ?? [], (a) => a.reach).map((x) => ({
            polygon: x.polygon,
            kind: 'proposed' as const,
          })),
          ...explode(plan.siting?.steps ?? [], (step) => step.reach).map((x) => ({
            polygon: x.polygon,
            kind: 'sited' as const,
          })),
        ]
      : [],
    proposed: whatif ? plan.proposed.map((p, index) => ({ ...p, index })) : [],
    sited: whatif
      ? (plan.siting?.steps ?? []).map((step, index) => ({ lon: step.lon, lat: step.lat, index }))
      : [],
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

export interface PlanLayerOptions {
  scale: number;
  /** a proposed station dragged to a new place (the drag ends there) */
  onMove?: (index: number, lon: number, lat: number) => void;
  /** the map's own panning is held while a proposed station is dragged */
  onDragging?: (dragging: boolean) => void;
}

export function buildPlanLayers(plan: PlanLayerState, options: PlanLayerOptions) {
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
    new PolygonLayer<{ polygon: Polygon; kind: 'proposed' | 'sited' }>({
      id: PLAN_WHATIF_REACH_LAYER_ID,
      data: data.whatIfReach,
      getPolygon: (d) => d.polygon,
      filled: true,
      stroked: true,
      getFillColor: (d) => [
        ...(d.kind === 'proposed' ? PLAN_COLOURS.spacing : PLAN_COLOURS.districtPass),
        60,
      ],
      getLineColor: (d) => [
        ...(d.kind === 'proposed' ? PLAN_COLOURS.spacing : PLAN_COLOURS.districtPass),
        255,
      ],
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5 * options.scale,
    }),
    new ScatterplotLayer<{ lon: number; lat: number; index: number }>({
      id: PLAN_SITING_LAYER_ID,
      data: data.sited,
      getPosition: (p) => [p.lon, p.lat],
      radiusUnits: 'pixels',
      radiusScale: options.scale,
      getRadius: 11,
      stroked: true,
      getFillColor: [...PLAN_COLOURS.districtPass, 255],
      getLineColor: [255, 255, 255, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 2 * options.scale,
    }),
    new ScatterplotLayer<ProposedStation & { index: number }>({
      id: PLAN_PROPOSED_LAYER_ID,
      data: data.proposed,
      pickable: true,
      getPosition: (p) => [p.lon, p.lat],
      radiusUnits: 'pixels',
      radiusScale: options.scale,
      getRadius: 13,
      stroked: true,
      getFillColor: [...PLAN_COLOURS.spacing, 255],
      getLineColor: [255, 255, 255, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 3 * options.scale,
      onDragStart: () => {
        options.onDragging?.(true);
        return true;
      },
      onDrag: () => true,
      onDragEnd: (info) => {
        options.onDragging?.(false);
        const station = info.object as (ProposedStation & { index: number }) | undefined;
        if (station && info.coordinate)
          options.onMove?.(station.index, info.coordinate[0]!, info.coordinate[1]!);
        return true;
      },
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
