import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Feature } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDataset, tilingProblems } from './checks.ts';
import { usccCheck } from './enterprises.ts';
import { fixtureDistrict } from './fixtures.ts';
import { generateDataset, writeDataset, type GeneratedDataset } from './generate.ts';
import { readDemoDataset, type DemoDataset } from '../../server/src/db/seed/demo-dataset.ts';
import { DATASET_FILES, featureCollectionText, stableGzip } from './output.ts';

let data: GeneratedDataset;
let dir: string;
let read: DemoDataset;

beforeAll(async () => {
  data = generateDataset(fixtureDistrict(), 42);
  dir = mkdtempSync(path.join(tmpdir(), 'gridwatch-demo-'));
  writeDataset(dir, data);
  read = await readDemoDataset(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generateDataset on a small synthetic district', () => {
  it('writes the manifest contract: district, seed, generator, counts per file, attribution; no timestamps', () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(manifest)).toEqual(['district', 'seed', 'generator', 'counts', 'attribution']);
    expect(manifest.district).toEqual({ name: '示例区', code: '329901' });
    expect(manifest.seed).toBe(42);
    expect(manifest.generator).toBe('gridwatch-demo/1');
    expect(Object.keys(manifest.counts as object)).toEqual([...DATASET_FILES]);
    expect(JSON.stringify(manifest)).not.toMatch(/20\d\d-\d\d-\d\dT/);
  });

  it('passes every dataset invariant after a write/read round trip', () => {
    expect(checkDataset(read)).toEqual([]);
    expect(read.roads.features.length).toBe(data.manifest.counts.roads);
  });

  it('gives byte-identical files for the same seed, different ones for another seed', () => {
    const again = generateDataset(fixtureDistrict(), 42);
    for (const f of DATASET_FILES) {
      const a = stableGzip(featureCollectionText(data.features[f] as Feature[]));
      const b = stableGzip(featureCollectionText(again.features[f] as Feature[]));
      expect(a.equals(b), f).toBe(true);
      expect(a.readUInt32LE(4)).toBe(0); // gzip mtime
    }
    const other = generateDataset(fixtureDistrict(), 43);
    expect(featureCollectionText(other.features.roads)).not.toBe(featureCollectionText(data.features.roads));
  });

  it('keeps the real names and codes, the hierarchy and the population sums', () => {
    const input = fixtureDistrict();
    const admin = read.adminAreas.features.map((f) => f.properties);
    expect(admin.filter((p) => p.level === 'county')).toEqual([
      {
        code: '329901',
        name: '示例区',
        level: 'county',
        kind: 'district',
        parent_code: null,
        synthetic: false,
      },
    ]);
    expect(admin.filter((p) => p.level === 'town').map((p) => p.code)).toEqual(
      input.townships.map((t) => t.code),
    );
    expect(admin.filter((p) => p.level === 'village').length).toBe(
      input.townships.reduce((s, t) => s + t.villages.length, 0),
    );
    const grids = read.grids.features.map((f) => f.properties);
    const units = grids.filter((g) => g.level === 'unit');
    expect(units.length).toBeGreaterThan(grids.filter((g) => g.level === 'village').length);
    for (const u of units) {
      expect(u.code).toMatch(/^G\d{12}-\d{2}$/);
      expect(u.name).toMatch(/第\d+网格$/);
      expect(u.member_phone).toMatch(/^1\d\d\*{4}\d{4}$/);
      expect(u.population).toBeGreaterThan(200);
      expect(u.population).toBeLessThan(2500);
    }
  });

  it('places stations on road nodes, enterprises and risk colours in the expected mix', () => {
    const tiers = new Set(read.stations.features.map((f) => f.properties.tier));
    expect([...tiers].sort()).toEqual(['fulltime_team', 'joint_station', 'micro_station', 'rescue_station']);
    const rescue = read.stations.features.filter((f) => f.properties.tier === 'rescue_station');
    expect(rescue.map((f) => f.properties.station_class).sort()).toEqual([
      'class1',
      'class2',
      'small',
      'standard',
    ]);
    const e = read.enterprises.features.map((f) => f.properties);
    expect(e.length).toBeGreaterThanOrEqual(1000);
    const share = (r: string): number => e.filter((p) => p.risk === r).length / e.length;
    expect(share('red')).toBeCloseTo(0.03, 2);
    expect(share('orange')).toBeCloseTo(0.12, 2);
    expect(share('blue')).toBeCloseTo(0.5, 2);
    expect(new Set(e.map((p) => p.code)).size).toBe(e.length);
    const hydrants = read.waterSources.features.filter((f) => f.properties.kind === 'hydrant');
    expect(hydrants.length).toBeGreaterThan(100);
    expect(hydrants.some((f) => f.properties.flow_lps < 15)).toBe(true);
  });

  it('detects a broken tiling', () => {
    const broken: DemoDataset = structuredClone(read);
    const town = broken.adminAreas.features.find((f) => f.properties.level === 'town')!;
    const village = broken.adminAreas.features.find(
      (f) => f.properties.level === 'village' && f.properties.parent_code !== town.properties.code,
    )!;
    village.geometry = town.geometry;
    expect(tilingProblems(broken).length).toBeGreaterThan(0);
  });
});

describe('usccCheck', () => {
  it('computes the GB 32100-2015 check character', () => {
    expect(usccCheck('91350100M000100Y4')).toBe('3');
  });
});
