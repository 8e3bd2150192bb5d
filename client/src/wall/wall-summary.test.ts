import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { LiveEvent } from '../../../shared/src/schemas/live.ts';
import type { WallSummary } from '../../../shared/src/schemas/wall.ts';
import { createLiveStore, initialLiveState } from '../live/live-store.ts';
import {
  createWallSummaryStore,
  followWallSummary,
  summaryBehind,
  WALL_SUMMARY_URL,
} from './wall-summary.ts';

const positionEvent = (seq: number): LiveEvent => ({
  seq,
  type: 'patrol.position',
  topic: 'patrol',
  at: '2026-11-28T08:00:00.000Z',
  area: '320803001001',
  grid: null,
  department: null,
  subject: 'patrol:1',
  data: { sessionId: 1, lon: 119.1, lat: 33.5, at: '2026-11-28T08:00:00.000Z', inside: true },
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('wall summary follower', () => {
  it('is behind when the live stream has applied an event past the figures’ seq', () => {
    const live = { ...initialLiveState(), connection: 'live' as const, snapshotLoads: 1, appliedSeq: 10 };
    expect(summaryBehind(null, live)).toBe(true);
    expect(summaryBehind({ seq: 10 } as WallSummary, live)).toBe(false);
    expect(summaryBehind({ seq: 9 } as WallSummary, live)).toBe(true);
    // nothing to read before the first snapshot or when signed out
    expect(summaryBehind(null, { ...live, snapshotLoads: 0 })).toBe(false);
    expect(summaryBehind(null, { ...live, connection: 'stopped' })).toBe(false);
  });

  it('reads after the snapshot, once for a burst of events after the spacing, again on the clock, and forgets on sign-out', async () => {
    // the spacing and the clock on fake timers: the test does not depend on how busy the machine is
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    onTestFinished(() => void vi.useRealTimers());
    const live = createLiveStore(() => 0);
    const store = createWallSummaryStore();
    const calls: number[] = [];
    // the server's head follows the live store's: the figures include everything applied so far
    const fetch = (async (url: string) => {
      expect(url).toBe(WALL_SUMMARY_URL);
      calls.push(live.getSnapshot().appliedSeq);
      return new Response(JSON.stringify({ seq: live.getSnapshot().appliedSeq }), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const stop = followWallSummary({ live, store, fetch, settleMs: 5, refetchMs: 300, clockMs: 900 });
    live.setConnection('live');
    live.applySnapshot({ seq: 1, at: '2026-11-28T08:00:00.000Z', area: '320803', parts: { stations: [] } });
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toEqual([1]);
    expect(store.getSnapshot().summary?.seq).toBe(1);

    // a burst of 20 events right after: one read, not before the spacing, including the last event
    for (let seq = 2; seq <= 21; seq++) live.applyBatch([positionEvent(seq)], { contiguous: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual([1]);
    await vi.advanceTimersByTimeAsync(350);
    expect(calls).toEqual([1, 21]);
    expect(store.getSnapshot().summary?.seq).toBe(21);

    // no events: the clock reads again (a deadline passing turns a case overdue without an event)
    await vi.advanceTimersByTimeAsync(700);
    expect(calls.length).toBeGreaterThanOrEqual(3);

    // signed out: the figures go
    live.setConnection('stopped');
    expect(store.getSnapshot().summary).toBeNull();
    stop();
  });

  it('keeps the last figures, marked as old, while reads fail, asks further apart each time, and reads at once when the connection is back', async () => {
    const live = createLiveStore(() => 0);
    const store = createWallSummaryStore();
    let fail = false;
    let calls = 0;
    const fetch = (async () => {
      calls += 1;
      if (fail) throw new TypeError('network down');
      return new Response(JSON.stringify({ seq: live.getSnapshot().appliedSeq }), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const stop = followWallSummary({
      live,
      store,
      fetch,
      settleMs: 5,
      refetchMs: 20,
      clockMs: 60_000,
      retryMaxMs: 160,
    });
    live.setConnection('live');
    live.applySnapshot({ seq: 5, at: '2026-11-28T08:00:00.000Z', area: '320803', parts: { stations: [] } });
    await wait(40);
    expect(store.getSnapshot()).toMatchObject({ summary: { seq: 5 }, failed: false });
    // the server goes away while events are still behind the figures: retries 40, 80, 160, 160 ms apart
    fail = true;
    live.setConnection('reconnecting');
    live.applyBatch([positionEvent(6)], { contiguous: true });
    calls = 0;
    await wait(600);
    expect(store.getSnapshot()).toMatchObject({ summary: { seq: 5 }, failed: true });
    // at most 1 + 40 → 80 → 160 → 160 …: six reads in 600 ms where a fixed 20 ms spacing would make 30
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(6);
    // back: read at once, not after the retry spacing
    fail = false;
    live.setConnection('live');
    await wait(60);
    expect(store.getSnapshot()).toMatchObject({ summary: { seq: 6 }, failed: false });
    stop();
  });
});
