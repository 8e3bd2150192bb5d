import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClientToServerEvents,
  LiveEvent,
  LiveSnapshot,
  PatrolLive,
  ServerToClientEvents,
} from '../../../../shared/src/schemas/live.ts';
import type {
  PatrolCompliance,
  PatrolList,
  PatrolSessionView,
  PositionAnswer,
} from '../../../../shared/src/schemas/patrol.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { TEST_PASSWORD } from '../../../../test/support/paths.ts';
import { createEventWriter } from '../events/with-events.ts';
import { createPatrolService } from './service.ts';

type Point = { lon: number; lat: number };
const IDLE_GAP_S = 600;
const MINUTE = 60_000;

/** Great-circle distance (mean earth radius), the test's own oracle for the server's spheroidal figure. */
function haversineM(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

const qs = (q: Record<string, string | number>) =>
  Object.entries(q)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

describe.each(BACKENDS)('patrol GPS on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  let as: Record<string, { authorization: string }>;
  /** three points inside a unit grid of the grid member's village, and two in a unit grid of another village */
  let home: { grid: string; village: string; inside: Point[] };
  let away: { village: string; outside: Point[] };
  let trackers = 0;
  const sockets: Socket[] = [];

  /** A device with a tracker id for `username`, registered by the administrator. */
  async function register(
    username = 'grid_member',
  ): Promise<{ id: number; token: string; trackerId: string }> {
    const userId = (
      await db.pool.query<{ id: number }>('SELECT id::int FROM app_user WHERE username = $1', [username])
    ).rows[0]!.id;
    const trackerId = `${backend}-${++trackers}-${Date.now() % 100_000}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/devices',
      headers: as.admin,
      payload: { name: `handheld ${trackerId}`, userId, trackerId },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { device: { id: number; trackerId: string }; token: string };
    expect(body.device.trackerId).toBe(trackerId);
    return { id: body.device.id, token: body.token, trackerId };
  }

  const osmand = (q: Record<string, string | number>) =>
    app.inject({ method: 'GET', url: `/osmand?${qs(q)}` });
  const positions = (token: string, fixes: unknown[]) =>
    app.inject({
      method: 'POST',
      url: '/api/positions',
      headers: { authorization: `Bearer ${token}` },
      payload: { positions: fixes },
    });
  const fixAt = (base: number, minutes: number) => new Date(base + minutes * MINUTE).toISOString();

  const storedFixes = async (deviceId: number) =>
    (
      await db.pool.query<{
        fix_at: Date;
        lon: number;
        lat: number;
        speed_kmh: number | null;
        bearing: number | null;
        altitude_m: number | null;
        accuracy_m: number | null;
        hdop: number | null;
        battery_pct: number | null;
        in_order: boolean;
      }>(
        `SELECT fix_at, ST_X(geom) AS lon, ST_Y(geom) AS lat, speed_kmh, bearing, altitude_m, accuracy_m, hdop,
                battery_pct, in_order
           FROM patrol_position WHERE device_id = $1 ORDER BY fix_at`,
        [deviceId],
      )
    ).rows;

  const sessionOf = async (id: number): Promise<PatrolSessionView> => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/patrols?state=all&limit=500',
      headers: as.admin,
    });
    const found = (res.json() as PatrolList).items.find((s) => s.sessionId === id);
    if (!found) throw new Error(`session ${id} not listed`);
    return found;
  };

  const eventsOf = async (sessionId: number) =>
    (
      await db.pool.query<{ seq: string; type: string; area_code: string; grid_code: string | null }>(
        `SELECT seq::text, type, area_code, grid_code FROM event_log WHERE subject = $1 ORDER BY seq`,
        [`patrol:${sessionId}`],
      )
    ).rows;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, {
      RATE_LIMIT_PER_MIN: 100_000,
      PATROL_IDLE_GAP_S: IDLE_GAP_S,
      LIVE_BATCH_MS: 20,
      LIVE_POLL_MS: 200,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    as = {};
    for (const role of ['admin', 'grid_member', 'village_officer', 'county_operator'])
      as[role] = await authHeader(app, role);

    const grid = await db.pool.query<{
      grid: string;
      village: string;
      pts: { coordinates: [number, number][] };
    }>(
      `SELECT code AS grid, admin_code AS village, ST_AsGeoJSON(ST_GeneratePoints(geom, 3, 7))::json AS pts
         FROM grid WHERE level = 'unit'
          AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'grid_member')
        ORDER BY code LIMIT 1`,
    );
    const g = grid.rows[0]!;
    home = {
      grid: g.grid,
      village: g.village,
      inside: g.pts.coordinates.map(([lon, lat]) => ({ lon, lat })),
    };
    const other = await db.pool.query<{ village: string; pts: { coordinates: [number, number][] } }>(
      `SELECT admin_code AS village, ST_AsGeoJSON(ST_GeneratePoints(geom, 2, 7))::json AS pts
         FROM grid WHERE level = 'unit' AND admin_code <> $1 AND admin_code LIKE left($1, 9) || '%'
        ORDER BY code LIMIT 1`,
      [home.village],
    );
    away = {
      village: other.rows[0]!.village,
      outside: other.rows[0]!.pts.coordinates.map(([lon, lat]) => ({ lon, lat })),
    };
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: as.admin,
      payload: {
        username: 'other.officer',
        displayName: 'other officer',
        role: 'village_officer',
        scope: away.village,
        password: TEST_PASSWORD,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    as['other.officer'] = await authHeader(app, 'other.officer');
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await app?.close();
    await db?.destroy();
  });

  describe('devices', () => {
    it('registers a tracker id (administrators only, once among live devices) and lists it', async () => {
      const device = await register();
      const again = await app.inject({
        method: 'POST',
        url: '/api/devices',
        headers: as.admin,
        payload: { name: 'second phone', trackerId: device.trackerId },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ field: 'body.trackerId' });
      const notAdmin = await app.inject({
        method: 'POST',
        url: '/api/devices',
        headers: as.village_officer,
        payload: { name: 'my phone', trackerId: 'mine-1' },
      });
      expect(notAdmin.statusCode).toBe(403);
      expect(notAdmin.json()).toMatchObject({ field: 'body.trackerId' });
      const list = await app.inject({ method: 'GET', url: '/api/devices', headers: as.admin });
      expect((list.json() as { trackerId: string | null }[]).map((d) => d.trackerId)).toContain(
        device.trackerId,
      );
    });

    it('refuses a revoked device on /osmand (naming id) and its token on /api/positions', async () => {
      const device = await register();
      const now = Math.floor(Date.now() / 1000);
      const p = home.inside[0]!;
      expect(
        (await osmand({ id: device.trackerId, lat: p.lat, lon: p.lon, timestamp: now })).statusCode,
      ).toBe(200);
      const revoked = await app.inject({
        method: 'DELETE',
        url: `/api/devices/${device.id}`,
        headers: as.admin,
      });
      expect(revoked.statusCode).toBe(200);
      const refused = await osmand({ id: device.trackerId, lat: p.lat, lon: p.lon, timestamp: now + 1 });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ field: 'query.id', message: expect.stringMatching(/revoked/) });
      const unknown = await osmand({ id: 'never-registered', lat: p.lat, lon: p.lon });
      expect(unknown.statusCode).toBe(403);
      expect(unknown.json()).toMatchObject({ field: 'query.id' });
      const batch = await positions(device.token, [
        { lon: p.lon, lat: p.lat, fixAt: new Date().toISOString() },
      ]);
      expect(batch.statusCode).toBe(401);
      // the id can be registered again for a new phone
      const reused = await app.inject({
        method: 'POST',
        url: '/api/devices',
        headers: as.admin,
        payload: { name: 'new phone', trackerId: device.trackerId },
      });
      expect(reused.statusCode, reused.body).toBe(201);
    });
  });

  describe('OsmAnd protocol shapes', () => {
    const p = () => home.inside[1]!;
    const base = () => Date.now() - 30 * MINUTE;

    it('GET with every documented parameter (speed in knots, timestamp in epoch seconds)', async () => {
      const d = await register();
      const t = Math.floor(base() / 1000);
      const res = await osmand({
        id: d.trackerId,
        lat: p().lat,
        lon: p().lon,
        timestamp: t,
        speed: 2.5,
        bearing: 123.4,
        altitude: 15.5,
        accuracy: 6,
        batt: 88,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ accepted: 1, duplicates: 0, outOfOrder: 0, stale: 0 });
      const [row] = await storedFixes(d.id);
      expect(row!.fix_at.getTime()).toBe(t * 1000);
      expect(row!.lon).toBeCloseTo(p().lon, 9);
      expect(row!.lat).toBeCloseTo(p().lat, 9);
      expect(row!.speed_kmh).toBeCloseTo(2.5 * 1.852, 4);
      expect(row).toMatchObject({ altitude_m: 15.5, accuracy_m: 6, battery_pct: 88, in_order: true });
      expect(row!.bearing).toBeCloseTo(123.4, 3);
    });

    it('stores nothing on HEAD (a link checker is not a tracker)', async () => {
      const d = await register();
      const res = await app.inject({
        method: 'HEAD',
        url: `/osmand?${qs({ id: d.trackerId, lat: p().lat, lon: p().lon })}`,
      });
      expect(res.statusCode).toBe(404);
      expect(await storedFixes(d.id)).toEqual([]);
    });

    it('timestamps as epoch seconds, epoch milliseconds, ISO 8601 and "yyyy-MM-dd HH:mm:ss"', async () => {
      const d = await register();
      const t0 = Math.floor(base() / 1000) * 1000;
      const stamps = [
        String(t0 / 1000),
        String(t0 + 60_000),
        new Date(t0 + 120_000).toISOString(),
        new Date(t0 + 180_000).toISOString().replace('T', ' ').slice(0, 19),
      ];
      for (const timestamp of stamps) {
        const res = await osmand({ id: d.trackerId, lat: p().lat, lon: p().lon, timestamp });
        expect(res.statusCode, res.body).toBe(200);
      }
      expect((await storedFixes(d.id)).map((r) => r.fix_at.getTime())).toEqual([
        t0,
        t0 + 60_000,
        t0 + 120_000,
        t0 + 180_000,
      ]);
    });

    it('deviceid for id, location=lat,lon, heading for bearing, hdop', async () => {
      const d = await register();
      const res = await osmand({
        deviceid: d.trackerId,
        location: `${p().lat},${p().lon}`,
        heading: 270,
        hdop: 1.5,
        timestamp: Math.floor(base() / 1000),
      });
      expect(res.statusCode, res.body).toBe(200);
      const [row] = await storedFixes(d.id);
      expect(row).toMatchObject({ bearing: 270, hdop: 1.5 });
      expect(row!.lat).toBeCloseTo(p().lat, 9);
    });

    it('POST form, POST with the parameters in the URL (Traccar Client), and Traccar Client JSON', async () => {
      const d = await register();
      const t = Math.floor(base() / 1000);
      const form = await app.inject({
        method: 'POST',
        url: '/osmand',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: qs({ id: d.trackerId, lat: p().lat, lon: p().lon, timestamp: t, batt: 50 }),
      });
      expect(form.statusCode, form.body).toBe(200);
      const inUrl = await app.inject({
        method: 'POST',
        url: `/osmand?${qs({ id: d.trackerId, lat: p().lat, lon: p().lon, timestamp: t + 10 })}`,
      });
      expect(inUrl.statusCode, inUrl.body).toBe(200);
      const json = await app.inject({
        method: 'POST',
        url: '/osmand',
        payload: {
          device_id: d.trackerId,
          location: {
            timestamp: new Date((t + 20) * 1000).toISOString(),
            coords: {
              latitude: p().lat,
              longitude: p().lon,
              speed: 1.5,
              heading: 45,
              altitude: 3,
              accuracy: 9,
            },
            is_moving: true,
            battery: { level: 0.42, is_charging: false },
          },
        },
      });
      expect(json.statusCode, json.body).toBe(200);
      const rows = await storedFixes(d.id);
      expect(rows.map((r) => r.fix_at.getTime())).toEqual([t * 1000, (t + 10) * 1000, (t + 20) * 1000]);
      expect(rows[0]!.battery_pct).toBe(50);
      expect(rows[2]).toMatchObject({ bearing: 45, altitude_m: 3, accuracy_m: 9, battery_pct: 42 });
      expect(rows[2]!.speed_kmh).toBeCloseTo(5.4, 4);
    });

    it.each([
      ['lat 91', { lat: 91 }, 'query.lat'],
      ['lon -200', { lon: -200 }, 'query.lon'],
      ['lat as text', { lat: 'north' }, 'query.lat'],
      ['a timestamp in the far future', { timestamp: 4_102_444_800 }, 'query.timestamp'],
      [
        'a timestamp ten minutes ahead',
        { timestamp: Math.floor(Date.now() / 1000) + 600 },
        'query.timestamp',
      ],
      ['a timestamp that is no time', { timestamp: 'soon' }, 'query.timestamp'],
      ['a bearing of 400', { bearing: 400 }, 'query.bearing'],
    ])('answers 400 naming the field for %s, storing nothing', async (_name, over, field) => {
      const d = await register();
      const res = await osmand({ id: d.trackerId, lat: p().lat, lon: p().lon, ...over });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, field });
      expect(await storedFixes(d.id)).toEqual([]);
    });
  });

  describe('sessions', () => {
    it('sorts a batch, ignores and counts duplicates, keeps late fixes out of the distance', async () => {
      const d = await register();
      const t = Date.now() - 40 * MINUTE;
      const [a, b, c] = home.inside as [Point, Point, Point];
      const first = await positions(d.token, [
        { ...c, fixAt: fixAt(t, 2), speedKmh: 4, bearing: 10 },
        { ...a, fixAt: fixAt(t, 0) },
        { ...b, fixAt: fixAt(t, 1) },
        { ...a, fixAt: fixAt(t, 0) },
      ]);
      expect(first.statusCode, first.body).toBe(200);
      const answer = first.json() as PositionAnswer;
      expect(answer).toMatchObject({ accepted: 3, duplicates: 1, outOfOrder: 0, stale: 0 });
      const expected = haversineM(a, b) + haversineM(b, c);
      let session = await sessionOf(answer.sessionId!);
      expect(session.distanceM).toBeGreaterThan(expected * 0.995);
      expect(session.distanceM).toBeLessThan(expected * 1.005);
      expect(session).toMatchObject({
        fixes: 3,
        durationS: 120,
        insideS: 120,
        grid: home.grid,
        area: home.village,
      });

      // the same batch again: all duplicates
      const again = await positions(d.token, [
        { ...a, fixAt: fixAt(t, 0) },
        { ...c, fixAt: fixAt(t, 2) },
      ]);
      expect(again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
      // a fix from between the stored ones arrives late: kept, not in the distance
      const late = await positions(d.token, [{ ...away.outside[0]!, fixAt: fixAt(t, 1.5) }]);
      expect(late.json()).toMatchObject({ accepted: 1, duplicates: 0, outOfOrder: 1 });
      // and one from before the device's first patrol has no session to go to
      const stale = await positions(d.token, [{ ...a, fixAt: fixAt(t, -5) }]);
      expect(stale.json()).toMatchObject({ accepted: 0, stale: 1 });
      session = await sessionOf(answer.sessionId!);
      expect(session.distanceM).toBeLessThan(expected * 1.005);
      expect(session).toMatchObject({ fixes: 3, exits: 0 });
      expect((await storedFixes(d.id)).map((r) => r.in_order)).toEqual([true, true, false, true]);
    });

    it('adds up distance and time inside its own grid, and raises left_grid once per exit', async () => {
      const d = await register();
      const t = Date.now() - 50 * MINUTE;
      const [a, b, c] = home.inside as [Point, Point, Point];
      const [x, y] = away.outside as [Point, Point];
      // in, in, in, out, out, in, out — a fix a minute
      const path = [a, b, c, x, y, a, x];
      const res = await positions(
        d.token,
        path.map((p, i) => ({ ...p, fixAt: fixAt(t, i) })),
      );
      expect(res.statusCode, res.body).toBe(200);
      const id = (res.json() as PositionAnswer).sessionId!;
      const session = await sessionOf(id);
      const expected = path.slice(1).reduce((sum, p, i) => sum + haversineM(path[i]!, p), 0);
      expect(session.distanceM).toBeGreaterThan(expected * 0.995);
      expect(session.distanceM).toBeLessThan(expected * 1.005);
      // intervals: in-in 60 + in-in 60 + in-out 30 + out-out 0 + out-in 30 + in-out 30
      expect(session).toMatchObject({ durationS: 360, insideS: 210, exits: 2, inOwnGrid: false });
      expect(session.leftGridAt).toBe(fixAt(t, 6));
      // one more fix outside: still the same exit
      await positions(d.token, [{ ...y, fixAt: fixAt(t, 7) }]);
      const events = await eventsOf(id);
      const count = (type: string) => events.filter((e) => e.type === type).length;
      // one position event per in-order fix, and one left_grid per exit (not per fix outside)
      expect([count('patrol.started'), count('patrol.position'), count('patrol.left_grid')]).toEqual([
        1, 8, 2,
      ]);
      expect(events.map((e) => e.type).slice(4, 7)).toEqual([
        'patrol.position',
        'patrol.left_grid',
        'patrol.position',
      ]);
      expect(events.every((e) => e.area_code === home.village && e.grid_code === home.grid)).toBe(true);
      expect((await sessionOf(id)).exits).toBe(2);
    });

    it("takes the member's assigned grid over the one under the first fix", async () => {
      await db.pool.query(`UPDATE app_user SET grid_code = $1 WHERE username = 'village_officer'`, [
        home.grid,
      ]);
      try {
        const d = await register('village_officer');
        const t = Date.now() - 20 * MINUTE;
        const res = await positions(d.token, [
          { ...away.outside[0]!, fixAt: fixAt(t, 0) },
          { ...home.inside[0]!, fixAt: fixAt(t, 1) },
        ]);
        const session = await sessionOf((res.json() as PositionAnswer).sessionId!);
        expect(session).toMatchObject({ grid: home.grid, area: home.village, insideS: 30, exits: 0 });
      } finally {
        await db.pool.query(`UPDATE app_user SET grid_code = NULL WHERE username = 'village_officer'`);
      }
    });

    it('starts a new session after the idle gap, and the sweep ends quiet ones', async () => {
      const d = await register();
      const t = Date.now() - 120 * MINUTE;
      const [a, b] = home.inside as [Point, Point];
      const res = await positions(d.token, [
        { ...a, fixAt: fixAt(t, 0) },
        { ...b, fixAt: fixAt(t, 5) },
        { ...a, fixAt: fixAt(t, 5 + IDLE_GAP_S / 60 + 1) },
      ]);
      const second = (res.json() as PositionAnswer).sessionId!;
      const { rows } = await db.pool.query<{ id: number; end_reason: string | null; ended_at: Date | null }>(
        'SELECT id::int, end_reason, ended_at FROM patrol_session WHERE device_id = $1 ORDER BY id',
        [d.id],
      );
      expect(rows.map((r) => r.end_reason)).toEqual(['idle', null]);
      expect(rows[0]!.ended_at?.toISOString()).toBe(fixAt(t, 5));
      expect(rows[1]!.id).toBe(second);
      expect((await eventsOf(rows[0]!.id)).map((e) => e.type)).toContain('patrol.ended');

      const patrols = createPatrolService(db.pool, createEventWriter(db.pool), { idleGapS: IDLE_GAP_S });
      expect(await patrols.endIdle(new Date())).toBeGreaterThanOrEqual(1);
      expect((await sessionOf(second)).endReason).toBe('idle');
    });

    it('ends a patrol on request: the member their own, officers in their area; audited; once', async () => {
      const d = await register();
      const p = home.inside[0]!;
      const res = await positions(d.token, [{ ...p, fixAt: new Date(Date.now() - MINUTE).toISOString() }]);
      const id = (res.json() as PositionAnswer).sessionId!;
      const end = (headers: Record<string, string>) =>
        app.inject({ method: 'POST', url: `/api/patrols/${id}/end`, headers });
      const outside = await end(as['other.officer']!);
      expect(outside.statusCode).toBe(404);
      expect(outside.json()).toMatchObject({ field: 'params.id' });
      const ended = await end(as.grid_member!);
      expect(ended.statusCode, ended.body).toBe(200);
      expect(ended.json()).toMatchObject({ sessionId: id, endReason: 'ended' });
      const twice = await end(as.village_officer!);
      expect(twice.statusCode).toBe(409);
      const audits = await db.pool.query(
        `SELECT 1 FROM audit_log WHERE action = 'patrol.end' AND target = $1`,
        [`patrol:${id}`],
      );
      expect(audits.rowCount).toBe(1);
      // the next fix starts a new session
      const next = await positions(d.token, [{ ...p, fixAt: new Date().toISOString() }]);
      expect((next.json() as PositionAnswer).sessionId).not.toBe(id);
    });

    it('lists sessions in scope only', async () => {
      const d = await register();
      const res = await positions(d.token, [{ ...home.inside[0]!, fixAt: new Date().toISOString() }]);
      const id = (res.json() as PositionAnswer).sessionId!;
      const list = async (who: string, state = 'active') =>
        (
          (
            await app.inject({ method: 'GET', url: `/api/patrols?state=${state}`, headers: as[who] })
          ).json() as PatrolList
        ).items.map((s) => s.sessionId);
      expect(await list('village_officer')).toContain(id);
      expect(await list('county_operator')).toContain(id);
      expect(await list('other.officer')).not.toContain(id);
      expect(await list('village_officer', 'ended')).not.toContain(id);
    });

    it('keeps the simulator contract: devices with trackerId and batches of { lon, lat, fixAt, speedKmh, bearing }', async () => {
      const d = await register();
      const now = Date.now();
      const res = await positions(
        d.token,
        [0, 1, 2].map((i) => ({
          lon: Number(home.inside[i]!.lon.toFixed(7)),
          lat: Number(home.inside[i]!.lat.toFixed(7)),
          fixAt: new Date(now - (3 - i) * 10_000).toISOString(),
          speedKmh: 4.3,
          bearing: 359,
        })),
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ accepted: 3 });
    });

    it('refuses a bad fix in a batch naming it, and stores none of the batch', async () => {
      const d = await register();
      const now = Date.now();
      const p = home.inside[0]!;
      const res = await positions(d.token, [
        { ...p, fixAt: new Date(now - 2000).toISOString() },
        { ...p, fixAt: new Date(now + 3_600_000).toISOString() },
      ]);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ field: 'body.positions.1.fixAt' });
      const lat = await positions(d.token, [{ lon: p.lon, lat: 91, fixAt: new Date(now).toISOString() }]);
      expect(lat.statusCode).toBe(400);
      expect(lat.json()).toMatchObject({ field: expect.stringMatching(/^body\.positions\.0\.lat/) });
      expect(await storedFixes(d.id)).toEqual([]);
    });
  });

  describe('live', () => {
    it('sends patrol events with seq to a Socket.IO client, and the snapshot holds active patrols with a trail', async () => {
      const token = as.village_officer!.authorization.slice('Bearer '.length);
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, {
        auth: { token, topics: ['patrol'] },
        transports: ['websocket'],
        reconnection: false,
      });
      sockets.push(socket);
      const received: LiveEvent[] = [];
      socket.on('events', (batch) => received.push(...batch));
      await new Promise((resolve, reject) => {
        socket.once('subscribed', resolve);
        socket.once('connect_error', reject);
      });
      const d = await register();
      const t = Date.now() - 30 * MINUTE;
      const path = [...home.inside, ...away.outside];
      const res = await positions(
        d.token,
        path.map((p, i) => ({ ...p, fixAt: fixAt(t, i) })),
      );
      const id = (res.json() as PositionAnswer).sessionId!;
      const end = Date.now() + 10_000;
      const mine = () => received.filter((e) => e.subject === `patrol:${id}`);
      while (mine().length < 7 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(mine().map((e) => e.type)).toEqual([
        'patrol.started',
        ...['patrol.position', 'patrol.position', 'patrol.position', 'patrol.position'],
        'patrol.left_grid',
        'patrol.position',
      ]);
      const seqs = mine().map((e) => e.seq);
      expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
      expect(mine()[0]).toMatchObject({ topic: 'patrol', area: home.village, grid: home.grid });
      expect(mine()[6]!.data).toMatchObject({ sessionId: id, inOwnGrid: false, fixAt: fixAt(t, 4) });
      expect(mine()[1]!.data).toMatchObject({ sessionId: id, inOwnGrid: true, fixAt: fixAt(t, 0) });

      const snap = await app.inject({
        method: 'GET',
        url: `/api/live/snapshot?area=${home.village}`,
        headers: as.village_officer,
      });
      expect(snap.statusCode, snap.body).toBe(200);
      const patrols = (snap.json() as LiveSnapshot).parts.patrols as PatrolLive[];
      const live = patrols.find((p) => p.sessionId === id)!;
      expect(live.trail.map((p) => p.fixAt)).toEqual(path.map((_, i) => fixAt(t, i)));
      expect(live).toMatchObject({ grid: home.grid, insideS: 150 });
      const elsewhere = await app.inject({
        method: 'GET',
        url: `/api/live/snapshot?area=${away.village}`,
        headers: as.county_operator,
      });
      expect((elsewhere.json() as LiveSnapshot).parts.patrols as PatrolLive[]).not.toContainEqual(
        expect.objectContaining({ sessionId: id }),
      );
    });
  });

  describe('compliance', () => {
    it('judges each unit grid of a month: every week patrolled (5 min inside) and two reports', async () => {
      const d = await register('grid_member');
      const member = (
        await db.pool.query<{ id: number }>(`SELECT id::int FROM app_user WHERE username = 'grid_member'`)
      ).rows[0]!.id;
      const at = home.inside[0]!;
      /** a finished session of the home grid that started at `start` (Beijing) and spent insideS inside */
      const patrol = (start: string, insideS: number) =>
        db.pool.query(
          `INSERT INTO patrol_session (user_id, device_id, grid_code, area_code, started_at, last_fix_at,
                                       last_geom, last_inside, inside_s, ended_at, end_reason)
           VALUES ($1, $2, $3, $4, $5::timestamptz, $5::timestamptz + make_interval(secs => $6),
                   ST_SetSRID(ST_MakePoint($7, $8), 4326), true, $6,
                   $5::timestamptz + make_interval(secs => $6), 'ended')`,
          [member, d.id, home.grid, home.village, start, insideS, at.lon, at.lat],
        );
      const report = (when: string) =>
        db.pool.query(
          `INSERT INTO hazard (category, description, geom, location_crs, village_code, grid_code, reporter_id,
                               reported_at)
           VALUES ('fire_safety', '楼道堆放杂物', ST_SetSRID(ST_MakePoint($1, $2), 4326), 'wgs84', $3, $4, $5, $6)`,
          [at.lon, at.lat, home.village, home.grid, member, when],
        );
      // February 2024 (Beijing): Thursday 1 Feb, so its weeks start Mon 29 Jan, 5, 12, 19 and 26 Feb
      await patrol('2024-01-30T10:00:00+08:00', 600);
      await patrol('2024-02-06T10:00:00+08:00', 120); // too short: week 2 is not patrolled
      await patrol('2024-02-13T10:00:00+08:00', 400);
      await patrol('2024-02-25T23:59:00+08:00', 300); // Sunday night: still the week of 19 Feb
      await report('2024-02-01T00:10:00+08:00'); // 31 Jan in UTC, February in Beijing
      await report('2024-02-29T23:30:00+08:00');
      await report('2024-03-01T00:30:00+08:00'); // March
      const read = async (level: string) => {
        const res = await app.inject({
          method: 'GET',
          url: `/api/patrols/compliance?month=2024-02&level=${level}`,
          headers: as.village_officer,
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as PatrolCompliance;
      };
      const units = await read('unit');
      expect(units).toMatchObject({
        month: '2024-02',
        from: '2024-01-31T16:00:00.000Z',
        to: '2024-02-29T16:00:00.000Z',
        weeks: ['2024-01-29', '2024-02-05', '2024-02-12', '2024-02-19', '2024-02-26'],
        monthOver: true,
        rule: { reportsPerMonth: 2, minInsideS: 300 },
      });
      const mine = units.rows.find((r) => r.code === home.grid)!;
      expect(mine.weeks!.map((w) => w.patrolled)).toEqual([true, false, true, true, false]);
      expect(mine.weeks!.every((w) => w.due)).toBe(true);
      expect(mine).toMatchObject({
        reports: 2,
        patrolOk: 0,
        reportsOk: 1,
        compliant: 0,
        village: expect.any(String),
      });
      // the village officer sees the unit grids of their village only, all of them
      const { rows: expected } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM grid WHERE level = 'unit' AND admin_code = $1`,
        [home.village],
      );
      expect(units.rows).toHaveLength(expected[0]!.n);
      expect(units.total.units).toBe(expected[0]!.n);

      // the missing weeks patrolled: the grid complies, and its village's sum moves by one
      const before = (await read('village')).rows.find((r) => r.code === mine.village)!;
      await patrol('2024-02-08T09:00:00+08:00', 300);
      await patrol('2024-03-03T20:00:00+08:00', 900); // Sunday 3 Mar: the week of 26 Feb
      const after = await read('village');
      const village = after.rows.find((r) => r.code === mine.village)!;
      expect(village.compliant).toBe(before.compliant + 1);
      expect(village.patrolOk).toBe(before.patrolOk + 1);
      expect(village.units).toBe(expected[0]!.n);
      expect(village.compliantPct).toBeCloseTo((100 * village.compliant) / village.units, 1);
      expect((await read('unit')).rows.find((r) => r.code === home.grid)).toMatchObject({ compliant: 1 });
      const towns = await read('town');
      expect(towns.rows).toHaveLength(1);
      expect(towns.total).toEqual(after.total);
    });

    it('judges only the weeks that are over in the current month, and refuses a bad month', async () => {
      const now = await app.inject({
        method: 'GET',
        url: '/api/patrols/compliance',
        headers: as.county_operator,
      });
      expect(now.statusCode, now.body).toBe(200);
      const body = now.json() as PatrolCompliance;
      expect(body.monthOver).toBe(false);
      const row = body.rows[0]!;
      const ended = body.weeks.map((w) => Date.parse(`${w}T00:00:00+08:00`) + 7 * 86_400_000 <= Date.now());
      expect(row.weeks!.map((w) => w.due)).toEqual(ended);
      for (const month of ['2024-13', '24-02', '2024-2']) {
        const bad = await app.inject({
          method: 'GET',
          url: `/api/patrols/compliance?month=${month}`,
          headers: as.county_operator,
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toMatchObject({ field: 'query.month' });
      }
    });
  });
});
