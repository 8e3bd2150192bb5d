import { describe, expect, it } from 'vitest';
import type { CoverageDistricts, CoverageGaps, HydrantGaps } from '../../../shared/src/schemas/coverage.ts';
import {
  buildPlanLayers,
  planLayerData,
  PLAN_DISTRICT_FAILS_LAYER_ID,
  PLAN_UNCOVERED_LAYER_ID,
} from '../map/layers/plan.ts';
import type { LiveProgress } from '../../../shared/src/schemas/live.ts';
import { createProgressBus } from '../live/progress-bus.ts';
import { createPlanStore, initialPlanState } from './plan-store.ts';

const square = (x: number): [number, number][][] => [
  [
    [119 + x, 33],
    [119.02 + x, 33],
    [119.02 + x, 33.02],
    [119 + x, 33.02],
    [119 + x, 33],
  ],
];

const method = { cellM: 50, trimM: 100, turnoutMin: 1 };
const totals = {
  population: 1000,
  areaKm2: 10,
  byRoad: { population: 600, sharePct: 60, areaKm2: 5 },
  byCircle: { population: 700, sharePct: 70, areaKm2: 6 },
};
const gaps = (level: CoverageGaps['level']): CoverageGaps => ({
  scope: '320803',
  level,
  computedAt: '2026-11-28T00:00:00.000Z',
  computeMs: 1,
  method,
  totals,
  rows: [],
  uncovered: { type: 'MultiPolygon', coordinates: [square(0), square(0.1)] },
});
const verdict = (pass: boolean) => ({
  pass,
  area: { km2: 3, maxKm2: 7, pass: true },
  edge: { minutes: pass ? 4 : 9, maxMinutes: 5, pass },
  reasons: pass ? [] : ['edge'],
});
const districts: CoverageDistricts = {
  scope: '320803',
  computedAt: '2026-11-28T00:00:00.000Z',
  computeMs: 1,
  method,
  unassignedKm2: 0,
  districts: [true, false].map((pass, i) => ({
    id: `R${i}`,
    name: `R${i}`,
    tier: 'rescue_station' as const,
    stationClass: 'class1' as const,
    areaKm2: 3,
    edgeDriveS: 200,
    verdict: verdict(pass),
    district: { type: 'MultiPolygon' as const, coordinates: [square(i)] },
  })),
};

describe('planner layers', () => {
  it('draws only the open tab’s layers, a failing district dashed', () => {
    const state = { ...initialPlanState(), gaps: gaps('village'), districts };
    expect(planLayerData(state).uncovered).toHaveLength(2);
    expect(planLayerData(state).districts).toEqual([]);
    const onDistricts = planLayerData({ ...state, tab: 'districts' });
    expect(onDistricts.uncovered).toEqual([]);
    expect(onDistricts.districts).toHaveLength(2);
    // only R1 fails: its outline (a 2 km square) is cut into several dashes
    expect(onDistricts.districtFails.length).toBeGreaterThan(3);
    expect(onDistricts.districtFails.every((d) => d.item.id === 'R1')).toBe(true);
    const layers = buildPlanLayers({ ...state, tab: 'districts' }, { scale: 1 });
    expect(layers.map((l) => l.id)).toContain(PLAN_DISTRICT_FAILS_LAYER_ID);
    expect(layers.find((l) => l.id === PLAN_UNCOVERED_LAYER_ID)!.props.data).toEqual([]);
  });
});

describe('planner store', () => {
  it('reads the four answers, and the gap table again at another level', async () => {
    const urls: string[] = [];
    const hydrants = {
      roads: { uncovered: { type: 'MultiLineString', coordinates: [] } },
    } as unknown as HydrantGaps;
    const fetch = (async (url: string) => {
      urls.push(url);
      if (url.startsWith('/api/coverage/gaps'))
        return new Response(JSON.stringify(gaps(url.includes('unit') ? 'unit' : 'village')));
      if (url === '/api/coverage/districts') return new Response(JSON.stringify(districts));
      if (url === '/api/coverage/hydrants') return new Response(JSON.stringify(hydrants));
      return new Response(JSON.stringify({ scope: '320803', method, totals, forces: [] }));
    }) as unknown as typeof globalThis.fetch;
    const store = createPlanStore(() => fetch);
    await store.load();
    const s = store.getSnapshot();
    expect(urls.sort()).toEqual([
      '/api/coverage/districts',
      '/api/coverage/gaps?level=village',
      '/api/coverage/hydrants',
      '/api/coverage/reach',
    ]);
    expect(s.loading).toEqual([]);
    expect(s.gaps?.level).toBe('village');
    expect(s.districts?.districts).toHaveLength(2);
    await store.setLevel('unit');
    expect(store.getSnapshot().gaps?.level).toBe('unit');
  });

  it('shows the server’s error with the field it names', async () => {
    const fetch = (async () =>
      new Response(
        JSON.stringify({ message: 'level must be one of town, village, unit', field: 'query.level' }),
        {
          status: 400,
        },
      )) as unknown as typeof globalThis.fetch;
    const store = createPlanStore(() => fetch);
    await store.setLevel('unit');
    expect(store.getSnapshot().error).toBe('400 level must be one of town, village, unit (query.level)');
  });

  it('shows the server’s progress reports for its own request until the answer comes', async () => {
    const bus = createProgressBus();
    let sentToken = '';
    let answer!: (r: Response) => void;
    const fetch = (async (_url: string, init: RequestInit) => {
      sentToken = (init.headers as Record<string, string>)['progress-token']!;
      return new Promise<Response>((resolve) => (answer = resolve));
    }) as unknown as typeof globalThis.fetch;
    const store = createPlanStore(() => fetch, bus);
    const siting = store.site(3, 'population');
    await Promise.resolve();
    expect(sentToken).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const report = (token: string, done: number): LiveProgress => ({
      token,
      task: 'siting',
      stage: 'candidates',
      stageIndex: 3,
      stages: 4,
      done,
      total: 400,
      fraction: (2 + done / 400) / 4,
      finished: false,
      ok: true,
      at: '2026-11-29T10:00:00.000Z',
    });
    bus.publish(report('someone-elses', 10)); // another request's report
    expect(store.getSnapshot().progress).toEqual({});
    bus.publish(report(sentToken, 120));
    expect(store.getSnapshot().progress.siting).toMatchObject({ done: 120, total: 400 });
    answer(new Response(JSON.stringify({ steps: [] })));
    await siting;
    expect(store.getSnapshot().progress).toEqual({});
    bus.publish(report(sentToken, 400)); // late: the answer is in
    expect(store.getSnapshot().progress).toEqual({});
  });
});
