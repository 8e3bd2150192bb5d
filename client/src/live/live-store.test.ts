import { describe, expect, it } from 'vitest';
import type { DispatchRecord } from '../../../shared/src/schemas/dispatch.ts';
import {
  LIVE_EVENT_TOPIC,
  type HazardLive,
  type LiveEvent,
  type LiveSnapshot,
} from '../../../shared/src/schemas/live.ts';
import { createLiveStore, overdueHazards, TICKER_LENGTH } from './live-store.ts';
import { TRAIL_POINTS } from './trail.ts';

function hazard(id: number, overrides: Partial<HazardLive> = {}): HazardLive {
  return {
    id,
    category: 'fire_safety',
    state: 'reported',
    severity: null,
    lon: 119.15,
    lat: 33.5,
    title: '楼道堆放杂物',
    reportedAt: '2026-11-28T08:00:00.000Z',
    reporter: '王建国',
    photos: 0,
    deadline: null,
    yellowAt: null,
    level: 'village',
    department: null,
    supervised: false,
    version: 1,
    ...overrides,
  };
}

function event(seq: number, type: LiveEvent['type'], data: object, subject = `x:${seq}`): LiveEvent {
  const topic = LIVE_EVENT_TOPIC[type];
  return {
    seq,
    type,
    topic,
    at: `2026-11-28T08:00:${String(seq % 60).padStart(2, '0')}.000Z`,
    area: '320803001001',
    grid: null,
    department: null,
    subject,
    data: data as Record<string, unknown>,
  };
}

const reported = (seq: number, id = seq) => event(seq, 'hazard.reported', hazard(id), `hazard:${id}`);

function snapshot(seq: number, parts: LiveSnapshot['parts'] = {}): LiveSnapshot {
  return { seq, at: '2026-11-28T08:00:00.000Z', area: '320803', parts };
}

function storeAt(seq: number) {
  let clock = 1_000;
  const store = createLiveStore(() => clock);
  store.applySnapshot(snapshot(seq, { hazards: [], stations: [] }));
  return { store, tick: (ms: number) => (clock += ms) };
}

describe('applyBatch: order, duplicates, gaps', () => {
  const cases: Array<{
    name: string;
    at: number;
    batch: number[];
    contiguous: boolean;
    result: ReturnType<ReturnType<typeof createLiveStore>['applyBatch']>;
    appliedSeq: number;
    hazards: number[];
  }> = [
    {
      name: 'continues at appliedSeq + 1',
      at: 10,
      batch: [11, 12],
      contiguous: true,
      result: { status: 'applied', applied: 2, duplicates: 0 },
      appliedSeq: 12,
      hazards: [11, 12],
    },
    {
      name: 'skips events already applied (a replay overlapping the snapshot)',
      at: 10,
      batch: [9, 10, 11],
      contiguous: true,
      result: { status: 'applied', applied: 1, duplicates: 2 },
      appliedSeq: 11,
      hazards: [11],
    },
    {
      name: 'a batch of duplicates only changes nothing',
      at: 10,
      batch: [8, 9, 10],
      contiguous: true,
      result: { status: 'applied', applied: 0, duplicates: 3 },
      appliedSeq: 10,
      hazards: [],
    },
    {
      name: 'puts a batch out of order back in seq order',
      at: 10,
      batch: [12, 11],
      contiguous: true,
      result: { status: 'applied', applied: 2, duplicates: 0 },
      appliedSeq: 12,
      hazards: [11, 12],
    },
    {
      name: 'a batch starting past appliedSeq + 1 is a gap: nothing applied',
      at: 10,
      batch: [13, 14],
      contiguous: true,
      result: { status: 'gap', expected: 11, received: 13 },
      appliedSeq: 10,
      hazards: [],
    },
    {
      name: 'a hole inside a batch is a gap: nothing applied',
      at: 10,
      batch: [11, 12, 14],
      contiguous: true,
      result: { status: 'gap', expected: 13, received: 14 },
      appliedSeq: 10,
      hazards: [],
    },
    {
      name: 'a filtered subscription skips seqs legitimately: no gap',
      at: 10,
      batch: [13, 20],
      contiguous: false,
      result: { status: 'applied', applied: 2, duplicates: 0 },
      appliedSeq: 20,
      hazards: [13, 20],
    },
  ];
  it.each(cases)('$name', ({ at, batch, contiguous, result, appliedSeq, hazards }) => {
    const { store } = storeAt(at);
    expect(
      store.applyBatch(
        batch.map((seq) => reported(seq)),
        { contiguous },
      ),
    ).toEqual(result);
    const state = store.getSnapshot();
    expect(state.appliedSeq).toBe(appliedSeq);
    expect(state.hazards.map((row) => row.hazard.id)).toEqual(hazards);
    expect(state.counters.openHazards).toBe(hazards.length);
  });

  it('does not publish for a batch of duplicates', () => {
    const { store } = storeAt(10);
    const before = store.getSnapshot();
    store.applyBatch([reported(10)], { contiguous: true });
    expect(store.getSnapshot()).toBe(before);
  });

  it('markSubscribed moves appliedSeq to what the server has sent, never back', () => {
    const { store } = storeAt(10);
    store.markSubscribed(25);
    expect(store.getSnapshot().appliedSeq).toBe(25);
    store.markSubscribed(20);
    expect(store.getSnapshot().appliedSeq).toBe(25);
    expect(store.applyBatch([reported(26)], { contiguous: true }).status).toBe('applied');
  });

  it('a snapshot replaces the state and sets appliedSeq to its seq', () => {
    const { store } = storeAt(10);
    store.applyBatch([reported(11)], { contiguous: true });
    store.applySnapshot(snapshot(40, { hazards: [hazard(3)], stations: [] }));
    const state = store.getSnapshot();
    expect(state.appliedSeq).toBe(40);
    expect(state.snapshotLoads).toBe(2);
    expect(state.hazards.map((row) => [row.hazard.id, row.arrivedAt])).toEqual([[3, 0]]);
    // The ticker keeps what the operator has seen.
    expect(state.ticker.map((item) => item.seq)).toEqual([11]);
  });
});

describe('hazards', () => {
  it.each([
    { name: 'a new hazard pulses from its arrival', events: ['reported'], open: true, arrivedAt: 1_000 },
    {
      name: 'a state change keeps the row and its arrival',
      events: ['reported', 'classified'],
      open: true,
      arrivedAt: 1_000,
    },
    {
      name: 'closing leaves an inactive row, not counted',
      events: ['reported', 'closed'],
      open: false,
      arrivedAt: 1_000,
    },
  ] as const)('$name', ({ events, open, arrivedAt }) => {
    const { store, tick } = storeAt(0);
    events.forEach((kind, i) => {
      store.applyBatch(
        [
          event(
            i + 1,
            `hazard.${kind}`,
            hazard(7, { state: kind === 'classified' ? 'classified' : 'reported' }),
          ),
        ],
        { contiguous: true },
      );
      tick(500);
    });
    const rows = store.getSnapshot().hazards;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ open, arrivedAt });
    expect(store.getSnapshot().counters.openHazards).toBe(open ? 1 : 0);
  });

  it('keeps the row objects of unchanged hazards, and a new array shell per batch', () => {
    const { store } = storeAt(0);
    store.applyBatch([reported(1), reported(2)], { contiguous: true });
    const before = store.getSnapshot().hazards;
    store.applyBatch([event(3, 'hazard.classified', hazard(2, { state: 'classified' }))], {
      contiguous: true,
    });
    const after = store.getSnapshot().hazards;
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]!.hazard.state).toBe('classified');
  });

  it('applies supervision, and keeps the village and grid of the newest event', () => {
    const { store } = storeAt(0);
    store.applyBatch([{ ...reported(1, 5), grid: 'G320803001001001' }], { contiguous: true });
    store.applyBatch(
      [event(2, 'hazard.supervised', hazard(5, { state: 'assigned', supervised: true, version: 4 }))],
      { contiguous: true },
    );
    const [row] = store.getSnapshot().hazards;
    expect(row?.hazard).toMatchObject({ supervised: true, version: 4 });
    expect(row?.place).toEqual({ villageCode: '320803001001', gridCode: null });
  });
});

describe('patrols', () => {
  const fix = (sessionId: number, i: number) => ({
    sessionId,
    userId: 1,
    member: '李海燕',
    lon: 119 + i / 1000,
    lat: 33.5,
    fixAt: '2026-11-28T08:00:00Z',
    speedKmh: 4,
    bearing: 90,
    inOwnGrid: i % 2 === 0,
  });

  it(`keeps the last ${TRAIL_POINTS} fixes as the trail, newest last`, () => {
    const { store } = storeAt(0);
    const fixes = Array.from({ length: 25 }, (_, i) => event(i + 1, 'patrol.position', fix(5, i)));
    store.applyBatch(fixes, { contiguous: true });
    const [row] = store.getSnapshot().patrols;
    expect(row!.path).toHaveLength(TRAIL_POINTS);
    expect(row!.path.at(-1)).toEqual([119.024, 33.5]);
    expect(row!.path[0]).toEqual([119.005, 33.5]);
    expect(row!.position).toEqual([119.024, 33.5]);
    expect(store.getSnapshot().counters.patrolsOnDuty).toBe(1);
  });

  it.each([
    {
      name: 'started then ended: off duty',
      types: ['patrol.started', 'patrol.ended'] as const,
      onDuty: false,
    },
    { name: 'started: on duty without a position', types: ['patrol.started'] as const, onDuty: true },
  ])('$name', ({ types, onDuty }) => {
    const { store } = storeAt(0);
    store.applyBatch(
      types.map((type, i) =>
        event(i + 1, type, { sessionId: 9, userId: 1, member: '张伟', grid: 'G320803001001001' }),
      ),
      { contiguous: true },
    );
    const [row] = store.getSnapshot().patrols;
    expect(row).toMatchObject({ sessionId: 9, member: '张伟', onDuty, position: null });
    expect(store.getSnapshot().counters.patrolsOnDuty).toBe(onDuty ? 1 : 0);
  });

  it('starts from the snapshot trails', () => {
    const store = createLiveStore(() => 0);
    store.applySnapshot(
      snapshot(5, {
        patrols: [
          {
            sessionId: 2,
            userId: 1,
            member: '赵敏',
            grid: 'G320803001001001',
            startedAt: '2026-11-28T07:00:00Z',
            distanceM: 100,
            durationS: 60,
            insideS: 60,
            trail: [
              { lon: 119.1, lat: 33.5, fixAt: '2026-11-28T07:59:00Z' },
              { lon: 119.2, lat: 33.5, fixAt: '2026-11-28T08:00:00Z' },
            ],
          },
        ],
      }),
    );
    expect(store.getSnapshot().patrols[0]).toMatchObject({ position: [119.2, 33.5], onDuty: true });
  });
});

describe('stations, counters and ticker', () => {
  it('applies a status change to the station and the available-by-tier counter', () => {
    const store = createLiveStore(() => 0);
    store.applySnapshot(
      snapshot(1, {
        stations: [
          {
            code: 'ST1',
            name: '一站',
            tier: 'rescue_station',
            status: 'available',
            area: '320803',
            updatedAt: '',
          },
          {
            code: 'ST2',
            name: '二站',
            tier: 'rescue_station',
            status: 'available',
            area: '320803',
            updatedAt: '',
          },
        ],
      }),
    );
    const version = store.getSnapshot().stationsVersion;
    expect(store.getSnapshot().counters.availableByTier.rescue_station).toEqual({ available: 2, total: 2 });
    store.applyBatch(
      [
        event(2, 'station.status_changed', {
          code: 'ST1',
          name: '一站',
          tier: 'rescue_station',
          from: 'available',
          to: 'busy',
          reason: '出警',
        }),
      ],
      { contiguous: true },
    );
    const state = store.getSnapshot();
    expect(state.stations.get('ST1')?.status).toBe('busy');
    expect(state.stationsVersion).toBe(version + 1);
    expect(state.counters.availableByTier.rescue_station).toEqual({ available: 1, total: 2 });
    expect(state.ticker[0]).toMatchObject({
      seq: 2,
      type: 'station.status_changed',
      params: { name: '一站', to: 'busy' },
    });
  });

  it('marks the newest roll-call result (the roll-call tab re-reads its day) and shows it in the ticker', () => {
    const { store } = storeAt(0);
    const { rollcallSeq, stationsVersion } = store.getSnapshot();
    expect(rollcallSeq).toBe(0);
    const recorded = (seq: number, code: string) =>
      event(seq, 'rollcall.recorded', {
        date: '2026-11-29',
        code,
        name: `${code} 撬装站`,
        outcome: 'equipment',
        note: '摄像头离线',
        by: '县网格中心值班员',
      });
    store.applyBatch([recorded(1, 'JS1'), reported(2), recorded(3, 'JS2'), reported(4)], {
      contiguous: true,
    });
    const state = store.getSnapshot();
    expect(state.rollcallSeq).toBe(3);
    expect(state.ticker.find((item) => item.seq === 3)).toMatchObject({
      type: 'rollcall.recorded',
      params: { name: 'JS2 撬装站', outcome: 'equipment', by: '县网格中心值班员' },
    });
    // no station changed
    expect(state.stationsVersion).toBe(stationsVersion);
    store.applyBatch([reported(5)], { contiguous: true });
    expect(store.getSnapshot().rollcallSeq).toBe(3);
  });

  it(`shows the newest ${TICKER_LENGTH} events first, without position fixes`, () => {
    const { store } = storeAt(0);
    const batch = Array.from({ length: 40 }, (_, i) => reported(i + 1));
    batch.push(
      event(41, 'patrol.position', { sessionId: 1, member: 'x', lon: 119, lat: 33, inOwnGrid: true }),
    );
    store.applyBatch(batch, { contiguous: true });
    const ticker = store.getSnapshot().ticker;
    expect(ticker).toHaveLength(TICKER_LENGTH);
    expect(ticker[0]!.seq).toBe(40);
    expect(ticker.at(-1)!.seq).toBe(11);
  });

  it('records when the data was last current: leaving live stops the clock', () => {
    const { store, tick } = storeAt(0);
    store.setConnection('live');
    tick(5_000);
    store.setConnection('reconnecting');
    expect(store.getSnapshot().syncedAt).toBe(6_000);
    tick(5_000);
    store.setConnection('reloading');
    expect(store.getSnapshot().syncedAt).toBe(6_000);
  });
});

describe('overdue hazards on the wall', () => {
  const row = (deadline: string | null, open = true) => ({
    hazard: hazard(1, { deadline }),
    open,
    arrivedAt: 0,
    place: null,
  });
  it.each([
    ['no deadline', [row(null)], 0],
    ['deadline ahead', [row('2026-11-28T12:00:00Z')], 0],
    ['past the deadline', [row('2026-11-28T09:00:00Z')], 1],
    ['closed past the deadline', [row('2026-11-28T09:00:00Z', false)], 0],
    [
      'two of three',
      [row('2026-11-28T09:00:00Z'), row('2026-11-28T09:59:59Z'), row('2026-11-28T10:00:01Z')],
      2,
    ],
  ] as const)('%s', (_name, rows, expected) => {
    expect(overdueHazards(rows, Date.parse('2026-11-28T10:00:00Z'))).toBe(expected);
  });
});

describe('open dispatches', () => {
  const record = (id: number, stations: string[]): DispatchRecord => ({
    id,
    status: 'open',
    lon: 119.15,
    lat: 33.5,
    village: '320803001001',
    hazardId: null,
    note: null,
    createdBy: 'dispatcher',
    createdAt: '2026-11-28T08:00:00.000Z',
    closedBy: null,
    closedAt: null,
    closeReason: null,
    version: 1,
    forces: stations.map((code, order) => ({
      id: code,
      name: `${code}站`,
      tier: 'fulltime_team',
      order,
      travelTimeS: 120 + order * 60,
      distanceM: 1500,
      route: {
        type: 'LineString',
        coordinates: [
          [119.1, 33.4],
          [119.15, 33.5],
        ],
      },
      releasedAt: null,
    })),
  });

  it('keeps the snapshot’s open dispatches, adds created ones, drops closed ones, and tells the ticker', () => {
    const store = createLiveStore(() => 0);
    store.applySnapshot(snapshot(10, { dispatches: [record(1, ['A'])] }));
    expect(store.getSnapshot().dispatches.map((d) => d.id)).toEqual([1]);

    store.applyBatch([event(11, 'dispatch.created', record(2, ['B', 'C']), 'dispatch:2')], {
      contiguous: true,
    });
    expect(store.getSnapshot().dispatches.map((d) => d.id)).toEqual([1, 2]);
    expect(store.getSnapshot().ticker[0]).toMatchObject({
      type: 'dispatch.created',
      params: { id: '2', forces: 'B站、C站' },
    });

    const unchanged = store.getSnapshot().dispatches;
    store.applyBatch([reported(12)], { contiguous: true });
    // a batch without dispatch events keeps the same array (the routes layer is not rebuilt)
    expect(store.getSnapshot().dispatches).toBe(unchanged);

    store.applyBatch(
      [event(13, 'dispatch.closed', { ...record(1, ['A']), status: 'closed' }, 'dispatch:1')],
      {
        contiguous: true,
      },
    );
    expect(store.getSnapshot().dispatches.map((d) => d.id)).toEqual([2]);
  });
});
