/** The counters strip, computed from what the wall has loaded (never from a separate summary call). */
import { GRID_LEVELS, STATION_TIERS, type GridLevel, type StationTier } from '../../../shared/src/domain.ts';
import { GRID_DATASET_BY_LEVEL, type DistrictDatasets } from './datasets.ts';

export interface Counters {
  stationsByTier: Record<StationTier, number>;
  hydrants: { inService: number; total: number };
  gridsByLevel: Record<GridLevel, number>;
  /** Which parts have loaded (a counter of data not yet loaded shows a dash, not 0). */
  loaded: { stations: boolean; hydrants: boolean; grids: Record<GridLevel, boolean> };
}

export function computeCounters(datasets: DistrictDatasets): Counters {
  const stationsByTier = Object.fromEntries(STATION_TIERS.map((tier) => [tier, 0])) as Record<
    StationTier,
    number
  >;
  for (const station of datasets.stations ?? []) stationsByTier[station.properties.tier] += 1;
  let inService = 0;
  let total = 0;
  for (const source of datasets['water-sources'] ?? []) {
    if (source.properties.kind !== 'hydrant') continue;
    total += 1;
    if (source.properties.status === 'in_service') inService += 1;
  }
  const gridsByLevel = Object.fromEntries(
    GRID_LEVELS.map((level) => [level, datasets[GRID_DATASET_BY_LEVEL[level]]?.length ?? 0]),
  ) as Record<GridLevel, number>;
  return {
    stationsByTier,
    hydrants: { inService, total },
    gridsByLevel,
    loaded: {
      stations: datasets.stations !== undefined,
      hydrants: datasets['water-sources'] !== undefined,
      grids: Object.fromEntries(
        GRID_LEVELS.map((level) => [level, datasets[GRID_DATASET_BY_LEVEL[level]] !== undefined]),
      ) as Record<GridLevel, boolean>,
    },
  };
}
