/**
 * The district's map data, loaded once from our server and kept outside React: first the district
 * itself (`/api/district`: code, name, bbox), then every OGC dataset limited to its bbox.
 */
import { DATASET_IDS, DATASETS, type DatasetId, type DistrictDatasets } from './datasets.ts';
import { fetchDistrict, type District } from './district-client.ts';
import { fetchCollection, type Bbox, type FetchCollectionOptions } from './ogc-client.ts';
import { createStore, type Store } from './store.ts';

export interface DistrictState {
  /** The district the server holds; null until `/api/district` has answered. */
  district: District | null;
  /** Why `/api/district` failed (nothing else is loaded then); null while it has not. */
  districtError: string | null;
  datasets: DistrictDatasets;
  /** `numberMatched` per dataset as the server reported it. */
  matched: Partial<Record<DatasetId, number>>;
  pending: readonly DatasetId[];
  failed: readonly { dataset: DatasetId; message: string }[];
}

export type DistrictStore = Store<DistrictState>;

/** Nothing loaded yet, every dataset pending (before sign-in, and again after sign-out). */
export function initialDistrictState(): DistrictState {
  return {
    district: null,
    districtError: null,
    datasets: {},
    matched: {},
    pending: DATASET_IDS,
    failed: [],
  };
}

export function createDistrictStore(): DistrictStore {
  return createStore<DistrictState>(initialDistrictState());
}

/** The page's one district store. */
export const districtStore = createDistrictStore();

export type LoadDistrictOptions = Pick<FetchCollectionOptions, 'signal' | 'fetch' | 'origin'>;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function loadDataset(
  store: DistrictStore,
  id: DatasetId,
  bbox: Bbox,
  options: LoadDistrictOptions,
): Promise<void> {
  const spec = DATASETS[id];
  try {
    const items = await fetchCollection(spec.collection, {
      ...options,
      bbox,
      params: 'params' in spec ? spec.params : undefined,
    });
    // Signed out (or another user signed in) while the last page was read: not this store's data any more.
    if (options.signal?.aborted) return;
    store.setState((state) => ({
      ...state,
      datasets: { ...state.datasets, [id]: items.features },
      matched: { ...state.matched, [id]: items.numberMatched ?? items.features.length },
      pending: state.pending.filter((pending) => pending !== id),
    }));
  } catch (error) {
    if (options.signal?.aborted) return;
    const message = errorText(error);
    console.error(`gridwatch: loading ${id} failed: ${message}`);
    store.setState((state) => ({
      ...state,
      pending: state.pending.filter((pending) => pending !== id),
      failed: [...state.failed, { dataset: id, message }],
    }));
  }
}

/**
 * Loads the district, then every dataset within its bbox, phase 0 first (basemap skeleton, town
 * grids, fire forces) so the wall shows something useful while the bulk (unit grids, water sources,
 * minor roads) is still on its way. Each dataset lands in the store as soon as all its pages have
 * arrived. Without a district there is no bbox to ask for: the failure is recorded and nothing else
 * is loaded.
 */
export async function loadDistrict(store: DistrictStore, options: LoadDistrictOptions = {}): Promise<void> {
  let district: District;
  try {
    district = await fetchDistrict(options);
  } catch (error) {
    if (options.signal?.aborted) return;
    const message = errorText(error);
    console.error(`gridwatch: loading the district failed: ${message}`);
    store.setState((state) => ({ ...state, districtError: message, pending: [] }));
    return;
  }
  if (options.signal?.aborted) return;
  store.setState((state) => ({ ...state, district, districtError: null }));
  for (const phase of [0, 1] as const) {
    const ids = DATASET_IDS.filter((id) => DATASETS[id].phase === phase);
    await Promise.all(ids.map((id) => loadDataset(store, id, district.bbox, options)));
    if (options.signal?.aborted) return;
  }
}
