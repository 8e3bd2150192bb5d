import type pg from 'pg';
import type { Feature, Geometry } from 'geojson';
import { demoDatasetDir, readDemoDataset, type DemoDataset } from './demo-dataset.ts';
import { clearDemoData, insertBatch, isSeeded, type SeedTable } from './seed-repo.ts';

const BATCH = 5000;
const LEVEL_ORDER: Record<string, number> = { county: 0, town: 1, village: 2, unit: 3 };

function byLevel<T extends Feature<Geometry, { level: string }>>(features: T[]): T[] {
  return [...features].sort(
    (a, b) => (LEVEL_ORDER[a.properties.level] ?? 9) - (LEVEL_ORDER[b.properties.level] ?? 9),
  );
}

/** Road nodes from the edges' end points (the generator guarantees shared nodes share coordinates). */
export function roadNodesOf(roads: DemoDataset['roads']): [number, number, number][] {
  const nodes = new Map<number, [number, number, number]>();
  for (const f of roads.features) {
    if (f.geometry.type !== 'LineString') throw new Error(`road ${f.properties.id}: not a LineString`);
    const coords = f.geometry.coordinates;
    const first = coords[0];
    const last = coords[coords.length - 1];
    if (!first || !last) throw new Error(`road ${f.properties.id}: empty geometry`);
    nodes.set(f.properties.source, [f.properties.source, first[0]!, first[1]!]);
    nodes.set(f.properties.target, [f.properties.target, last[0]!, last[1]!]);
  }
  return [...nodes.values()];
}

export interface SeedResult {
  seeded: boolean;
  counts: Partial<Record<SeedTable, number>>;
  ms: number;
}

/**
 * Loads the demo dataset in one transaction (all or nothing). Skips a database that already has data
 * unless `force`, which replaces it.
 */
export async function seedDemo(
  pool: pg.Pool,
  districtCode: string,
  options: { force?: boolean; log?: (msg: string) => void; root?: string } = {},
): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const client = await pool.connect();
  try {
    if (!options.force && (await isSeeded(client))) return { seeded: false, counts: {}, ms: 0 };
    log(`reading demo dataset ${districtCode}`);
    const data = await readDemoDataset(demoDatasetDir(districtCode, options.root));
    const steps: [SeedTable, unknown[]][] = [
      ['adminAreas', byLevel(data.adminAreas.features)],
      ['grids', byLevel(data.grids.features)],
      ['stations', data.stations.features],
      ['waterSources', data.waterSources.features],
      ['enterprises', data.enterprises.features],
      ['waterways', data.waterways.features],
      ['roadNodes', roadNodesOf(data.roads)],
      ['roads', data.roads.features],
    ];
    const counts: SeedResult['counts'] = {};
    await client.query('BEGIN');
    if (options.force) await clearDemoData(client);
    for (const [table, rows] of steps) {
      let done = 0;
      for (let i = 0; i < rows.length; i += BATCH) {
        done += await insertBatch(client, table, rows.slice(i, i + BATCH));
        if (rows.length > BATCH) log(`  ${table}: ${done}/${rows.length}`);
      }
      counts[table] = done;
      log(`seeded ${table}: ${done}`);
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { seeded: true, counts, ms: Date.now() - started };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
