import { describe, expect, it } from 'vitest';
import { decide, type SourceState } from './decide.ts';
import { parseReading } from './reading.ts';

const NOW = new Date('2026-12-01T08:00:00Z');
const TOPIC = 'gw/320803/hydrants/WS320803-H00001/pressure';

describe('parseReading', () => {
  it.each([
    [
      'a JSON reading',
      '{"mpa":0.08,"at":"2026-12-01T07:59:00Z","battery":0.7}',
      0.08,
      '2026-12-01T07:59:00.000Z',
      0.7,
    ],
    ['a bare number (read now)', '0.23', 0.23, NOW.toISOString(), null],
    [
      'a time with an offset',
      '{"mpa":0,"at":"2026-12-01T15:58:30.5+08:00"}',
      0,
      '2026-12-01T07:58:30.500Z',
      null,
    ],
    ['the highest plausible pressure', '{"mpa":2}', 2, NOW.toISOString(), null],
  ])('accepts %s', (_name, payload, mpa, at, battery) => {
    const parsed = parseReading(TOPIC, Buffer.from(payload), 'gw', NOW);
    expect(parsed).toEqual({
      ok: true,
      reading: { topic: TOPIC, district: '320803', code: 'WS320803-H00001', mpa, at: new Date(at), battery },
    });
  });

  it.each([
    ['another prefix', 'other/320803/hydrants/H1/pressure', '0.2', 'bad_topic'],
    ['a short district', 'gw/3208/hydrants/H1/pressure', '0.2', 'bad_topic'],
    ['an extra level', 'gw/320803/hydrants/H1/pressure/x', '0.2', 'bad_topic'],
    ['a quoted number', TOPIC, '"0.2"', 'not_a_number'],
    ['null', TOPIC, 'null', 'not_a_number'],
    ['an array', TOPIC, '[0.2]', 'not_a_number'],
    ['NaN', TOPIC, 'NaN', 'bad_payload'],
    ['an empty payload', TOPIC, '', 'bad_payload'],
    ['a negative pressure', TOPIC, '-0.1', 'negative'],
    ['an absurd pressure', TOPIC, '{"mpa":2.01}', 'absurd'],
    ['a time without a zone', TOPIC, '{"mpa":0.2,"at":"2026-12-01T07:59:00"}', 'bad_time'],
    ['a date only', TOPIC, '{"mpa":0.2,"at":"2026-12-01"}', 'bad_time'],
    ['an impossible date', TOPIC, '{"mpa":0.2,"at":"2026-13-45T07:59:00Z"}', 'bad_time'],
    ['epoch seconds', TOPIC, '{"mpa":0.2,"at":1764575940}', 'bad_time'],
    ['a time 6 minutes ahead', TOPIC, '{"mpa":0.2,"at":"2026-12-01T08:06:00Z"}', 'bad_time'],
    ['a battery in percent', TOPIC, '{"mpa":0.2,"battery":70}', 'bad_battery'],
  ])('refuses %s', (_name, topic, payload, reason) => {
    expect(parseReading(topic, Buffer.from(payload), 'gw', NOW)).toMatchObject({ ok: false, reason });
  });
});

describe('decide', () => {
  const inService: SourceState = { status: 'in_service', setBy: 'person', recovering: 0 };
  const tripped = (recovering: number): SourceState => ({
    status: 'out_of_service',
    setBy: 'sensor',
    recovering,
  });

  it.each([
    ['below 0.10 MPa takes it out of service', inService, 0.099, 'out_of_service', 0],
    ['0.10 MPa exactly is enough', inService, 0.1, null, 0],
    ['a tripped source counts readings at 0.14 MPa', tripped(0), 0.14, null, 1],
    ['a reading under 0.14 MPa restarts the count', tripped(2), 0.139, null, 0],
    ['the third reading in a row returns it', tripped(2), 0.3, 'in_service', 0],
    ['a person’s out_of_service stays', { ...tripped(2), setBy: 'person' as const }, 0.3, null, 0],
    [
      'a person’s under_repair stays',
      { status: 'under_repair' as const, setBy: 'person' as const, recovering: 0 },
      0.01,
      null,
      0,
    ],
  ])('%s', (_name, state, mpa, to, recovering) => {
    expect(decide(state, mpa)).toMatchObject({ to, recovering });
  });
});
