/**
 * Smart hydrants end to end: readings published to the real Mosquitto on 127.0.0.1:1883 (under a topic
 * prefix of this run's own, so parallel runs never see each other's readings), applied by the app's
 * subscriber to a real database on both backends.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { startTcpProxy } from '../../../../test/support/tcp-proxy.ts';
import type { HydrantSensorSubscriber } from './subscriber.ts';

const BROKER = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const DISTRICT = '320803';

type Outcome = Parameters<Parameters<HydrantSensorSubscriber['onOutcome']>[0]>[0];

interface SourceState {
  status: string;
  status_set_by: string;
  pressure_mpa: number | null;
  read_at: Date | null;
}

describe.each(BACKENDS)('smart hydrant pressure readings over MQTT on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let publisher: MqttClient;
  const prefix = `gwtest-${process.pid}-${randomBytes(4).toString('hex')}`;
  /** in-service hydrants of the demo county, one per test (each test owns its hydrant) */
  let hydrants: string[];
  const sensors = () => app.hydrantSensors!;

  /** Publishes one message (QoS 1) and waits for the app to have handled it. */
  async function send(code: string, payload: unknown, district = DISTRICT): Promise<Outcome> {
    const handled = new Promise<Outcome>((resolve) => {
      const off = sensors().onOutcome((outcome) => {
        off();
        resolve(outcome);
      });
    });
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    await publisher.publishAsync(`${prefix}/${district}/hydrants/${code}/pressure`, body, { qos: 1 });
    return handled;
  }

  const reading = (mpa: number, secondsAgo: number) => ({
    mpa,
    at: new Date(Date.now() - secondsAgo * 1000).toISOString(),
    battery: 0.7,
  });

  const state = async (code: string): Promise<SourceState> =>
    (
      await db.pool.query<SourceState>(
        `SELECT w.status, w.status_set_by, r.pressure_mpa, r.read_at
           FROM water_source w LEFT JOIN hydrant_reading r ON r.code = w.code WHERE w.code = $1`,
        [code],
      )
    ).rows[0]!;

  const eventsFor = async (code: string) =>
    (
      await db.pool.query<{ type: string; area_code: string; data: Record<string, unknown> }>(
        `SELECT type, area_code, data FROM event_log WHERE subject = $1 ORDER BY seq`,
        [`water_source:${code}`],
      )
    ).rows;

  const auditsFor = async (code: string) =>
    (
      await db.pool.query<{
        actor: string;
        role: string;
        actor_id: string | null;
        after: Record<string, unknown>;
      }>(`SELECT actor, role, actor_id, after FROM audit_log WHERE target = $1 ORDER BY id`, [
        `water_source:${code}`,
      ])
    ).rows;

  /** Sets a status the way a person's tool does: an ordinary UPDATE, not declared the sensor's. */
  const setByPerson = (code: string, status: string) =>
    db.pool.query(`UPDATE water_source SET status = $2 WHERE code = $1`, [code, status]);

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { MQTT_URL: BROKER, MQTT_TOPIC_PREFIX: prefix });
    await app.ready();
    await sensors().subscribed();
    publisher = await mqtt.connectAsync(BROKER, { clientId: `${prefix}-publisher` });
    hydrants = (
      await db.pool.query<{ code: string }>(
        `SELECT code FROM water_source
          WHERE kind = 'hydrant' AND status = 'in_service' AND village_code LIKE $1 || '%'
          ORDER BY code LIMIT 7`,
        [DISTRICT],
      )
    ).rows.map((r) => r.code);
    expect(hydrants).toHaveLength(7);
  });
  afterAll(async () => {
    await publisher?.endAsync();
    await app?.close();
    await db?.destroy();
  });

  it('takes a hydrant out of service below 0.10 MPa: status, one event and one audit row by the sensor', async () => {
    const code = hydrants[0]!;
    const village = (
      await db.pool.query<{ v: string }>(`SELECT village_code AS v FROM water_source WHERE code = $1`, [code])
    ).rows[0]!.v;
    const sent = reading(0.08, 5);
    const outcome = await send(code, sent);
    expect(outcome).toEqual({
      kind: 'recorded',
      status: 'out_of_service',
      change: { from: 'in_service', to: 'out_of_service' },
    });
    expect(await state(code)).toEqual({
      status: 'out_of_service',
      status_set_by: 'sensor',
      pressure_mpa: 0.08,
      read_at: new Date(sent.at),
    });
    const events = await eventsFor(code);
    expect(events).toEqual([
      {
        type: 'water_source.status_changed',
        area_code: village,
        data: {
          code,
          kind: 'hydrant',
          from: 'in_service',
          to: 'out_of_service',
          pressureMpa: 0.08,
          reason: 'pressure 0.08 MPa below 0.10 MPa (GB 50974-2014 §7.2.6)',
          readAt: sent.at,
          setBy: 'sensor',
        },
      },
    ]);
    const audits = await auditsFor(code);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actor: `sensor:${code}`,
      role: 'sensor',
      actor_id: null,
      after: { status: 'out_of_service', pressureMpa: 0.08 },
    });

    // a further low reading is stored but changes nothing
    expect(await send(code, reading(0.05, 4))).toMatchObject({ kind: 'recorded', change: null });
    expect((await state(code)).pressure_mpa).toBe(0.05);
    expect(await eventsFor(code)).toHaveLength(1);
    expect(await auditsFor(code)).toHaveLength(1);

    // the read route shows the stored reading to someone in scope
    const res = await app.inject({
      method: 'GET',
      url: `/api/water-sources/${code}/pressure`,
      headers: await authHeader(app, 'county_operator'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code,
      status: 'out_of_service',
      statusSetBy: 'sensor',
      reading: { pressureMpa: 0.05, battery: 0.7 },
      thresholds: { lowMpa: 0.1, recoveryMpa: 0.14, recoveryReadings: 3 },
    });
  });

  it('returns to service only after 3 consecutive readings at or above 0.14 MPa (hysteresis)', async () => {
    const code = hydrants[1]!;
    let t = 600;
    const next = (mpa: number) => send(code, reading(mpa, (t -= 10)));
    // a sensor flapping around the threshold: one change, not one per reading
    await next(0.08);
    for (const mpa of [0.15, 0.09, 0.15, 0.12, 0.16, 0.16, 0.11, 0.2, 0.2]) {
      expect(await next(mpa)).toMatchObject({ kind: 'recorded', status: 'out_of_service', change: null });
    }
    expect(await eventsFor(code)).toHaveLength(1);
    // the third reading in a row at or above 0.14 MPa (0.14 itself counts), here as a bare number
    const back = await send(code, '0.14');
    expect(back).toEqual({
      kind: 'recorded',
      status: 'in_service',
      change: { from: 'out_of_service', to: 'in_service' },
    });
    const events = await eventsFor(code);
    expect(events.map((e) => [e.data.from, e.data.to])).toEqual([
      ['in_service', 'out_of_service'],
      ['out_of_service', 'in_service'],
    ]);
    expect(events[1]!.data.reason).toMatch(/0\.14 MPa for 3 consecutive readings/);
    expect((await auditsFor(code)).map((a) => a.after.status)).toEqual(['out_of_service', 'in_service']);
    expect(await state(code)).toMatchObject({
      status: 'in_service',
      status_set_by: 'sensor',
      pressure_mpa: 0.14,
    });
  });

  it("never overrides a person's under_repair or out_of_service", async () => {
    const [repairing, closed, tripped] = [hydrants[2]!, hydrants[3]!, hydrants[4]!];
    await setByPerson(repairing, 'under_repair');
    await setByPerson(closed, 'out_of_service');
    expect((await state(closed)).status_set_by).toBe('person');

    expect(await send(repairing, reading(0.02, 60))).toMatchObject({ status: 'under_repair', change: null });
    for (const [i, mpa] of [0.3, 0.3, 0.3, 0.3].entries()) {
      expect(await send(closed, reading(mpa, 60 - i))).toMatchObject({
        status: 'out_of_service',
        change: null,
      });
    }
    // the sensor took this one out, then a person put it under repair: recovery leaves it there
    await send(tripped, reading(0.05, 60));
    await setByPerson(tripped, 'under_repair');
    expect((await state(tripped)).status_set_by).toBe('person');
    for (const [i, mpa] of [0.3, 0.3, 0.3].entries()) await send(tripped, reading(mpa, 50 - i));

    expect(await state(repairing)).toMatchObject({
      status: 'under_repair',
      status_set_by: 'person',
      pressure_mpa: 0.02,
    });
    expect(await state(closed)).toMatchObject({
      status: 'out_of_service',
      status_set_by: 'person',
      pressure_mpa: 0.3,
    });
    expect(await state(tripped)).toMatchObject({
      status: 'under_repair',
      status_set_by: 'person',
      pressure_mpa: 0.3,
    });
    expect(await eventsFor(repairing)).toEqual([]);
    expect(await eventsFor(closed)).toEqual([]);
    expect(await eventsFor(tripped)).toHaveLength(1);
    expect(await auditsFor(tripped)).toHaveLength(1);
  });

  it('ignores a reading older than (or as old as) the stored one', async () => {
    const code = hydrants[5]!;
    const newest = reading(0.3, 30);
    await send(code, newest);
    const before = await state(code);
    expect(await send(code, reading(0.01, 90))).toMatchObject({ kind: 'ignored', reason: 'out_of_order' });
    // a QoS 1 redelivery of the stored reading
    expect(await send(code, { ...newest, mpa: 0.01 })).toMatchObject({
      kind: 'ignored',
      reason: 'out_of_order',
    });
    expect(await state(code)).toEqual(before);
    expect(before).toMatchObject({ status: 'in_service', pressure_mpa: 0.3 });
    expect(await eventsFor(code)).toEqual([]);
    expect(await auditsFor(code)).toEqual([]);
  });

  it('counts, logs and refuses bad readings without writing anything', async () => {
    const code = hydrants[6]!;
    const pool = (
      await db.pool.query<{ code: string }>(
        `SELECT code FROM water_source WHERE kind = 'fire_pool' AND village_code LIKE $1 || '%' ORDER BY code LIMIT 1`,
        [DISTRICT],
      )
    ).rows[0]!.code;
    const snapshot = async () =>
      (
        await db.pool.query(
          `SELECT (SELECT count(*)::int FROM hydrant_reading) AS readings,
                  (SELECT seq::int FROM event_seq) AS events,
                  (SELECT count(*)::int FROM audit_log) AS audits,
                  (SELECT md5(string_agg(code || status || status_set_by, ',' ORDER BY code)) FROM water_source) AS statuses`,
        )
      ).rows[0];
    const before = await snapshot();
    const rejectedBefore = { ...sensors().stats.rejected };
    const cases: Array<[string, string, unknown, string?]> = [
      ['unknown_code', 'WS320803-H99999', reading(0.05, 1)],
      ['not_a_number', code, { mpa: 'low', at: new Date().toISOString() }],
      ['not_a_number', code, { pressure: 0.05 }],
      ['bad_payload', code, 'not json at all'],
      ['bad_payload', code, 'x'.repeat(2000)],
      ['negative', code, reading(-0.01, 1)],
      ['absurd', code, reading(2.5, 1)],
      ['absurd', code, '1e300'],
      ['bad_time', code, { mpa: 0.05, at: 'yesterday' }],
      ['bad_time', code, { mpa: 0.05, at: '2026-01-01T08:00:00' }],
      ['bad_time', code, { mpa: 0.05, at: new Date(Date.now() + 3_600_000).toISOString() }],
      ['bad_battery', code, { mpa: 0.05, battery: 70 }],
      ['not_pressurised', pool, reading(0.05, 1)],
      ['wrong_district', code, reading(0.05, 1), '320804'],
      ['bad_topic', 'bad%code', reading(0.05, 1)],
    ];
    for (const [reason, target, payload, district] of cases) {
      const outcome = await send(target, payload, district);
      expect(outcome, `${reason}: ${JSON.stringify(payload).slice(0, 80)}`).toMatchObject({
        kind: 'rejected',
        reason,
      });
    }
    expect(await snapshot()).toEqual(before);
    const counted: Record<string, number> = {};
    for (const [reason] of cases) counted[reason] = (counted[reason] ?? 0) + 1;
    for (const [reason, n] of Object.entries(counted))
      expect(sensors().stats.rejected[reason], reason).toBe((rejectedBefore[reason] ?? 0) + n);
    // and the subscriber still works
    expect(await send(code, reading(0.3, 1))).toMatchObject({ kind: 'recorded' });
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  it('answers 404 outside the caller’s area and for an unknown code', async () => {
    const village = await authHeader(app, 'village_officer');
    const outside = (
      await db.pool.query<{ code: string }>(
        `SELECT code FROM water_source
          WHERE village_code NOT LIKE (SELECT scope_code FROM app_user WHERE username = 'village_officer') || '%'
          ORDER BY code LIMIT 1`,
      )
    ).rows[0]!.code;
    const get = (code: string) =>
      app.inject({ method: 'GET', url: `/api/water-sources/${code}/pressure`, headers: village });
    expect((await get(outside)).statusCode).toBe(404);
    expect((await get('WS320803-H99999')).json()).toMatchObject({ statusCode: 404, field: 'params.code' });
    const county = await app.inject({
      method: 'GET',
      url: `/api/water-sources/${outside}/pressure`,
      headers: await authHeader(app, 'county_operator'),
    });
    expect(county.statusCode).toBe(200);
    expect(county.json()).toMatchObject({ code: outside, reading: null });
  });
});

describe.each(BACKENDS)('smart hydrant subscriber with the broker down at start on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('builds and serves without the broker, then subscribes by itself once the broker is there', async () => {
    const url = new URL(BROKER);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 1883) });
    try {
      await proxy.cut('refuse');
      const prefix = `gwtest-${process.pid}-${randomBytes(4).toString('hex')}`;
      const t0 = Date.now();
      app = await buildTestApp(db, { MQTT_URL: `mqtt://127.0.0.1:${proxy.port}`, MQTT_TOPIC_PREFIX: prefix });
      await app.ready();
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(app.hydrantSensors!.stats.connected).toBe(false);

      await proxy.restore();
      await app.hydrantSensors!.subscribed();
      expect(app.hydrantSensors!.stats.connected).toBe(true);
      const code = (
        await db.pool.query<{ code: string }>(
          `SELECT code FROM water_source WHERE kind = 'hydrant' AND status = 'in_service' ORDER BY code LIMIT 1`,
        )
      ).rows[0]!.code;
      const handled = new Promise((resolve) => app!.hydrantSensors!.onOutcome(resolve));
      const publisher = await mqtt.connectAsync(BROKER);
      await publisher.publishAsync(`${prefix}/${DISTRICT}/hydrants/${code}/pressure`, '0.07', { qos: 1 });
      await publisher.endAsync();
      expect(await handled).toMatchObject({ kind: 'recorded', change: { to: 'out_of_service' } });

      // closing with the broker gone again does not hang
      await proxy.cut('refuse');
      const closing = Date.now();
      await app.close();
      app = undefined;
      expect(Date.now() - closing).toBeLessThan(10_000);
    } finally {
      await proxy.close();
    }
  });
});
