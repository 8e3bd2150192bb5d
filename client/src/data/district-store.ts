/** The district's map data, loaded once from our OGC API and kept outside React. */
import { DEMO_DISTRICT } from '../config.ts';
import { DATASET_IDS, DATASETS, type DatasetId, type DistrictDatasets } from './datasets.ts';
import { fetchCollection, type Bbox, type FetchCollectionOptions } from './ogc-client.ts';
import { createStore, type Store } from './store.ts';

export interface DistrictState {
  datasets: DistrictDatasets;
  /** `numberMatched` per dataset as the server reported it. */
  matched: Partial<Record<DatasetId, number>>;
  pending: readonly DatasetId[];
  failed: readonly { dataset: DatasetId; message: string }[];
}

export type DistrictStore = Store<DistrictState>;

export function createDistrictStore(): DistrictStore {
  return createStore<DistrictState>({ datasets: {}, matched: {}, pending: DATASET_IDS, failed: [] });
}

/** The page's one district store. */
export const districtStore = createDistrictStore();

export interface LoadDistrictOptions extends Pick<FetchCollectionOptions, 'signal' | 'fetch' | 'origin'> {
  bbox?: Bbox;
}

async function loadDataset(store: DistrictStore, id: DatasetId, options: LoadDistrictOptions): Promise<void> {
  const spec = DATASETS[id];
  try {
    const items = await fetchCollection(spec.collection, {
      ...options,
      bbox: options.bbox ?? DEMO_DISTRICT.bbox,
      params: 'params' in spec ? spec.params : undefined,
    });
    store.setState((state) => ({
      ...state,
      datasets: { ...state.datasets, [id]: items.features },
      matched: { ...state.matched, [id]: items.numberMatched ?? items.features.length },
      pending: state.pending.filter((pending) => pending !== id),
    }));
  } catch (error) {
    if (options.signal?.aborted) return;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`gridwatch: loading ${id} failed: ${message}`);
    store.setState((state) => ({
      ...state,
      pending: state.pending.filter((pending) => pending !== id),
      failed: [...state.failed, { dataset: id, message }],
    }));
  }
}

/**
 * Loads every dataset, phase 0 first (basemap skeleton, town grids, fire forces) so the wall shows
 * something useful while the bulk (unit grids, water sources, minor roads) is still on its way.
 * Each dataset lands in the store as soon as all its pages have arrived.
 */
export async function loadDistrict(store: DistrictStore, options: LoadDistrictOptions = {}): Promise<void> {
  for (const phase of [0, 1] as const) {
    const ids = DATASET_IDS.filter((id) => DATASETS[id].phase === phase);
    await Promise.all(ids.map((id) => loadDataset(store, id, options)));
    if (options.signal?.aborted) return;
  }
}
