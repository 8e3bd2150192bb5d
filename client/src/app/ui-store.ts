/** What the operator has chosen: which layers show and which feature is selected. */
import type { AnyOgcFeature } from '../data/geojson.ts';
import { createStore, type Store } from '../data/store.ts';

export const LAYER_GROUPS = {
  grids: ['grids-town', 'grids-village', 'grids-unit'],
  fireForces: ['stations', 'coverage-circles'],
  safety: ['enterprises', 'water-sources'],
  basemap: ['labels', 'roads', 'waterways'],
} as const;

export type LayerGroupId = keyof typeof LAYER_GROUPS;
export type LayerToggleId = (typeof LAYER_GROUPS)[LayerGroupId][number];
export const LAYER_TOGGLE_IDS = Object.values(LAYER_GROUPS).flat() as LayerToggleId[];

export const SELECTABLE_COLLECTIONS = ['stations', 'grids', 'water-sources', 'enterprises'] as const;
export type SelectableCollection = (typeof SELECTABLE_COLLECTIONS)[number];

export type Selection = {
  /** a unit grid comes without its geometry (from the bare dataset) or clipped to a tile (a pick) */
  [C in SelectableCollection]: { collection: C; feature: AnyOgcFeature<C> };
}[SelectableCollection];

/** An area the map is zoomed to instead of the whole district (a kiosk's busiest town). */
export interface MapFocus {
  code: string;
  name: string;
  bbox: [number, number, number, number];
}

export interface UiState {
  visibility: Record<LayerToggleId, boolean>;
  selection: Selection | null;
  focus: MapFocus | null;
  /** The map has drawn its first picture (code that is not needed for it loads after). */
  mapDrawn: boolean;
}

export type UiStore = Store<UiState> & {
  toggleLayer(id: LayerToggleId, visible?: boolean): void;
  select(selection: Selection | null): void;
  /** Zooms the map to an area, or (null) back to the district. */
  focus(focus: MapFocus | null): void;
  markMapDrawn(): void;
};

export function createUiStore(): UiStore {
  const store = createStore<UiState>({
    visibility: Object.fromEntries(LAYER_TOGGLE_IDS.map((id) => [id, true])) as Record<
      LayerToggleId,
      boolean
    >,
    selection: null,
    focus: null,
    mapDrawn: false,
  });
  return {
    ...store,
    toggleLayer: (id, visible) =>
      store.setState((state) => ({
        ...state,
        visibility: { ...state.visibility, [id]: visible ?? !state.visibility[id] },
      })),
    select: (selection) => store.setState((state) => ({ ...state, selection })),
    markMapDrawn: () => store.setState((state) => (state.mapDrawn ? state : { ...state, mapDrawn: true })),
    focus: (focus) =>
      store.setState((state) => (state.focus?.code === focus?.code ? state : { ...state, focus })),
  };
}

export const visibleLayerIds = (visibility: UiState['visibility']): LayerToggleId[] =>
  LAYER_TOGGLE_IDS.filter((id) => visibility[id]);

/** The page's one UI store. */
export const uiStore = createUiStore();
