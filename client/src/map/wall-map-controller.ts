/**
 * The map outside React: MapLibre draws the basemap from our GeoJSON and road tiles, deck.gl draws the
 * layers over it.
 * Store changes go straight to MapLibre sources and deck.gl props; nothing here re-renders React.
 */
import type { PickingInfo } from '@deck.gl/core';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { Map as MapLibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { visibleLayerIds, type UiStore } from '../app/ui-store.ts';
import { DESIGN_REM_PX, PANEL_INSETS_REM } from '../config.ts';
import { DATASET_IDS, DATASETS, featureCountsByCollection } from '../data/datasets.ts';
import type { DistrictStore } from '../data/district-store.ts';
import type { DeskState } from '../desk/desk-store.ts';
import type { PlanState } from '../plan/plan-store.ts';
import type { LedgerState } from '../ledger/ledger-store.ts';
import { PLAN_PROPOSED_LAYER_ID } from './layers/plan.ts';
import { STATIONS_LAYER_ID } from './layers/stations.ts';
import type { LiveStore } from '../live/live-store.ts';
import { currentLanguage, i18n } from '../i18n/index.ts';
import { describeSelection, TOOLTIP_ROW_COUNT, type Translate } from '../panels/feature-fields.ts';
import { testHooks } from '../test-hooks.ts';
import {
  BASEMAP_SOURCE_DATASETS,
  BASEMAP_SOURCES,
  BASEMAP_TOGGLE_LAYERS,
  basemapSourceData,
  buildBasemapStyle,
  FLAT_MAP_OPTIONS,
  tileUrlTemplate,
  type BasemapSourceId,
  withTileToken,
} from './basemap-style.ts';
import type { UnitGridTiles } from './layers/unit-grid-tiles.ts';
import { createDeckLayerComposer, selectionFromPick } from './deck-layers.ts';
import { pulsingHazards } from './layers/live-hazards.ts';

/** The root font size in px, as wall.css sets it from the viewport width. */
const remPx = () => Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || DESIGN_REM_PX;

/** Map symbols scale with the page's text (1 at 1920 px wide, 2 at 3840). */
const viewportScale = () => remPx() / DESIGN_REM_PX;

/** Zoom-dependent layer props (label levels, point sizes) step every quarter zoom level. */
const quantiseZoom = (zoom: number) => Math.round(zoom * 4) / 4;

function panelPadding() {
  const rem = remPx();
  return {
    top: PANEL_INSETS_REM.top * rem,
    bottom: PANEL_INSETS_REM.bottom * rem,
    left: PANEL_INSETS_REM.left * rem,
    right: PANEL_INSETS_REM.right * rem,
  };
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const TOOLTIP_OFFSET_PX = 16;

function tooltip(info: PickingInfo) {
  const selection = selectionFromPick(info.layer?.id, info.object);
  if (!selection) return null;
  const t = i18n.t.bind(i18n) as Translate;
  const description = describeSelection(selection, t, currentLanguage());
  const rows = description.rows
    .slice(0, TOOLTIP_ROW_COUNT)
    .map(
      (row) =>
        `<div><span class="gw-tooltip-label">${escapeHtml(row.label)}</span> ${escapeHtml(row.value)}</div>`,
    )
    .join('');
  // Beside the pointer, on the side with room (the map's edges are under the panels).
  const width = info.viewport?.width ?? window.innerWidth;
  const height = info.viewport?.height ?? window.innerHeight;
  const dx =
    info.x > width * 0.6
      ? `calc(${info.x}px - 100% - ${TOOLTIP_OFFSET_PX}px)`
      : `${info.x + TOOLTIP_OFFSET_PX}px`;
  const dy =
    info.y > height * 0.6
      ? `calc(${info.y}px - 100% - ${TOOLTIP_OFFSET_PX}px)`
      : `${info.y + TOOLTIP_OFFSET_PX}px`;
  return {
    html: `<div class="gw-tooltip-title">${escapeHtml(description.title)}</div>${rows}`,
    className: 'gw-tooltip',
    // deck.gl writes inline defaults and its own transform first; these win over them.
    style: {
      transform: `translate(${dx}, ${dy})`,
      backgroundColor: 'rgba(8, 20, 38, 0.96)',
      border: '1px solid rgba(90, 200, 255, 0.7)',
      borderRadius: '0.3rem',
      color: '#fff',
      fontSize: '0.9rem',
      padding: '0.4rem 0.7rem',
      whiteSpace: 'nowrap',
    },
  };
}

function dataLength(data: unknown): number {
  return Array.isArray(data) ? data.length : 0;
}

export interface WallMapDeps {
  container: HTMLElement;
  district: DistrictStore;
  ui: UiStore;
  live: LiveStore;
  /** the dispatcher's desk: its candidates are drawn, and a map click places its incident */
  desk?: {
    getSnapshot(): DeskState;
    subscribe(listener: () => void): () => void;
    active(): boolean;
    place(lon: number, lat: number): void;
  };
  /** the planner's view: its layers are drawn while it is open */
  plan?: {
    getSnapshot(): PlanState;
    subscribe(listener: () => void): () => void;
    active(): boolean;
    /** a click on the map where nothing is picked (proposes a station in the what-if) */
    click(lon: number, lat: number): void;
    /** a proposed station dragged to a new place */
    move(index: number, lon: number, lat: number): void;
  };
  /** the access token our road tiles are fetched with (null: signed out) */
  tileToken: () => string | null;
  /** the ledger view: its patrol tab colours the grids by compliance */
  ledger?: {
    getSnapshot(): LedgerState;
    subscribe(listener: () => void): () => void;
    active(): boolean;
  };
}

/** How long the map takes to fly to a focus and back (short: software-rendered walls draw few frames). */
const FOCUS_FLIGHT_MS = 1_000;

/** Runs `work` when the page is idle (within a few seconds even on a busy, software-rendered wall). */
const whenIdle = (work: () => void) =>
  typeof requestIdleCallback === 'function'
    ? requestIdleCallback(work, { timeout: 3_000 })
    : setTimeout(work, 500);

/** Creates the map in `container`; returns the function that tears it down. */
export function mountWallMap({
  container,
  district,
  ui,
  live,
  desk,
  plan,
  ledger,
  tileToken,
}: WallMapDeps): () => void {
  setWorkerUrl(workerUrl);
  const hooks = testHooks();
  // The district's bbox when it is already known; otherwise the map fits it when it arrives.
  let fitted = district.getSnapshot().district;
  const map = new MapLibreMap({
    container,
    style: buildBasemapStyle(location.origin),
    transformRequest: withTileToken(location.origin, tileToken),
    ...(fitted && { bounds: [...fitted.bbox], fitBoundsOptions: { padding: panelPadding() } }),
    ...FLAT_MAP_OPTIONS,
  });
  map.touchZoomRotate.disableRotation();

  const compose = createDeckLayerComposer();
  /** the unit grids' tile layers: their chunk loads once the first picture is up (tellDrawn) */
  let unitGridTiles: UnitGridTiles | null = null;
  /** called once (tellDrawn) */
  const loadUnitGridTiles = () => {
    import('./layers/unit-grid-tiles.ts')
      .then(({ createUnitGridTiles }) => {
        unitGridTiles = createUnitGridTiles({
          url: `${tileUrlTemplate(location.origin, 'grids')}?level=unit`,
          token: tileToken,
          onViewportLoad: (layerId) => {
            hooks.tileViewportLoads[layerId] = (hooks.tileViewportLoads[layerId] ?? 0) + 1;
          },
        });
        scheduleRender();
      })
      .catch((error: unknown) => console.error(`gridwatch: the unit grids could not load: ${String(error)}`));
  };
  let drawnTold = false;
  let zoom = quantiseZoom(map.getZoom());
  let scale = viewportScale();
  /** The `layersRequested` count the layers now set on deck.gl answer. */
  let layersApplied = 0;
  const overlay = new MapLibreOverlay({
    interleaved: false,
    layers: [],
    getTooltip: tooltip,
    onClick: (info) => {
      // a click on a station selects it (to switch it off), one on a proposed station starts its drag;
      // anywhere else (a grid under the point too) proposes a station in the what-if
      const onStation = info.layer?.id === STATIONS_LAYER_ID || info.layer?.id === PLAN_PROPOSED_LAYER_ID;
      if (!onStation && info.coordinate && plan?.active())
        plan.click(info.coordinate[0]!, info.coordinate[1]!);
      ui.select(selectionFromPick(info.layer?.id, info.object));
    },
    onAfterRender: () => {
      hooks.deckDrawCount += 1;
      hooks.layersDrawn = layersApplied;
      tellDrawn();
    },
  });
  map.addControl(overlay);
  hooks.map = map;
  hooks.deck = overlay;

  const planActions = {
    onMove: (index: number, lon: number, lat: number) => plan?.move(index, lon, lat),
    // the map would pan under a dragged station
    onDragging: (dragging: boolean) => (dragging ? map.dragPan.disable() : map.dragPan.enable()),
  };
  let frame = 0;
  const renderLayers = () => {
    layersApplied = hooks.layersRequested;
    const { visibility, selection } = ui.getSnapshot();
    const liveState = live.getSnapshot();
    const now = Date.now();
    const deskState = desk?.active() ? desk.getSnapshot() : null;
    const planState = plan?.active() ? plan.getSnapshot() : null;
    const ledgerState = ledger?.active() ? ledger.getSnapshot() : null;
    const layers = compose({
      ...(ledgerState?.tab === 'patrol' && {
        ledger: { compliance: ledgerState.compliance, picked: ledgerState.picked, level: ledgerState.level },
      }),
      ...(deskState && { desk: deskState }),
      ...(planState && { plan: planState, planActions }),
      datasets: district.getSnapshot().datasets,
      visibility,
      selection,
      zoom,
      scale,
      live: liveState,
      now,
      unitGridTiles,
    });
    overlay.setProps({ layers });
    hooks.layerFeatureCounts = Object.fromEntries(
      layers.map((layer) => [layer.id, dataLength(layer.props.data)]),
    );
    // New hazards pulse: keep drawing frames while any does (uniforms only, no attribute changes).
    if (pulsingHazards(liveState.hazards, now).length > 0) frame ||= requestAnimationFrame(animate);
  };
  const animate = () => {
    frame = 0;
    renderLayers();
  };
  // Several datasets (or live batches) landing together cost one layer update.
  const scheduleRender = () => {
    hooks.layersRequested += 1;
    frame ||= requestAnimationFrame(animate);
  };

  let styleReady = false;
  /**
   * The first picture is up (the basemap loaded and deck.gl has drawn, in either order): what waited
   * for it (the charts' code, the live socket, the unit grids' tile layers) loads when the page is next
   * idle.
   */
  function tellDrawn(): void {
    if (drawnTold || !styleReady || hooks.deckDrawCount === 0) return;
    drawnTold = true;
    whenIdle(() => {
      ui.markMapDrawn();
      loadUnitGridTiles();
    });
  }
  const shownInputs = new Map<BasemapSourceId, readonly unknown[]>();
  const syncBasemap = () => {
    if (!styleReady) return;
    const { datasets } = district.getSnapshot();
    for (const source of Object.keys(BASEMAP_SOURCES) as BasemapSourceId[]) {
      const inputs = BASEMAP_SOURCE_DATASETS[source].map((id) => datasets[id]);
      const shown = shownInputs.get(source);
      if (shown && inputs.every((input, i) => input === shown[i])) continue;
      shownInputs.set(source, inputs);
      const update = map
        .getSource<GeoJSONSource>(BASEMAP_SOURCES[source])
        ?.setData(basemapSourceData(source, datasets));
      if (!update) continue;
      hooks.basemapUpdatesPending += 1;
      void update.finally(() => {
        hooks.basemapUpdatesPending -= 1;
      });
    }
    const { visibility } = ui.getSnapshot();
    for (const [toggle, layerIds] of Object.entries(BASEMAP_TOGGLE_LAYERS)) {
      const value = visibility[toggle as keyof typeof BASEMAP_TOGGLE_LAYERS] ? 'visible' : 'none';
      for (const id of layerIds) map.setLayoutProperty(id, 'visibility', value);
    }
  };

  const fitDistrict = () => {
    const current = district.getSnapshot().district;
    if (!current || current === fitted) return;
    fitted = current;
    map.fitBounds([...current.bbox], { padding: panelPadding(), animate: false });
  };

  const onDistrictChange = () => {
    const { district: current, districtError, datasets, matched, pending, failed } = district.getSnapshot();
    hooks.district = current && { code: current.code, name: current.name, bbox: [...current.bbox] };
    hooks.districtError = districtError;
    fitDistrict();
    hooks.featureCounts = featureCountsByCollection(datasets);
    hooks.matchedCounts = {};
    for (const id of DATASET_IDS) {
      const count = matched[id];
      if (count === undefined) continue;
      const { collection } = DATASETS[id];
      hooks.matchedCounts[collection] = (hooks.matchedCounts[collection] ?? 0) + count;
    }
    hooks.pendingDatasets = [...pending];
    hooks.failedDatasets = failed.map((failure) => failure.dataset);
    syncBasemap();
    scheduleRender();
  };
  // a focus (a kiosk's busiest town) zooms the map there; without one the map shows the district again
  let focused = ui.getSnapshot().focus;
  const followFocus = () => {
    const { focus } = ui.getSnapshot();
    if (focus === focused) return;
    focused = focus;
    hooks.focus = focus?.code ?? null;
    const extent = focus?.bbox ?? district.getSnapshot().district?.bbox;
    if (extent) map.fitBounds([...extent], { padding: panelPadding(), duration: FOCUS_FLIGHT_MS });
  };
  const onUiChange = () => {
    followFocus();
    hooks.visibleLayers = visibleLayerIds(ui.getSnapshot().visibility);
    syncBasemap();
    scheduleRender();
  };

  map.on('load', () => {
    styleReady = true;
    hooks.mapLoaded = true;
    syncBasemap();
    // deck.gl may have drawn its last frame before the basemap's tiles were in (nothing moves then)
    tellDrawn();
  });
  map.on('zoom', () => {
    const next = quantiseZoom(map.getZoom());
    if (next === zoom) return;
    zoom = next;
    scheduleRender();
  });
  const onResize = () => {
    const next = viewportScale();
    if (next === scale) return;
    scale = next;
    scheduleRender();
  };
  window.addEventListener('resize', onResize);
  const unsubscribeDesk = desk?.subscribe(scheduleRender);
  const unsubscribePlan = plan?.subscribe(scheduleRender);
  const unsubscribeLedger = ledger?.subscribe(scheduleRender);
  if (desk)
    map.on('click', (event) => {
      if (desk.active()) desk.place(event.lngLat.lng, event.lngLat.lat);
    });
  const unsubscribeDistrict = district.subscribe(onDistrictChange);
  const unsubscribeUi = ui.subscribe(onUiChange);
  // A live batch changes layer data only: no React render, no basemap work.
  let drawnLive = live.getSnapshot();
  const unsubscribeLive = live.subscribe(() => {
    const next = live.getSnapshot();
    const changed =
      next.hazards !== drawnLive.hazards ||
      next.patrols !== drawnLive.patrols ||
      next.stationsVersion !== drawnLive.stationsVersion ||
      next.dispatches !== drawnLive.dispatches ||
      next.coverageLoss !== drawnLive.coverageLoss;
    drawnLive = next;
    if (changed) scheduleRender();
  });
  onDistrictChange();
  onUiChange();

  return () => {
    unsubscribeDesk?.();
    unsubscribePlan?.();
    unsubscribeLedger?.();
    unsubscribeDistrict();
    unsubscribeUi();
    unsubscribeLive();
    window.removeEventListener('resize', onResize);
    cancelAnimationFrame(frame);
    map.removeControl(overlay);
    map.remove();
    hooks.map = undefined;
    hooks.deck = undefined;
    hooks.mapLoaded = false;
  };
}
