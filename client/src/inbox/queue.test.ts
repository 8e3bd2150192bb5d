import { describe, expect, it } from 'vitest';
import type { HazardLive } from '../../../shared/src/schemas/live.ts';
import {
  applyLiveHazard,
  compareQueue,
  durationParts,
  durationText,
  groupQueue,
  NO_FILTERS,
  queueCounts,
  timerView,
  type InboxHazard,
} from './queue.ts';

const NOW = new Date('2026-11-28T08:00:00Z');
const HOUR = 3_600_000;
const at = (hoursFromNow: number) => new Date(NOW.getTime() + hoursFromNow * HOUR).toISOString();

function hazard(id: number, fields: Partial<InboxHazard> = {}): InboxHazard {
  return {
    id,
    category: 'fire_safety',
    state: 'classified',
    severity: 'general',
    lon: 119.15,
    lat: 33.5,
    title: `隐患 ${id}`,
    reportedAt: at(-48),
    reporter: '网格员',
    photos: 0,
    deadline: at(100),
    yellowAt: at(76),
    level: 'village',
    department: null,
    supervised: false,
    version: 2,
    villageCode: '320803001001',
    gridCode: 'G320803001001001',
    ...fields,
  };
}

describe('compareQueue', () => {
  it.each([
    { name: 'the earlier deadline first', a: { deadline: at(2) }, b: { deadline: at(5) }, sign: -1 },
    { name: 'overdue before due', a: { deadline: at(-1) }, b: { deadline: at(1) }, sign: -1 },
    { name: 'a deadline before none', a: { deadline: at(500) }, b: { deadline: null }, sign: -1 },
    { name: 'no deadline after one', a: { deadline: null }, b: { deadline: at(1) }, sign: 1 },
    {
      name: 'without deadlines, the older report first',
      a: { deadline: null, reportedAt: at(-1) },
      b: { deadline: null, reportedAt: at(-3) },
      sign: 1,
    },
  ])('$name', ({ a, b, sign }) => {
    expect(Math.sign(compareQueue(hazard(1, a), hazard(2, b)))).toBe(sign);
  });
});

describe('groupQueue', () => {
  const rows = [
    hazard(1, { state: 'reported', deadline: null, yellowAt: null, severity: null }),
    hazard(2, { state: 'assigned', deadline: at(-2) }),
    hazard(3, { state: 'assigned', deadline: at(3), level: 'town' }),
    hazard(4, { state: 'closed' }),
    hazard(5, { state: 'classified' }),
  ];
  it.each([
    {
      name: 'no filters: one heading per open state in loop order, closed left out',
      filters: NO_FILTERS,
      groups: [
        ['reported', [1]],
        ['classified', [5]],
        ['assigned', [2, 3]],
      ],
    },
    {
      name: 'one state',
      filters: { ...NO_FILTERS, state: 'assigned' as const },
      groups: [['assigned', [2, 3]]],
    },
    { name: 'one level', filters: { ...NO_FILTERS, level: 'town' as const }, groups: [['assigned', [3]]] },
    { name: 'overdue only', filters: { ...NO_FILTERS, overdueOnly: true }, groups: [['assigned', [2]]] },
  ])('$name', ({ filters, groups }) => {
    expect(groupQueue(rows, filters, NOW).map((g) => [g.state, g.rows.map((r) => r.id)])).toEqual(groups);
  });

  it('counts per state and overdue within the level', () => {
    expect(queueCounts(rows, 'all', NOW)).toMatchObject({ all: 4, reported: 1, assigned: 2, overdue: 1 });
    expect(queueCounts(rows, 'town', NOW)).toMatchObject({ all: 1, assigned: 1, overdue: 0 });
  });
});

describe('timers', () => {
  it.each([
    { name: 'no deadline', deadline: null, yellowAt: null, state: null, leftMs: null },
    { name: 'green before yellowAt', deadline: at(30), yellowAt: at(6), state: 'green', leftMs: 30 * HOUR },
    { name: 'yellow from yellowAt', deadline: at(10), yellowAt: at(-14), state: 'yellow', leftMs: 10 * HOUR },
    { name: 'red past the deadline', deadline: at(-1), yellowAt: at(-25), state: 'red', leftMs: -HOUR },
  ])('$name', ({ deadline, yellowAt, state, leftMs }) => {
    expect(timerView({ deadline, yellowAt }, NOW)).toEqual({ state, leftMs });
  });

  it.each([
    { ms: 0, parts: { days: 0, hours: 0, minutes: 0, seconds: 0 }, key: 'ms' },
    { ms: 59_999, parts: { days: 0, hours: 0, minutes: 0, seconds: 59 }, key: 'ms' },
    { ms: -(5 * 60_000 + 3000), parts: { days: 0, hours: 0, minutes: 5, seconds: 3 }, key: 'ms' },
    { ms: 3 * HOUR + 12 * 60_000, parts: { days: 0, hours: 3, minutes: 12, seconds: 0 }, key: 'hm' },
    { ms: 50 * HOUR + 1000, parts: { days: 2, hours: 2, minutes: 0, seconds: 1 }, key: 'dh' },
  ])('$ms ms is $key', ({ ms, parts, key }) => {
    expect(durationParts(ms)).toEqual(parts);
    expect(durationText(ms).key).toBe(key);
  });
});

describe('applyLiveHazard', () => {
  const live = (id: number, fields: Partial<HazardLive>): HazardLive => {
    const { villageCode: _v, gridCode: _g, ...rest } = hazard(id, fields as Partial<InboxHazard>);
    return rest;
  };
  const place = { villageCode: '320803001002', gridCode: null };
  const rows = new Map([[1, hazard(1, { version: 3 })]]);

  it('replaces a row with a newer version, keeping its village and grid', () => {
    const next = applyLiveHazard(rows, live(1, { version: 4, state: 'assigned' }), place);
    expect(next.get(1)).toMatchObject({ state: 'assigned', version: 4, villageCode: '320803001001' });
  });
  it.each([
    { name: 'an older version', version: 2 },
    { name: 'the same version', version: 3 },
  ])('ignores $name', ({ version }) => {
    expect(applyLiveHazard(rows, live(1, { version, state: 'assigned' }), place)).toBe(rows);
  });
  it('drops a closed case', () => {
    expect(applyLiveHazard(rows, live(1, { version: 9, state: 'closed' }), place).has(1)).toBe(false);
  });
  it('adds a new case with the place of its event, and not without one', () => {
    expect(applyLiveHazard(rows, live(2, { version: 1 }), place).get(2)?.villageCode).toBe('320803001002');
    expect(applyLiveHazard(rows, live(2, { version: 1 }), null)).toBe(rows);
  });
});
