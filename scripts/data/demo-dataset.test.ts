import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDataset } from './checks.ts';
import { DEFAULT_SEED } from './generate.ts';
import { readDemoDataset } from '../../server/src/db/seed/demo-dataset.ts';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/demo/320803');

describe.skipIf(!existsSync(path.join(DIR, 'manifest.json')))(
  'committed demo dataset data/demo/320803',
  () => {
    it('is the default district and seed, with ≥ 50,000 road edges, and passes every invariant', async () => {
      const data = await readDemoDataset(DIR);
      expect(data.manifest.district).toEqual({ name: '淮安区', code: '320803' });
      expect(data.manifest.seed).toBe(DEFAULT_SEED);
      expect(data.roads.features.length).toBeGreaterThanOrEqual(50_000);
      const towns = data.grids.features.filter((f) => f.properties.level === 'town');
      expect(towns).toHaveLength(19);
      const people = towns.reduce((s, f) => s + f.properties.population, 0);
      expect(people).toBeGreaterThan(900_000);
      expect(people).toBeLessThan(1_000_000);
      expect(checkDataset(data)).toEqual([]);
    });
  },
);
