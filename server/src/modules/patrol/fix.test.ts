import { describe, expect, it } from 'vitest';
import { HttpError } from '../../errors.ts';
import { osmandFix, parseFixTime, sourcedFields, trackerIdOf, type Fix, type TimeWindow } from './fix.ts';
import { orderFixes, runsByGap } from './service.ts';

const NOW = new Date('2026-11-28T12:00:00Z');
const WINDOW: TimeWindow = { now: NOW, skewS: 300, maxAgeS: 7 * 86_400 };

const read = (query: Record<string, unknown>, body?: unknown, unit: 'kn' | 'kmh' | 'mps' = 'kn') => {
  const { fields, speedUnit } = sourcedFields(query, body, unit);
  return { id: trackerIdOf(fields, body !== undefined), fix: osmandFix(fields, speedUnit, WINDOW) };
};

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).statusCode).toBe(400);
    return (err as HttpError).field;
  }
  throw new Error('expected a 400');
};

describe('fix times', () => {
  it.each([
    ['epoch seconds', 1_764_331_200 - 0, '2025-11-28T12:00:00.000Z'],
    ['epoch seconds as text', '1795867200', '2026-11-28T12:00:00.000Z'],
    ['epoch milliseconds', '1795867200123', '2026-11-28T12:00:00.123Z'],
    ['decimal seconds', '1795867200.5', '2026-11-28T12:00:00.500Z'],
    ['ISO 8601 with Z', '2026-11-28T11:59:00Z', '2026-11-28T11:59:00.000Z'],
    ['ISO 8601 with an offset', '2026-11-28T19:59:00+08:00', '2026-11-28T11:59:00.000Z'],
    ['date and time without a zone (UTC)', '2026-11-28 11:58:30', '2026-11-28T11:58:30.000Z'],
  ])('reads %s', (_name, value, expected) => {
    const window = { ...WINDOW, maxAgeS: 400 * 86_400 };
    expect(parseFixTime({ value, field: 'query.timestamp' }, window).toISOString()).toBe(expected);
  });

  it.each([
    ['the far future', '4102444800'],
    ['six minutes ahead', String(NOW.getTime() / 1000 + 360)],
    ['too old', '946684800'],
    ['text', 'yesterday'],
    ['a date alone', '2026-11-28'],
    ['NaN', 'NaN'],
    ['an overflow', '1e400'],
  ])('refuses %s, naming the field', (_name, value) => {
    expect(fieldOf(() => parseFixTime({ value, field: 'query.timestamp' }, WINDOW))).toBe('query.timestamp');
  });
});

describe('OsmAnd and Traccar Client requests', () => {
  it('reads every OsmAnd parameter, speed in knots', () => {
    const { id, fix } = read({
      id: '123456',
      lat: '33.5',
      lon: '119.1',
      timestamp: '1795867100',
      speed: '10',
      bearing: '90.5',
      altitude: '12',
      accuracy: '8',
      batt: '77',
    });
    expect(id).toEqual({ trackerId: '123456', field: 'query.id' });
    expect(fix).toMatchObject({
      lat: 33.5,
      lon: 119.1,
      speedKmh: 18.52,
      bearing: 90.5,
      altitudeM: 12,
      accuracyM: 8,
      batteryPct: 77,
      hdop: null,
    });
    expect(fix.fixAt.toISOString()).toBe('2026-11-28T11:58:20.000Z');
  });

  it('takes deviceid for id, location=lat,lon, heading for bearing, hdop, and now without timestamp', () => {
    const { id, fix } = read({ deviceid: 'abc', location: '33.25,119.5', heading: '360', hdop: '1.2' });
    expect(id.trackerId).toBe('abc');
    expect(fix).toMatchObject({ lat: 33.25, lon: 119.5, bearing: 0, hdop: 1.2 });
    expect(fix.fixAt).toEqual(NOW);
  });

  it('treats negative speed, bearing and accuracy as unknown (apps send -1)', () => {
    const { fix } = read({ id: 'a', lat: '1', lon: '2', speed: '-1', bearing: '-1', accuracy: '-1' });
    expect(fix).toMatchObject({ speedKmh: null, bearing: null, accuracyM: null });
  });

  it('reads the configured speed unit', () => {
    expect(read({ id: 'a', lat: '1', lon: '2', speed: '10' }, undefined, 'mps').fix.speedKmh).toBe(36);
    expect(read({ id: 'a', lat: '1', lon: '2', speed: '10' }, undefined, 'kmh').fix.speedKmh).toBe(10);
  });

  it("reads Traccar Client's JSON body (speed in m/s, battery as a fraction)", () => {
    const { id, fix } = read(
      {},
      {
        device_id: '987654',
        location: {
          timestamp: '2026-11-28T11:59:30.250Z',
          coords: { latitude: 33.4, longitude: 119.2, speed: 2, heading: 180, altitude: 5, accuracy: 4 },
          battery: { level: 0.56 },
        },
      },
    );
    expect(id).toEqual({ trackerId: '987654', field: 'body.device_id' });
    expect(fix).toMatchObject({
      lat: 33.4,
      lon: 119.2,
      speedKmh: 7.2,
      bearing: 180,
      altitudeM: 5,
      accuracyM: 4,
      batteryPct: 56,
    });
    expect(fix.fixAt.toISOString()).toBe('2026-11-28T11:59:30.250Z');
  });

  it('names the field of each bad value', () => {
    expect(fieldOf(() => read({ id: 'a', lat: '91', lon: '119' }))).toBe('query.lat');
    expect(fieldOf(() => read({ id: 'a', lat: '33', lon: '-181' }))).toBe('query.lon');
    expect(fieldOf(() => read({ id: 'a', lat: '33', lon: '0x10' }))).toBe('query.lon');
    expect(fieldOf(() => read({ id: 'a', lon: '119' }))).toBe('query.lat');
    expect(fieldOf(() => read({ id: 'a', location: '33' }))).toBe('query.location');
    expect(fieldOf(() => read({ id: 'a', lat: '33', lon: '119', timestamp: '4102444800' }))).toBe(
      'query.timestamp',
    );
    expect(fieldOf(() => read({ id: 'a', lat: '33', lon: '119', bearing: '400' }))).toBe('query.bearing');
    expect(fieldOf(() => read({ id: 'a', lat: '33', lon: '119', batt: '101' }))).toBe('query.batt');
    expect(fieldOf(() => read({ lat: '33', lon: '119' }))).toBe('query.id');
    expect(fieldOf(() => read({ id: 'a b', lat: '33', lon: '119' }))).toBe('query.id');
    expect(fieldOf(() => read({}, { id: 'a', lat: 33, lon: 'x' }))).toBe('body.lon');
    expect(
      fieldOf(() => read({}, { device_id: 'a', location: { coords: { latitude: 95, longitude: 119 } } })),
    ).toBe('body.location.coords.latitude');
  });
});

describe('ordering fixes', () => {
  const fix = (iso: string): Fix => ({
    lon: 119,
    lat: 33,
    fixAt: new Date(iso),
    speedKmh: null,
    bearing: null,
    altitudeM: null,
    accuracyM: null,
    hdop: null,
    batteryPct: null,
    field: 'body',
  });

  it('sorts by fix time and counts the repeated times as duplicates', () => {
    const { ordered, duplicates } = orderFixes([
      fix('2026-11-28T10:02:00Z'),
      fix('2026-11-28T10:00:00Z'),
      fix('2026-11-28T10:02:00Z'),
      fix('2026-11-28T10:01:00Z'),
    ]);
    expect(ordered.map((f) => f.fixAt.toISOString().slice(11, 16))).toEqual(['10:00', '10:01', '10:02']);
    expect(duplicates).toBe(1);
  });

  it('splits runs at gaps longer than the idle gap', () => {
    const runs = runsByGap(
      [fix('2026-11-28T10:05:00Z'), fix('2026-11-28T10:10:00Z'), fix('2026-11-28T11:00:00Z')],
      600_000,
      new Date('2026-11-28T10:00:00Z'),
    );
    expect(runs.map((r) => [r.continues, r.fixes.length])).toEqual([
      [true, 2],
      [false, 1],
    ]);
    expect(runsByGap([fix('2026-11-28T10:05:00Z')], 60_000, new Date('2026-11-28T10:00:00Z'))).toEqual([
      { continues: false, fixes: [expect.anything()] },
    ]);
  });
});
