/**
 * Demo-dataset generator (npm run data:generate).
 *
 *   npx tsx scripts/data/generate-demo.ts [--district <name or code>] [--seed <int>] [--out <dir>]
 *
 * Defaults: --district 淮安区, --seed 20231130, --out data/demo/<district code>. Writes manifest.json
 * and gzip'd GeoJSON collections; the same district and seed always give the same bytes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkDataset } from './checks.ts';
import { DEFAULT_SEED, generateDataset, writeDataset } from './generate.ts';
import { readDemoDataset } from '../../server/src/db/seed/demo-dataset.ts';
import { loadDistrict } from './reference.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      district: { type: 'string', default: '淮安区' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: generate-demo.ts [--district <name or code>] [--seed <int>] [--out <dir>]');
    return;
  }
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  const district = loadDistrict(values.district);
  const out = path.resolve(values.out ?? path.join(ROOT, 'data', 'demo', district.code));
  const t0 = performance.now();
  const data = generateDataset(district, seed, (m) => console.log(m));
  const files = writeDataset(out, data);
  console.log(`wrote ${files.length} files to ${path.relative(process.cwd(), out) || '.'}`);
  for (const [k, v] of Object.entries(data.stats)) console.log(`  ${k}: ${JSON.stringify(v)}`);
  // read the files back and check every invariant (validity, tiling, sums, shared nodes, planarity, connectivity)
  const problems = checkDataset(await readDemoDataset(out));
  for (const p of problems) console.error(`  PROBLEM ${p}`);
  if (problems.length > 0) throw new Error(`${problems.length} problems in the written dataset`);
  console.log(
    `checked: all dataset invariants hold; done in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

main().catch((err: unknown) => {
  console.error(`data:generate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
