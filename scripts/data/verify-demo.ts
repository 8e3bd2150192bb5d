/**
 * Checks a generated demo dataset against the invariants in checks.ts; with --postgis also loads every
 * polygon and line into embedded PostGIS (PGlite) and runs ST_IsValid, as the server's seeder will.
 *
 *   npx tsx scripts/data/verify-demo.ts [dir] [--postgis]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkDataset } from './checks.ts';
import { readDemoDataset } from '../../server/src/db/seed/demo-dataset.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function postgisInvalid(data: Awaited<ReturnType<typeof readDemoDataset>>): Promise<string[]> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const db = await PGlite.create({ extensions: { postgis } });
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis; CREATE TABLE g (label text, geom geometry);');
    const features = [
      ...data.adminAreas.features.map((f) => ({ label: `admin ${f.properties.code}`, geometry: f.geometry })),
      ...data.grids.features.map((f) => ({ label: `grid ${f.properties.code}`, geometry: f.geometry })),
      ...data.waterways.features.map((f) => ({
        label: `waterway ${f.properties.code}`,
        geometry: f.geometry,
      })),
    ];
    for (let i = 0; i < features.length; i += 500) {
      await db.query(
        `INSERT INTO g SELECT f->>'label', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326))
           FROM jsonb_array_elements($1::jsonb) f`,
        [JSON.stringify(features.slice(i, i + 500))],
      );
    }
    const res = await db.query<{ label: string; reason: string }>(
      'SELECT label, ST_IsValidReason(geom) AS reason FROM g WHERE NOT ST_IsValid(geom) ORDER BY label',
    );
    const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM g');
    console.log(`postgis: ${total.rows[0]?.n} geometries checked with ST_IsValid`);
    return res.rows.map((r) => `${r.label}: ${r.reason}`);
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { postgis: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const dir = path.resolve(positionals[0] ?? path.join(ROOT, 'data/demo/320803'));
  const t0 = performance.now();
  const data = await readDemoDataset(dir);
  const problems = checkDataset(data);
  if (values.postgis) problems.push(...(await postgisInvalid(data)));
  for (const p of problems) console.log(`PROBLEM ${p}`);
  console.log(
    `${data.manifest.district.name} (${data.manifest.district.code}): ${problems.length === 0 ? 'all checks pass' : `${problems.length} problems`} ` +
      `in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
