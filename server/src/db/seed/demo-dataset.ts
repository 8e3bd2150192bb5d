import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type {
  AdminAreaProperties,
  EnterpriseProperties,
  GridProperties,
  StationProperties,
  WaterSourceProperties,
  WaterwayProperties,
  RoadProperties,
} from '../../../../shared/src/schemas/features.ts';

/** The generated demo dataset as written by `npm run data:generate` (see data/README.md). */
export interface DemoDataset {
  manifest: { district: { name: string; code: string }; seed: number; counts: Record<string, unknown> };
  adminAreas: FeatureCollection<Geometry, AdminAreaProperties>;
  grids: FeatureCollection<Geometry, Omit<GridProperties, 'area_km2'>>;
  stations: FeatureCollection<Geometry, Omit<StationProperties, 'target_minutes'>>;
  waterSources: FeatureCollection<Geometry, WaterSourceProperties>;
  enterprises: FeatureCollection<Geometry, EnterpriseProperties>;
  roads: FeatureCollection<Geometry, Omit<RoadProperties, 'cost_s' | 'reverse_cost_s'>>;
  waterways: FeatureCollection<Geometry, WaterwayProperties>;
}

export type DemoFeature<K extends keyof Omit<DemoDataset, 'manifest'>> =
  DemoDataset[K] extends FeatureCollection<infer G, infer P> ? Feature<G, P> : never;

export const DEMO_ROOT = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../../../data/demo',
);

async function readCollection<P>(dir: string, name: string): Promise<FeatureCollection<Geometry, P>> {
  const bytes = await readFile(path.join(dir, `${name}.geojson.gz`));
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as FeatureCollection<Geometry, P>;
}

export async function readDemoDataset(districtCode: string, root = DEMO_ROOT): Promise<DemoDataset> {
  const dir = path.join(root, districtCode);
  const manifest = JSON.parse(
    await readFile(path.join(dir, 'manifest.json'), 'utf8'),
  ) as DemoDataset['manifest'];
  const [adminAreas, grids, stations, waterSources, enterprises, roads, waterways] = await Promise.all([
    readCollection<AdminAreaProperties>(dir, 'admin_areas'),
    readCollection<Omit<GridProperties, 'area_km2'>>(dir, 'grids'),
    readCollection<Omit<StationProperties, 'target_minutes'>>(dir, 'stations'),
    readCollection<WaterSourceProperties>(dir, 'water_sources'),
    readCollection<EnterpriseProperties>(dir, 'enterprises'),
    readCollection<Omit<RoadProperties, 'cost_s' | 'reverse_cost_s'>>(dir, 'roads'),
    readCollection<WaterwayProperties>(dir, 'waterways'),
  ]);
  return { manifest, adminAreas, grids, stations, waterSources, enterprises, roads, waterways };
}
