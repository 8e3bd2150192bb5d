import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RollcallDay, RollcallMonth } from '../../../../shared/src/schemas/rollcall.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { beijingDay } from '../../../../shared/src/beijing-time.ts';

const DAY_MS = 86_400_000;
const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

describe.each(BACKENDS)('video roll-call on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let centre: { authorization: string };
  const today = beijingDay(new Date());

  const day = async (date: string, who = centre) => {
    const res = await app.inject({ url: `/api/rollcall?date=${date}`, headers: who });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<RollcallDay>();
  };
  const record = (body: Record<string, unknown>, who = centre) =>
    app.inject({ method: 'POST', url: '/api/rollcall/results', headers: who, payload: body });

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { STREAM_ORIGINS: 'http://10.20.0.5:8080, https://video.example.cn' });
    centre = await authHeader(app, 'county_operator');
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('draws a third of the skid-mounted stations a day, each once in its three-day cycle', async () => {
    const { rows } = await db.pool.query<{ code: string }>(
      `SELECT code FROM fire_station WHERE tier = 'joint_station' ORDER BY code`,
    );
    const first = await day(today);
    expect(first.stations).toBe(rows.length);
    const cycle = await Promise.all([0, 1, 2].map((k) => day(shift(first.cycleStart, k))));
    expect(cycle.map((d) => d.cycleDay)).toEqual([1, 2, 3]);
    expect(cycle.flatMap((d) => d.drawn.map((s) => s.code)).sort()).toEqual(rows.map((r) => r.code));
    for (const d of cycle) expect(Math.abs(d.drawn.length - rows.length / 3)).toBeLessThan(1);
    // the same date, the same draw; a station without a stream says so
    expect((await day(today)).drawn.map((s) => s.code)).toEqual(first.drawn.map((s) => s.code));
    expect(first.drawn.every((s) => s.streamUrl === null && s.result === null)).toBe(true);
  });

  it('records a drawn station once, and refuses the rest naming the field', async () => {
    const drawn = (await day(today)).drawn.map((s) => s.code);
    const { rows } = await db.pool.query<{ code: string }>(
      `SELECT code FROM fire_station WHERE tier = 'joint_station' AND NOT (code = ANY($1)) ORDER BY code LIMIT 1`,
      [drawn],
    );
    const ok = await record({
      date: today,
      station: drawn[0],
      outcome: 'present',
      note: '人员在岗，车辆器材完好',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const entry = ok.json<RollcallDay>().drawn.find((s) => s.code === drawn[0])!;
    expect(entry.result).toMatchObject({
      outcome: 'present',
      note: '人员在岗，车辆器材完好',
      by: expect.any(String),
    });

    const again = await record({ date: today, station: drawn[0], outcome: 'absent' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ field: 'body.station' });
    const notDrawn = await record({ date: today, station: rows[0]!.code, outcome: 'present' });
    expect(notDrawn.statusCode).toBe(400);
    expect(notDrawn.json()).toMatchObject({ field: 'body.station' });
    const unknown = await record({ date: today, station: 'ST-NONE', outcome: 'present' });
    expect(unknown.statusCode).toBe(404);
    const future = await record({ date: shift(today, 1), station: drawn[0], outcome: 'present' });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ field: 'body.date' });
    const impossible = await app.inject({ url: '/api/rollcall?date=2026-02-30', headers: centre });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json()).toMatchObject({ field: 'query.date' });
    const town = await record(
      { date: today, station: drawn[1], outcome: 'present' },
      await authHeader(app, 'town_operator'),
    );
    expect(town.statusCode).toBe(403);

    const audits = await db.pool.query<{ target: string; after: { outcome: string } }>(
      `SELECT target, after FROM audit_log WHERE action = 'rollcall.record' ORDER BY id`,
    );
    expect(audits.rows).toEqual([
      { target: `station:${drawn[0]}`, after: expect.objectContaining({ outcome: 'present' }) },
    ]);
    // one live event for the one result recorded, in the station's village, committed with it
    const events = await db.pool.query<{ topic: string; area: string; subject: string; data: object }>(
      `SELECT topic, area_code AS area, subject, data FROM event_log WHERE type = 'rollcall.recorded' ORDER BY seq`,
    );
    const {
      rows: [station],
    } = await db.pool.query<{ name: string; village_code: string }>(
      `SELECT name, village_code FROM fire_station WHERE code = $1`,
      [drawn[0]],
    );
    expect(events.rows).toEqual([
      {
        topic: 'station',
        area: station!.village_code,
        subject: `station:${drawn[0]}`,
        data: {
          date: today,
          code: drawn[0],
          name: station!.name,
          outcome: 'present',
          note: '人员在岗，车辆器材完好',
          by: entry.result!.by,
        },
      },
    ]);
  });

  it("lets the page play streams from STREAM_ORIGINS only (and its own origin, and the player's blob:)", async () => {
    const res = await app.inject({ url: '/api/health' });
    const policy = Object.fromEntries(
      String(res.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(policy['media-src']).toEqual([
      "'self'",
      'blob:',
      'http://10.20.0.5:8080',
      'https://video.example.cn',
    ]);
    expect(policy['connect-src']).toEqual(
      expect.arrayContaining(["'self'", 'http://10.20.0.5:8080', 'https://video.example.cn']),
    );
    expect(policy['default-src']).toEqual(["'self'"]);
  });

  it('shows a stream address the county grid centre sets, and refuses one that is not a web address', async () => {
    const code = (await day(today)).drawn[0]!.code;
    const url = 'https://video.example.cn/live/sz01/index.m3u8';
    const set = await app.inject({
      method: 'PUT',
      url: `/api/stations/${code}/stream`,
      headers: centre,
      payload: { url },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ code, streamUrl: url });
    expect((await day(today)).drawn.find((s) => s.code === code)?.streamUrl).toBe(url);
    const bad = await app.inject({
      method: 'PUT',
      url: `/api/stations/${code}/stream`,
      headers: centre,
      payload: { url: 'javascript:alert(1)' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'body.url' });
    const cleared = await app.inject({
      method: 'PUT',
      url: `/api/stations/${code}/stream`,
      headers: centre,
      payload: { url: null },
    });
    expect(cleared.json()).toMatchObject({ streamUrl: null });
    const audits = await db.pool.query<{ before: { url: string | null }; after: { url: string | null } }>(
      `SELECT before, after FROM audit_log WHERE action = 'station.stream' ORDER BY id`,
    );
    expect(audits.rows.map((a) => [a.before.url, a.after.url])).toEqual([
      [null, url],
      [url, null],
    ]);
  });

  it("sums each station's month: days drawn, what was recorded, the share present", async () => {
    const yesterday = shift(today, -1);
    const before = (await day(yesterday)).drawn.map((s) => s.code);
    expect(
      (await record({ date: yesterday, station: before[0], outcome: 'equipment', note: '摄像头离线' }))
        .statusCode,
    ).toBe(201);
    const month = today.slice(0, 7);
    const res = await app.inject({ url: `/api/rollcall/monthly?month=${month}`, headers: centre });
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json<RollcallMonth>();
    expect(m.days).toBe(Number(today.slice(8)));
    // the month's draws, day by day, are what the stations' drawn days add up to
    const draws = await Promise.all(
      Array.from({ length: m.days }, (_, i) => day(`${month}-${String(i + 1).padStart(2, '0')}`)),
    );
    expect(m.total.drawn).toBe(draws.reduce((n, d) => n + d.drawn.length, 0));
    const recorded = m.total.present + m.total.absent + m.total.equipment;
    expect(m.total.unrecorded).toBe(m.total.drawn - recorded);
    if (yesterday.startsWith(month)) {
      expect(m.stations.find((s) => s.code === before[0])).toMatchObject({ equipment: 1 });
      expect(m.total.equipment).toBe(1);
    }
    expect(m.total.present).toBe(1);
  });
});
