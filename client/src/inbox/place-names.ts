/** Village and unit-grid names for the inbox rows, from the grids the wall already loaded (codes until then). */
import type { DistrictDatasets } from '../data/datasets.ts';

export interface PlaceNames {
  village(code: string): string;
  grid(code: string | null): string | null;
}

export function placeNames(datasets: DistrictDatasets): PlaceNames {
  const villages = new Map<string, string>();
  for (const grid of datasets['grids-village'] ?? [])
    villages.set(grid.properties.admin_code, grid.properties.name);
  const units = new Map<string, string>();
  for (const grid of datasets['grids-unit'] ?? []) units.set(grid.properties.code, grid.properties.name);
  return {
    village: (code) => villages.get(code) ?? code,
    grid: (code) => (code === null ? null : (units.get(code) ?? code)),
  };
}
