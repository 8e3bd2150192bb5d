/** Composes the deck.gl layer stack from the loaded data and the operator's choices (pure builders). */
import type { Layer } from '@deck.gl/core';
import { GRID_LEVELS, type GridLevel } from '../../../shared/src/domain.ts';
import type { Selection, SelectableCollection, UiState } from '../app/ui-store.ts';
import type { DistrictDatasets } from '../data/datasets.ts';
import type { OgcFeature } from '../data/geojson.ts';
import { memoizeOne } from '../data/store.ts';
import type { LiveState } from '../live/live-store.ts';
import {
  buildCoverageCirclesLayer,
  buildCoverageOutageLayer,
  coverageOutageDashes,
} from './layers/coverage-circles.ts';
import { buildEnterprisesLayer, ENTERPRISES_LAYER_ID } from './layers/enterprises.ts';
import { buildGridLayer, gridFeatureFromTile, gridLayerId, type GridFeature } from './layers/grids.ts';
import type { UnitGridTiles } from './layers/unit-grid-tiles.ts';
import { COMPLIANCE_LAYER_ID } from './layers/compliance.ts';
import { buildHazardPulseLayer, buildLiveHazardsLayer, pulsingHazards } from './layers/live-hazards.ts';
import { buildLivePatrolsLayer, buildPatrolTrailsLayer } from './layers/live-patrols.ts';
import { buildDispatchLayers } from './layers/dispatches.ts';
import { buildCoverageLossLayer } from './layers/coverage-loss.ts';
import { buildDeskLayers } from './layers/desk.ts';
import type { DeskState } from '../desk/desk-store.ts';
import { buildPlanLayers, type PlanLayerOptions, type PlanLayerState } from './layers/plan.ts';
import {
  buildComplianceLayer,
  complianceFeatures,
  type ComplianceShown,
  compliancePct,
  type ComplianceLayerState,
} from './layers/compliance.ts';
import { buildLabelLayer, declutterLabels, labelLevelsForZoom, placeLabels } from './layers/labels.ts';
import { buildStationsLayer, STATIONS_LAYER_ID } from './layers/stations.ts';
import { densePointSizeFactor } from './symbols.ts';
import { buildWaterSourcesLayer, WATER_SOURCES_LAYER_ID } from './layers/water-sources.ts';

/**
 * Past this many patrols the trails are not drawn (dots only): each new fix changes a path's length,
 * and deck.gl re-lays every path of the layer when one does, which a wall with tens of thousands of
 * members cannot afford on every batch (bench:client).
 */
export const TRAILS_MAX_PATROLS = 2_000;

export interface DeckLayerInputs {
  datasets: DistrictDatasets;
  visibility: UiState['visibility'];
  selection: Selection | null;
  /** Map zoom (the caller may quantise it: layers only change at label and size steps). */
  zoom: number;
  scale: number;
  /** The live stream's state; without it the wall shows the loaded data only. */
  live?: Pick<LiveState, 'hazards' | 'patrols' | 'stations' | 'stationsVersion'> &
    Partial<Pick<LiveState, 'dispatches' | 'coverageLoss'>>;
  /** The dispatcher's desk (its view only): candidate routes, the 150 m ring, water at the scene. */
  desk?: Pick<DeskState, 'nearest' | 'chosen'>;
  /** The planner's view (its view only): gaps, road reach, districts, hydrant gaps. */
  plan?: PlanLayerState;
  /** The ledger view (its patrol tab only): grids of a level coloured by patrol compliance. */
  ledger?: ComplianceLayerState & { level: GridLevel };
  /** what dragging a proposed station does (the planner's view) */
  planActions?: Pick<PlanLayerOptions, 'onMove' | 'onDragging'>;
  /** Client time (ms) for the new hazards' pulse. */
  now?: number;
  /** The unit grids' tile layers, once their chunk has loaded (until then no unit grids are drawn). */
  unitGridTiles?: UnitGridTiles | null;
}

/** Which collection a picked object of each pickable layer belongs to. */
export const PICKABLE_LAYERS: Record<string, SelectableCollection> = {
  [STATIONS_LAYER_ID]: 'stations',
  [WATER_SOURCES_LAYER_ID]: 'water-sources',
  [ENTERPRISES_LAYER_ID]: 'enterprises',
  ...Object.fromEntries(GRID_LEVELS.map((level) => [gridLayerId(level), 'grids'])),
  // the unit grids coloured by compliance (from tiles; the GeoJSON levels' colours are not pickable)
  [COMPLIANCE_LAYER_ID]: 'grids',
};

/** Layers whose picked objects are features of our vector tiles (properties as the tile has them). */
const TILE_LAYERS = new Set<string>([gridLayerId('unit'), COMPLIANCE_LAYER_ID]);

export function selectionFromPick(layerId: string | undefined, object: unknown): Selection | null {
  const collection = layerId ? PICKABLE_LAYERS[layerId] : undefined;
  if (!collection || !object) return null;
  if (TILE_LAYERS.has(layerId!))
    return {
      collection: 'grids',
      feature: gridFeatureFromTile(object as Parameters<typeof gridFeatureFromTile>[0]),
    };
  return { collection, feature: object as OgcFeature<typeof collection> } as Selection;
}

/** One empty array for every dataset still loading, so deck.gl sees no data change meanwhile. */
const NONE: never[] = [];
const NO_COMPLIANCE: ComplianceShown = { features: NONE, pctOf: new Map() };

/** The finest grid level that is shown takes the clicks. */
export function pickableGridLevel(visibility: UiState['visibility']): GridLevel | null {
  return [...GRID_LEVELS].reverse().find((level) => visibility[gridLayerId(level)]) ?? null;
}

const selectedId = (selection: Selection | null, collection: SelectableCollection): string | null =>
  selection?.collection === collection ? String(selection.feature.id) : null;

/**
 * Returns a composer that keeps derived data (label points, dashed outlines) per input array, so a
 * toggle or a selection rebuilds layer props but never recomputes geometry.
 */
export function createDeckLayerComposer(): (inputs: DeckLayerInputs) => Layer[] {
  const townLabels = memoizeOne((areas: DistrictDatasets['admin-areas']) =>
    placeLabels(areas ?? NONE, 'town'),
  );
  const villageLabels = memoizeOne((areas: DistrictDatasets['admin-areas']) =>
    placeLabels(areas ?? NONE, 'village'),
  );
  /** The names shown at a zoom, by level: the levels of that zoom, decluttered together. */
  const shownLabels = memoizeOne((areas: DistrictDatasets['admin-areas'], designZoom: number) => {
    const levels = labelLevelsForZoom(designZoom);
    const kept = declutterLabels(
      [...(levels.town ? townLabels(areas) : NONE), ...(levels.village ? villageLabels(areas) : NONE)],
      designZoom,
    );
    return {
      town: kept.filter((label) => label.level === 'town'),
      village: kept.filter((label) => label.level === 'village'),
    };
  });
  const compliance = memoizeOne((grids: readonly GridFeature[], value: ComplianceLayerState['compliance']) =>
    value ? complianceFeatures(grids, value) : NO_COMPLIANCE,
  );
  const outageDashes = memoizeOne((circles: DistrictDatasets['coverage-circles']) =>
    coverageOutageDashes(circles ?? NONE),
  );

  /** Live layers over everything else (what changes is what the operator watches). */
  const liveLayers = (live: NonNullable<DeckLayerInputs['live']>, now: number, scale: number): Layer[] => {
    const options = { visible: true, scale };
    return [
      buildCoverageLossLayer(live.coverageLoss ?? null, options),
      buildPatrolTrailsLayer(live.patrols, {
        ...options,
        visible: live.patrols.length <= TRAILS_MAX_PATROLS,
      }),
      ...buildDispatchLayers(live.dispatches ?? [], options),
      buildLivePatrolsLayer(live.patrols, options),
      buildLiveHazardsLayer(live.hazards, options),
      buildHazardPulseLayer(pulsingHazards(live.hazards, now), { ...options, now }),
    ];
  };

  return ({
    datasets,
    visibility,
    selection,
    zoom,
    scale,
    live,
    desk,
    plan,
    ledger,
    planActions,
    now = 0,
    unitGridTiles = null,
  }) => {
    const pickableLevel = pickableGridLevel(visibility);
    const selectedStation = selectedId(selection, 'stations');
    const coverageOptions = {
      visible: visibility['coverage-circles'],
      selectedStationCode: selectedStation,
      scale,
    };
    // A 4K wall shows the district one zoom level higher with everything drawn twice the size: zoom
    // rules use the zoom the same picture has at the design width, so both walls look the same.
    const designZoom = zoom - Math.log2(scale);
    const labels = shownLabels(datasets['admin-areas'], designZoom);
    const densityFactor = densePointSizeFactor(designZoom);
    // Coarse grids under fine ones, so the thick town outlines stay on top; the unit grids from tiles.
    const selectedGrid = selectedId(selection, 'grids');
    const gridLayers = [
      unitGridTiles?.grids({
        visible: visibility[gridLayerId('unit')],
        pickable: pickableLevel === 'unit',
        selectedCode: selectedGrid,
        scale,
      }),
      ...(['village', 'town'] as const).map((level) =>
        buildGridLayer(datasets[level === 'town' ? 'grids-town' : 'grids-village'] ?? NONE, {
          level,
          visible: visibility[gridLayerId(level)],
          pickable: level === pickableLevel,
          fillByDensity: false,
          selectedCode: selectedGrid,
          scale,
        }),
      ),
    ];
    const complianceLayer = !ledger
      ? null
      : ledger.level === 'unit'
        ? ledger.compliance &&
          unitGridTiles?.compliance({ pctOf: compliancePct(ledger.compliance), picked: ledger.picked, scale })
        : buildComplianceLayer(
            compliance(
              datasets[ledger.level === 'town' ? 'grids-town' : 'grids-village'] ?? NONE,
              ledger.compliance,
            ),
            ledger.picked,
            { scale },
          );
    return [
      ...gridLayers.filter((layer) => layer != null),
      ...(complianceLayer ? [complianceLayer] : []),
      buildCoverageCirclesLayer(datasets['coverage-circles'] ?? NONE, coverageOptions),
      buildCoverageOutageLayer(outageDashes(datasets['coverage-circles']), coverageOptions),
      buildWaterSourcesLayer(datasets['water-sources'] ?? NONE, {
        visible: visibility['water-sources'],
        selectedCode: selectedId(selection, 'water-sources'),
        scale,
        densityFactor,
      }),
      buildEnterprisesLayer(datasets.enterprises ?? NONE, {
        visible: visibility.enterprises,
        selectedCode: selectedId(selection, 'enterprises'),
        scale,
        densityFactor,
      }),
      buildStationsLayer(datasets.stations ?? NONE, {
        visible: visibility.stations,
        selectedCode: selectedStation,
        scale,
        densityFactor,
        ...(live && { liveStatus: live.stations, liveStatusVersion: live.stationsVersion }),
      }),
      buildLabelLayer(labels.village, {
        level: 'village',
        visible: visibility.labels && labels.village.length > 0,
        scale,
      }),
      buildLabelLayer(labels.town, {
        level: 'town',
        visible: visibility.labels && labels.town.length > 0,
        scale,
      }),
      ...(live ? liveLayers(live, now, scale) : []),
      ...(plan ? buildPlanLayers(plan, { scale, ...planActions }) : []),
      ...(desk ? buildDeskLayers(desk, { scale }) : []),
    ];
  };
}
