/**
 * What the wall map loads as GeoJSON, in which order. One dataset is one OGC request (all its pages);
 * a collection may be split (grids per level) so the first picture comes early. The roads are not
 * here: the basemap draws them from vector tiles (basemap-style.ts). The unit grids come without their
 * geometry (names and figures for the counters, the inbox and the tables): the map draws them from
 * vector tiles too (layers/unit-grid-tiles.ts).
 */
import type { GridLevel } from '../../../shared/src/domain.ts';
import type { CollectionId } from '../../../shared/src/schemas/features.ts';
import type { BareOgcFeature, OgcFeature } from './geojson.ts';

interface DatasetSpec {
  collection: CollectionId;
  params?: Readonly<Record<string, string>>;
  /** 0: first paint (basemap, town grids, fire forces); 1: the rest. */
  phase: 0 | 1;
  /** asked for with `skipGeometry=true`: the features' geometry is null */
  bare?: true;
}

export const DATASETS = {
  'admin-areas': { collection: 'admin-areas', phase: 0 },
  waterways: { collection: 'waterways', phase: 0 },
  'grids-town': { collection: 'grids', params: { level: 'town' }, phase: 0 },
  stations: { collection: 'stations', phase: 0 },
  'coverage-circles': { collection: 'coverage-circles', phase: 0 },
  'grids-village': { collection: 'grids', params: { level: 'village' }, phase: 1 },
  'grids-unit': {
    collection: 'grids',
    params: { level: 'unit', skipGeometry: 'true' },
    phase: 1,
    bare: true,
  },
  'water-sources': { collection: 'water-sources', phase: 1 },
  enterprises: { collection: 'enterprises', phase: 1 },
} as const satisfies Record<string, DatasetSpec>;

export type DatasetId = keyof typeof DATASETS;

/** The dataset holding each grid level. */
export const GRID_DATASET_BY_LEVEL = {
  town: 'grids-town',
  village: 'grids-village',
  unit: 'grids-unit',
} as const satisfies Record<GridLevel, DatasetId>;
export const DATASET_IDS = Object.keys(DATASETS) as DatasetId[];

export type DatasetCollection<D extends DatasetId> = (typeof DATASETS)[D]['collection'];
export type DatasetFeature<D extends DatasetId> = (typeof DATASETS)[D] extends { bare: true }
  ? BareOgcFeature<DatasetCollection<D>>
  : OgcFeature<DatasetCollection<D>>;
export type DistrictDatasets = { [D in DatasetId]?: DatasetFeature<D>[] };

/** Features loaded per collection (the split datasets summed), as the test hooks report them. */
export function featureCountsByCollection(datasets: DistrictDatasets): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of DATASET_IDS) {
    const features = datasets[id];
    if (!features) continue;
    const { collection } = DATASETS[id];
    counts[collection] = (counts[collection] ?? 0) + features.length;
  }
  return counts;
}
