import type { Polygon } from 'geojson';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../data/store.ts';
import { startKiosk, KIOSK_RETRY_MS, type KioskState } from './kiosk.ts';
import { busiestTown, type BusiestTown } from './busiest-town.ts';
import { DEFAULT_PLAYLIST, kioskFromSearch, KIOSK_MAX_S, KIOSK_MIN_S } from './playlist.ts';

const square = (w: number, s: number, size = 1): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [w + size, s],
      [w + size, s + size],
      [w, s + size],
      [w, s],
    ],
  ],
});

describe('kiosk playlist from the URL', () => {
  it('is no kiosk without the parameter, the default playlist with it bare', () => {
    expect(kioskFromSearch('?view=plan')).toBeNull();
    expect(kioskFromSearch('?kiosk')).toEqual({ steps: DEFAULT_PLAYLIST, ignored: [] });
    expect(kioskFromSearch('?kiosk=1&lang=en')).toEqual({ steps: DEFAULT_PLAYLIST, ignored: [] });
  });

  it('reads views and seconds, keeps them within bounds, and says what it did not understand', () => {
    expect(kioskFromSearch('?kiosk=wall:30,town:2,plan,ledger:99999,inbox:10,wall:x')).toEqual({
      steps: [
        { view: 'wall', seconds: 30 },
        { view: 'town', seconds: KIOSK_MIN_S },
        { view: 'plan', seconds: 60 },
        { view: 'ledger', seconds: KIOSK_MAX_S },
      ],
      ignored: ['inbox:10', 'wall:x'],
    });
    // nothing usable: the default playlist, and what was asked is reported
    expect(kioskFromSearch('?kiosk=bogus')).toEqual({ steps: DEFAULT_PLAYLIST, ignored: ['bogus'] });
  });
});

describe('the busiest town', () => {
  const towns = [
    { code: '320803002', name: '乙镇', geometry: square(0, 0) },
    { code: '320803001', name: '甲镇', geometry: square(1, 0) },
    { code: '320803003', name: '丙镇', geometry: square(0, 1) },
  ];

  it('counts open hazards by the town they lie in and takes the most, ties to the lower code', () => {
    const points = [
      { lon: 0.5, lat: 0.5 },
      { lon: 1.5, lat: 0.5 },
      { lon: 0.2, lat: 1.5 },
      { lon: 0.7, lat: 1.2 },
      { lon: 5, lat: 5 }, // in no town
    ];
    expect(busiestTown(points, towns)).toEqual({
      code: '320803003',
      name: '丙镇',
      open: 2,
      bbox: [0, 1, 1, 2],
    });
    // one each in 乙镇 and 甲镇: the lower code
    expect(busiestTown(points.slice(0, 2), towns)?.code).toBe('320803001');
    expect(busiestTown([{ lon: 5, lat: 5 }], towns)).toBeNull();
  });
});

describe('the kiosk', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const town: BusiestTown = { code: '320803001', name: '甲镇', open: 3, bbox: [0, 0, 1, 1] };
  function run(
    views: string,
    options: { allowed?: (view: string) => boolean; busiest?: BusiestTown | null } = {},
  ) {
    const shown: string[] = [];
    const focused: (string | null)[] = [];
    const store = createStore<KioskState | null>(null);
    const stop = startKiosk({
      config: kioskFromSearch(`?kiosk=${views}`)!,
      show: (view) => shown.push(view),
      focus: (t) => focused.push(t?.code ?? null),
      busiest: () => (options.busiest === undefined ? town : options.busiest),
      allowed: options.allowed ?? (() => true),
      store,
      now: () => Date.now(),
    });
    return { shown, focused, store, stop };
  }

  it('shows each step for its seconds, round and round, zooming to the busiest town on its step', () => {
    const { shown, focused, store, stop } = run('wall:10,town:20,plan:5');
    expect(shown).toEqual(['wall']);
    vi.advanceTimersByTime(9_999);
    expect(shown).toEqual(['wall']);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual(['wall', 'wall']);
    expect(focused).toEqual([null, '320803001']);
    expect(store.getSnapshot()).toMatchObject({ index: 1, town: { code: '320803001' }, advances: 2 });
    vi.advanceTimersByTime(20_000);
    expect(shown.at(-1)).toBe('plan');
    expect(focused.at(-1)).toBeNull();
    vi.advanceTimersByTime(5_000);
    expect(store.getSnapshot()).toMatchObject({ index: 0, advances: 4 });
    stop();
    expect(store.getSnapshot()).toBeNull();
    vi.advanceTimersByTime(60_000);
    expect(shown).toHaveLength(4);
  });

  it('passes over steps the account may not see, and the town step while no open hazard lies in a town', () => {
    const { shown, store } = run('plan:10,town:10,ledger:10', {
      allowed: (view) => view !== 'plan',
      busiest: null,
    });
    expect(shown).toEqual(['ledger']);
    expect(store.getSnapshot()).toMatchObject({ index: 2 });
    vi.advanceTimersByTime(10_000);
    expect(shown).toEqual(['ledger', 'ledger']);
  });

  it('shows the overview and tries again later when nothing on the list can be shown', () => {
    const { shown, store } = run('plan:10', { allowed: () => false });
    expect(shown).toEqual(['wall']);
    expect(store.getSnapshot()).toBeNull();
    vi.advanceTimersByTime(KIOSK_RETRY_MS);
    expect(shown).toEqual(['wall', 'wall']);
  });
});
