import { describe, expect, it } from 'vitest';
import { DATASET_IDS, DATASETS, featureCountsByCollection } from './datasets.ts';
import { createDistrictStore, loadDistrict } from './district-store.ts';

const ORIGIN = 'http://127.0.0.1:3000';
const DISTRICT = { code: '100001', name: '测试区', bbox: [1, 2, 3, 4] };

/**
 * A fake server: `/api/district` answers `district` (a status for an error), and every OGC
 * collection `count` features, failing the listed ones. `requests` holds the OGC requests only.
 */
function fakeOgc(count: number, failing: string[] = [], district: object | number = DISTRICT) {
  const requests: URL[] = [];
  const districtRequests: URL[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    if (url.pathname === '/api/district') {
      districtRequests.push(url);
      return typeof district === 'number'
        ? new Response(
            JSON.stringify({
              statusCode: district,
              error: 'Not Found',
              message: 'no district has been loaded',
            }),
            { status: district },
          )
        : new Response(JSON.stringify(district));
    }
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
  return { fetch, requests, districtRequests };
}

describe('datasets', () => {
  it('loads the basemap skeleton and fire forces in the first phase', () => {
    const first = DATASET_IDS.filter((id) => DATASETS[id].phase === 0);
    expect(first).toEqual(
      expect.arrayContaining(['admin-areas', 'waterways', 'stations', 'coverage-circles']),
    );
    expect(first).not.toContain('grids-unit');
  });

  it('sums split datasets per collection', () => {
    const feature = { type: 'Feature' as const, id: 1, geometry: null as never, properties: {} as never };
    expect(
      featureCountsByCollection({ 'grids-town': [feature], 'grids-unit': [feature, feature], stations: [] }),
    ).toEqual({ grids: 3, stations: 0 });
  });
});

describe('loadDistrict', () => {
  it('loads the district, then every dataset with its bbox and filters', async () => {
    const store = createDistrictStore();
    const server = fakeOgc(3);
    await loadDistrict(store, { origin: ORIGIN, fetch: server.fetch });
    const state = store.getSnapshot();
    expect(state.district).toEqual(DISTRICT);
    expect(state.districtError).toBeNull();
    expect(server.districtRequests.map((url) => url.href)).toEqual([`${ORIGIN}/api/district`]);
    expect(state.pending).toEqual([]);
    expect(state.failed).toEqual([]);
    for (const id of DATASET_IDS) expect(state.datasets[id], id).toHaveLength(3);
    expect(server.requests.every((url) => url.searchParams.get('bbox') === '1,2,3,4')).toBe(true);
    // the roads come as vector tiles, not through OGC
    expect(server.requests.some((url) => url.pathname.includes('/roads/'))).toBe(false);
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

  it('follows whatever bbox the server gives for its district', async () => {
    const server = fakeOgc(1, [], { code: '320803', name: '淮安区', bbox: [118.98, 33.28, 119.61, 33.76] });
    await loadDistrict(createDistrictStore(), { origin: ORIGIN, fetch: server.fetch });
    expect(new Set(server.requests.map((url) => url.searchParams.get('bbox')))).toEqual(
      new Set(['118.98,33.28,119.61,33.76']),
    );
  });

  it('puts the district in the store before any dataset', async () => {
    const store = createDistrictStore();
    expect(store.getSnapshot()).toMatchObject({ district: null, districtError: null, pending: DATASET_IDS });
    const seen: (string | undefined)[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().district?.name));
    await loadDistrict(store, { origin: ORIGIN, fetch: fakeOgc(1).fetch });
    // The district lands before the first dataset does.
    expect(seen[0]).toBe(DISTRICT.name);
  });

  it.each([
    { name: 'a 404 (no district loaded)', district: 404, message: /HTTP 404: no district has been loaded/ },
    { name: 'a 500', district: 500, message: /HTTP 500/ },
    { name: 'a body without a bbox', district: { code: '1', name: 'x' }, message: /not a district/ },
  ])('records $name from /api/district and asks for no data without a bbox', async (c) => {
    const store = createDistrictStore();
    const server = fakeOgc(1, [], c.district);
    await loadDistrict(store, { origin: ORIGIN, fetch: server.fetch });
    const state = store.getSnapshot();
    expect(state.district).toBeNull();
    expect(state.districtError).toMatch(c.message);
    expect(state.pending).toEqual([]);
    expect(state.failed).toEqual([]);
    expect(state.datasets).toEqual({});
    expect(server.requests).toEqual([]);
  });

  it('records nothing when aborted while the district loads', async () => {
    const controller = new AbortController();
    const store = createDistrictStore();
    const before = store.getSnapshot();
    const fetch = ((_input: string | URL | Request, init?: RequestInit) => {
      controller.abort();
      return Promise.reject(
        init?.signal?.aborted ? new DOMException('aborted', 'AbortError') : new Error('signal not passed'),
      );
    }) as typeof globalThis.fetch;
    await loadDistrict(store, { origin: ORIGIN, fetch, signal: controller.signal });
    expect(store.getSnapshot()).toBe(before);
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
