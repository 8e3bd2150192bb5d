import { describe, expect, it } from 'vitest';
import type { CoverageLive } from '../../../shared/src/schemas/coverage.ts';
import type { LiveEvent } from '../../../shared/src/schemas/live.ts';
import { coverageInputsChanged, followCoverageLoss } from './coverage-loss.ts';
import { createLiveStore, initialLiveState } from './live-store.ts';

const answer = (population: number): CoverageLive => ({
  scope: '320803',
  computedAt: '2026-11-28T08:00:00.000Z',
  computeMs: 5,
  unavailable: [],
  population: 1000,
  plannedPopulation: 900,
  nowPopulation: 900 - population,
  lost: {
    population,
    areaKm2: 1,
    highRiskEnterprises: 0,
    roadNodes: population > 0 ? 3 : 0,
    roads: { type: 'MultiLineString', coordinates: [] },
  },
  moveUp: null,
});

const statusEvent = (seq: number): LiveEvent => ({
  seq,
  type: 'station.status_changed',
  topic: 'station',
  at: '2026-11-28T08:00:00.000Z',
  area: '320803001001',
  grid: null,
  department: null,
  subject: 'station:A',
  data: { code: 'A', name: 'A', tier: 'rescue_station', from: 'available', to: 'busy', reason: null },
});

describe('coverage loss follower', () => {
  it('asks again only when stations changed or a snapshot came', () => {
    const base = { ...initialLiveState(), connection: 'live' as const, snapshotLoads: 1 };
    expect(coverageInputsChanged(base, { ...base, appliedSeq: 5 })).toBe(false);
    expect(coverageInputsChanged(base, { ...base, stationsVersion: 1 })).toBe(true);
    expect(coverageInputsChanged(base, { ...base, snapshotLoads: 2 })).toBe(true);
    // signed out: the store's reset changes the versions, but nothing is asked without a session
    expect(coverageInputsChanged(base, initialLiveState())).toBe(false);
  });

  it('fetches after the snapshot and once for a burst of station changes, and puts the answer in the store', async () => {
    const store = createLiveStore(() => 0);
    const calls: string[] = [];
    let population = 0;
    const fetch = (async (url: string) => {
      calls.push(url);
      return new Response(JSON.stringify(answer(population)), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const stop = followCoverageLoss({ store, fetch, delayMs: 5 });
    store.setConnection('live');
    store.applySnapshot({ seq: 1, at: '2026-11-28T08:00:00.000Z', area: '320803', parts: { stations: [] } });
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toEqual(['/api/coverage/live']);
    expect(store.getSnapshot().coverageLoss?.lost.population).toBe(0);

    population = 1234;
    store.applyBatch([statusEvent(2)], { contiguous: true });
    store.applyBatch([statusEvent(3)], { contiguous: true });
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toHaveLength(2);
    expect(store.getSnapshot().coverageLoss?.lost.population).toBe(1234);
    stop();
  });
});
