import { describe, expect, it } from 'vitest';
import {
  DATASET_IDS,
  DATASETS,
  MAJOR_ROAD_CLASSES,
  MINOR_ROAD_CLASSES,
  featureCountsByCollection,
} from './datasets.ts';
import { createDistrictStore, loadDistrict } from './district-store.ts';
import { ROAD_CLASSES } from '../../../shared/src/domain.ts';

const ORIGIN = 'http://127.0.0.1:3000';

/** A fake OGC server answering every collection with `count` features, failing the listed ones. */
function fakeOgc(count: number, failing: string[] = []) {
  const requests: URL[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    requests.push(url);
    const collection = url.pathname.split('/')[3] ?? '';
    if (failing.includes(collection)) return new Response('{}', { status: 500 });
    return new Response(
      JSON.stringify({
        type: 'FeatureCollection',
        numberMatched: count,
        links: [],
        features: Array.from({ length: count }, (_, i) => ({
          type: 'Feature',
          id: `${collection}-${i}`,
          geometry: null,
          properties: {},
        })),
      }),
    );
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('datasets', () => {
  it('splits the road classes into major and minor without gaps or overlap', () => {
    expect([...MAJOR_ROAD_CLASSES, ...MINOR_ROAD_CLASSES].sort()).toEqual([...ROAD_CLASSES].sort());
  });

  it('loads the basemap skeleton and fire forces in the first phase', () => {
    const first = DATASET_IDS.filter((id) => DATASETS[id].phase === 0);
    expect(first).toEqual(
      expect.arrayContaining(['admin-areas', 'roads-major', 'stations', 'coverage-circles']),
    );
    expect(first).not.toContain('roads-minor');
  });

  it('sums split datasets per collection', () => {
    const feature = { type: 'Feature' as const, id: 1, geometry: null as never, properties: {} as never };
    expect(
      featureCountsByCollection({ 'grids-town': [feature], 'grids-unit': [feature, feature], stations: [] }),
    ).toEqual({ grids: 3, stations: 0 });
  });
});

describe('loadDistrict', () => {
  it('loads every dataset with the district bbox and its filters', async () => {
    const store = createDistrictStore();
    const server = fakeOgc(3);
    await loadDistrict(store, { origin: ORIGIN, fetch: server.fetch, bbox: [1, 2, 3, 4] });
    const state = store.getSnapshot();
    expect(state.pending).toEqual([]);
    expect(state.failed).toEqual([]);
    for (const id of DATASET_IDS) expect(state.datasets[id], id).toHaveLength(3);
    expect(server.requests.every((url) => url.searchParams.get('bbox') === '1,2,3,4')).toBe(true);
    const roadClasses = server.requests
      .filter((url) => url.pathname.includes('/roads/'))
      .map((url) => url.searchParams.get('class'));
    expect(roadClasses).toEqual([MAJOR_ROAD_CLASSES.join(','), MINOR_ROAD_CLASSES.join(',')]);
  });

  it('asks for phase 1 only after phase 0 has landed', async () => {
    const server = fakeOgc(1);
    await loadDistrict(createDistrictStore(), { origin: ORIGIN, fetch: server.fetch });
    const collections = server.requests.map((url) => `${url.pathname.split('/')[3]}:${url.search}`);
    const lastPhase0 = Math.max(
      ...['stations', 'admin-areas'].map((c) => collections.findIndex((r) => r.startsWith(c))),
    );
    const firstWater = collections.findIndex((r) => r.startsWith('water-sources'));
    expect(firstWater).toBeGreaterThan(lastPhase0);
  });

  it('records a failed dataset and still loads the others', async () => {
    const store = createDistrictStore();
    await loadDistrict(store, { origin: ORIGIN, fetch: fakeOgc(2, ['enterprises']).fetch });
    const state = store.getSnapshot();
    expect(state.failed.map((f) => f.dataset)).toEqual(['enterprises']);
    expect(state.datasets.enterprises).toBeUndefined();
    expect(state.datasets.stations).toHaveLength(2);
    expect(state.pending).toEqual([]);
  });
});
