/**
 * Dispatch records on both backends: confirming a dispatch turns the forces busy with their routes,
 * audited and streamed; a force that is not free is a 409 naming it and nothing is written; two
 * dispatchers racing for one force: exactly one wins; closing frees the forces once.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchNearest, DispatchRecord } from '../../../../shared/src/schemas/dispatch.ts';
import type { LiveSnapshot } from '../../../../shared/src/schemas/live.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

type Who = { authorization: string };

describe.each(BACKENDS)('dispatch records on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let dispatcher: Who;
  let county: Who;
  /** points on roads of the county, far enough apart that their nearest forces differ */
  let spots: { lon: number; lat: number }[];

  const post = (body: object, who = dispatcher) =>
    app.inject({ method: 'POST', url: '/api/dispatches', headers: who, payload: body });
  const close = (id: number, body: object | undefined = { reason: '处置完毕' }, who = dispatcher) =>
    app.inject({ method: 'POST', url: `/api/dispatches/${id}/close`, headers: who, payload: body });
  const nearest = async (spot: { lon: number; lat: number }, limit = 3) => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/dispatch/nearest?lon=${spot.lon}&lat=${spot.lat}&limit=${limit}`,
      headers: dispatcher,
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as DispatchNearest).stations;
  };
  const statusOf = async (codes: string[]) =>
    Object.fromEntries(
      (
        await db.pool.query<{ code: string; status: string }>(
          'SELECT code, status FROM fire_station WHERE code = ANY ($1)',
          [codes],
        )
      ).rows.map((r) => [r.code, r.status]),
    );
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  const eventsAfter = async (seq: number) =>
    (
      await db.pool.query<{ seq: string; type: string; subject: string; data: Record<string, unknown> }>(
        'SELECT seq, type, subject, data FROM event_log WHERE seq > $1 ORDER BY seq',
        [seq],
      )
    ).rows;
  const head = async () => Number((await db.pool.query('SELECT seq FROM event_seq')).rows[0].seq);

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000, FORCES_CACHE_MS: 0 });
    dispatcher = await authHeader(app, 'dispatcher');
    county = await authHeader(app, 'county_operator');
    // midpoints of arterial roads spread over the county
    spots = (
      await db.pool.query<{ lon: number; lat: number }>(
        `SELECT DISTINCT ON (band) ST_X(p) AS lon, ST_Y(p) AS lat FROM (
           SELECT id, ST_LineInterpolatePoint(geom, 0.5) AS p, ntile(4) OVER (ORDER BY ST_X(ST_StartPoint(geom))) AS band
             FROM road WHERE class = 'arterial') r
          ORDER BY band, id`,
      )
    ).rows;
    expect(spots.length).toBe(4);
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('sends the chosen forces: they turn busy, the routes are kept, the change is audited and streamed', async () => {
    const forces = await nearest(spots[0]!);
    const codes = forces.map((f) => f.id);
    const seq = await head();
    const audits = await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'dispatch.create'`);
    const res = await post({ ...spots[0], stations: codes, note: '仓库起火' });
    expect(res.statusCode, res.body).toBe(201);
    const record = res.json() as DispatchRecord;
    expect(record).toMatchObject({
      status: 'open',
      createdBy: 'dispatcher',
      note: '仓库起火',
      closedAt: null,
    });
    expect(record.forces.map((f) => f.id)).toEqual(codes);
    expect(record.forces.map((f) => f.order)).toEqual([0, 1, 2]);
    // the same road times as the nearest answer the dispatcher confirmed
    record.forces.forEach((f, i) => {
      expect(f.travelTimeS).toBeCloseTo(forces[i]!.travelTimeS, 0);
      expect(f.route.type).toBe('LineString');
      expect(f.route.coordinates.length).toBeGreaterThanOrEqual(2);
      expect(f.releasedAt).toBeNull();
    });
    expect(await statusOf(codes)).toEqual(Object.fromEntries(codes.map((c) => [c, 'busy'])));
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'dispatch.create'`)).toBe(
      audits + 1,
    );
    const events = await eventsAfter(seq);
    expect(events.map((e) => e.type)).toEqual([
      'station.status_changed',
      'station.status_changed',
      'station.status_changed',
      'dispatch.created',
    ]);
    expect(events.slice(0, 3).map((e) => e.data.to)).toEqual(['busy', 'busy', 'busy']);
    const created = events.at(-1)!.data as unknown as DispatchRecord;
    expect(created.id).toBe(record.id);
    expect(created.forces[0]!.route.coordinates).toEqual(record.forces[0]!.route.coordinates);

    // the live snapshot carries the open dispatch, consistent with its seq
    const snap = await app.inject({ method: 'GET', url: '/api/live/snapshot', headers: dispatcher });
    const snapshot = snap.json() as LiveSnapshot;
    const open = snapshot.parts.dispatches as DispatchRecord[];
    expect(open.map((d) => d.id)).toContain(record.id);
    expect(snapshot.seq).toBeGreaterThanOrEqual(Number(events.at(-1)!.seq));

    const list = await app.inject({ method: 'GET', url: '/api/dispatches', headers: county });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { dispatches: DispatchRecord[] }).dispatches.map((d) => d.id)).toContain(
      record.id,
    );
  });

  it('refuses a force that is not free with a 409 naming it, and writes nothing', async () => {
    const [busy] = (
      await db.pool.query<{ station_code: string }>(
        'SELECT station_code FROM dispatch_force WHERE released_at IS NULL LIMIT 1',
      )
    ).rows;
    const free = (await nearest(spots[1]!, 1))[0]!.id;
    const dispatches = await count('SELECT count(*) AS n FROM dispatch');
    const seq = await head();
    const res = await post({ ...spots[1], stations: [free, busy!.station_code] });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ field: 'body.stations.1' });
    expect(await statusOf([free])).toEqual({ [free]: 'available' });
    expect(await count('SELECT count(*) AS n FROM dispatch')).toBe(dispatches);
    expect(await head()).toBe(seq);

    // out of service (set by hand) is refused the same way
    await db.pool.query(`UPDATE fire_station SET status = 'out_of_service' WHERE code = $1`, [free]);
    const out = await post({ ...spots[1], stations: [free] });
    expect(out.statusCode).toBe(409);
    expect(out.json()).toMatchObject({ field: 'body.stations.0' });
    await db.pool.query(`UPDATE fire_station SET status = 'available' WHERE code = $1`, [free]);
  });

  it('names the field of a listed-twice, unknown or unreachable force, a missing hazard, and refuses other roles', async () => {
    const code = (await nearest(spots[2]!, 1))[0]!.id;
    const twice = await post({ ...spots[2], stations: [code, code] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({ field: 'body.stations.1' });
    const unknown = await post({ ...spots[2], stations: ['NO-SUCH-STATION'] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ field: 'body.stations.0' });
    const hazard = await post({ ...spots[2], stations: [code], hazardId: 999_999_999 });
    expect(hazard.statusCode).toBe(404);
    expect(hazard.json()).toMatchObject({ field: 'body.hazardId' });
    const empty = await post({ ...spots[2], stations: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().field).toMatch(/^body\.stations/);
    const town = await authHeader(app, 'town_operator');
    expect((await post({ ...spots[2], stations: [code] }, town)).statusCode).toBe(403);
    expect(await statusOf([code])).toEqual({ [code]: 'available' });
  });

  it('lets exactly one of two dispatchers racing for the same force win', async () => {
    const code = (await nearest(spots[3]!, 1))[0]!.id;
    const before = await count('SELECT count(*) AS n FROM dispatch');
    const answers = await Promise.all([
      post({ ...spots[3], stations: [code] }, dispatcher),
      post({ ...spots[3], stations: [code] }, county),
      post({ ...spots[3], stations: [code] }, dispatcher),
    ]);
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses, answers.map((a) => a.body).join('\n')).toEqual([201, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409))
      expect(a.json()).toMatchObject({ field: 'body.stations.0' });
    expect(await count('SELECT count(*) AS n FROM dispatch')).toBe(before + 1);
    expect(
      await count(
        'SELECT count(*) AS n FROM dispatch_force WHERE station_code = $1 AND released_at IS NULL',
        [code],
      ),
    ).toBe(1);
  });

  it('closes a dispatch once: its busy forces return, one taken out of service meanwhile stays out', async () => {
    const open = (await (
      await app.inject({ method: 'GET', url: '/api/dispatches', headers: dispatcher })
    ).json()) as {
      dispatches: DispatchRecord[];
    };
    const record = open.dispatches.find((d) => d.forces.length === 3)!;
    const codes = record.forces.map((f) => f.id);
    await db.pool.query(`UPDATE fire_station SET status = 'out_of_service' WHERE code = $1`, [codes[2]]);
    const seq = await head();
    const res = await close(record.id);
    expect(res.statusCode, res.body).toBe(200);
    const closed = res.json() as DispatchRecord;
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'dispatcher', closeReason: '处置完毕' });
    expect(closed.closedAt).not.toBeNull();
    expect(closed.forces.every((f) => f.releasedAt !== null)).toBe(true);
    expect(await statusOf(codes)).toEqual({
      [codes[0]!]: 'available',
      [codes[1]!]: 'available',
      [codes[2]!]: 'out_of_service',
    });
    const events = await eventsAfter(seq);
    expect(events.map((e) => e.type)).toEqual([
      'station.status_changed',
      'station.status_changed',
      'dispatch.closed',
    ]);
    expect(
      await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'dispatch.close' AND target = $1`, [
        `dispatch:${record.id}`,
      ]),
    ).toBe(1);

    const again = await close(record.id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ field: 'params.id' });
    expect(await head()).toBe(Number(events.at(-1)!.seq));
    const missing = await close(999_999);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ field: 'params.id' });

    // the freed forces can be sent again, and a close needs no body
    const again2 = await post({ ...spots[0], stations: [codes[0]!] });
    expect(again2.statusCode, again2.body).toBe(201);
    const bare = await app.inject({
      method: 'POST',
      url: `/api/dispatches/${(again2.json() as DispatchRecord).id}/close`,
      headers: dispatcher,
    });
    expect(bare.statusCode, bare.body).toBe(200);
    await db.pool.query(`UPDATE fire_station SET status = 'available' WHERE code = $1`, [codes[2]]);
  });
});
