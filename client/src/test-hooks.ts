/**
 * `window.__gridwatch`: read-only hooks for the browser test (and for an operator's console), so a
 * test can wait for the map's `load` and deck.gl's first draw instead of sleeping.
 */
import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LiveEvent } from '../../shared/src/schemas/live.ts';

export interface GridwatchTestHooks {
  /** MapLibre fired `load` (style and sources ready). */
  mapLoaded: boolean;
  /** deck.gl `onAfterRender` calls so far. */
  deckDrawCount: number;
  /**
   * Layer updates asked for so far, and the latest of them deck.gl has drawn: equal once the map
   * shows the current data and toggles (deck.gl only redraws when something changed).
   */
  layersRequested: number;
  layersDrawn: number;
  /** Basemap `setData` calls MapLibre has not finished (0 and `map.loaded()`: the basemap is drawn). */
  basemapUpdatesPending: number;
  /** Features loaded per OGC collection (split requests summed). */
  featureCounts: Record<string, number>;
  /** `numberMatched` per OGC collection as the server reported it (split requests summed). */
  matchedCounts: Record<string, number>;
  /** Data length of each deck.gl layer, by layer id (0 for a tile layer: its data is a URL). */
  layerFeatureCounts: Record<string, number>;
  /** How often each deck.gl tile layer has had every tile in view arrive, by layer id. */
  tileViewportLoads: Record<string, number>;
  /** The district from `/api/district` (null until it has answered), and why it failed, if it did. */
  district: { code: string; name: string; bbox: [number, number, number, number] } | null;
  districtError: string | null;
  /** Who is signed in (null on the sign-in screen). */
  user: { username: string; role: string; scope: string; scopeName: string } | null;
  /** Layer toggles that are on (`layer-toggle-<id>`). */
  visibleLayers: string[];
  /** The area code the map is zoomed to instead of the district (a kiosk's busiest town), or null. */
  focus: string | null;
  /** A kiosk screen's playlist position: the step shown, and how often the playlist has advanced. */
  kiosk: { index: number; view: string; advances: number; town: string | null } | null;
  /** Datasets still loading, and those that failed. */
  pendingDatasets: string[];
  failedDatasets: string[];
  /** The live stream as the store has it (null before the first sign-in). */
  live: {
    connection: string;
    appliedSeq: number;
    snapshotLoads: number;
    hazardIds: number[];
    patrolSessions: number[];
    stationStatus: Record<string, string>;
    /** the coverage loss the wall shows (null until the first answer) */
    coverageLoss: { population: number; roadNodes: number; moveUp: string | null } | null;
  } | null;
  /** Hands a batch to the live connection as if the server had sent it (to make a gap in a test). */
  liveReceive?: (batch: LiveEvent[]) => void;
  map?: MapLibreMap;
  deck?: MapLibreOverlay;
  /** Where the hazard page's small map has put its hazard dot (null while it has none). */
  hazardMapCentre?: [number, number] | null;
}

declare global {
  interface Window {
    __gridwatch?: GridwatchTestHooks;
  }
}

export function testHooks(): GridwatchTestHooks {
  window.__gridwatch ??= {
    mapLoaded: false,
    deckDrawCount: 0,
    layersRequested: 0,
    layersDrawn: 0,
    basemapUpdatesPending: 0,
    featureCounts: {},
    matchedCounts: {},
    layerFeatureCounts: {},
    tileViewportLoads: {},
    district: null,
    districtError: null,
    user: null,
    visibleLayers: [],
    focus: null,
    kiosk: null,
    pendingDatasets: [],
    failedDatasets: [],
    live: null,
  };
  return window.__gridwatch;
}
