/**
 * Reader for a generated demo dataset directory (data/demo/<district code>/): manifest.json plus the
 * gzip'd GeoJSON collections written by scripts/data/generate-demo.ts. The seeder and the generator's
 * checks both read it through here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Point, Polygon } from 'geojson';
import type {
  AdminAreaProperties,
  EnterpriseProperties,
  GridProperties,
  RoadProperties,
  StationProperties,
  WaterSourceProperties,
  WaterwayProperties,
} from '../../../../shared/src/schemas/features.ts';

export type DemoGridProperties = Omit<GridProperties, 'area_km2'>;
export type DemoStationProperties = Omit<StationProperties, 'target_minutes'>;
export type DemoRoadProperties = Omit<RoadProperties, 'cost_s' | 'reverse_cost_s'>;

export interface DemoManifest {
  district: { name: string; code: string };
  seed: number;
  generator: string;
  /** Feature count per file, keyed by file stem (admin_areas, grids, roads, ...). */
  counts: Record<string, number>;
  attribution: string[];
}

export interface DemoDataset {
  manifest: DemoManifest;
  adminAreas: FeatureCollection<Polygon | MultiPolygon, AdminAreaProperties>;
  grids: FeatureCollection<Polygon | MultiPolygon, DemoGridProperties>;
  roads: FeatureCollection<LineString, DemoRoadProperties>;
  waterways: FeatureCollection<LineString | MultiLineString, WaterwayProperties>;
  stations: FeatureCollection<Point, DemoStationProperties>;
  waterSources: FeatureCollection<Point, WaterSourceProperties>;
  enterprises: FeatureCollection<Point, EnterpriseProperties>;
}

/** Where the generated datasets live: data/demo/<district code>/. */
export const DEMO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../data/demo');

export function demoDatasetDir(districtCode: string, root = DEMO_ROOT): string {
  return path.join(root, districtCode);
}

async function readCollection<T>(dir: string, stem: string): Promise<T> {
  const bytes = await readFile(path.join(dir, `${stem}.geojson.gz`));
  const fc = JSON.parse(gunzipSync(bytes).toString('utf8')) as { type?: string; features?: unknown };
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error(`${stem}.geojson.gz in ${dir} is not a GeoJSON FeatureCollection`);
  }
  return fc as T;
}

/** Reads a demo dataset directory; checks each collection's size against manifest.counts. */
export async function readDemoDataset(dir: string): Promise<DemoDataset> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as DemoManifest;
  const [adminAreas, grids, roads, waterways, stations, waterSources, enterprises] = await Promise.all([
    readCollection<DemoDataset['adminAreas']>(dir, 'admin_areas'),
    readCollection<DemoDataset['grids']>(dir, 'grids'),
    readCollection<DemoDataset['roads']>(dir, 'roads'),
    readCollection<DemoDataset['waterways']>(dir, 'waterways'),
    readCollection<DemoDataset['stations']>(dir, 'stations'),
    readCollection<DemoDataset['waterSources']>(dir, 'water_sources'),
    readCollection<DemoDataset['enterprises']>(dir, 'enterprises'),
  ]);
  const data: DemoDataset = {
    manifest,
    adminAreas,
    grids,
    roads,
    waterways,
    stations,
    waterSources,
    enterprises,
  };
  const byStem: Record<string, { features: unknown[] }> = {
    admin_areas: adminAreas,
    grids,
    roads,
    waterways,
    stations,
    water_sources: waterSources,
    enterprises,
  };
  for (const [stem, fc] of Object.entries(byStem)) {
    const expected = manifest.counts[stem];
    if (expected !== undefined && expected !== fc.features.length) {
      throw new Error(`${stem}: manifest says ${expected} features, file has ${fc.features.length}`);
    }
  }
  return data;
}
