import type { FastifyInstance } from 'fastify';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeader, buildTestApp } from '../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';

const METRICS_TOKEN = 'prometheus-scrape-token-0123456789';

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}

describe.each(BACKENDS)('/metrics on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  let admin: { authorization: string };

  const scrape = async (headers: Record<string, string> = admin) => {
    const res = await app.inject({ url: '/metrics', headers });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { METRICS_TOKEN, LIVE_BATCH_MS: 10 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    admin = await authHeader(app, 'admin');
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('is for administrators and the scrape token only', async () => {
    const anonymous = await app.inject({ url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ field: 'headers.authorization' });
    const planner = await app.inject({ url: '/metrics', headers: await authHeader(app, 'planner') });
    expect(planner.statusCode).toBe(403);
    const wrong = await app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer not-the-token-at-all-0000' },
    });
    expect(wrong.statusCode).toBe(401);
    const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('times requests by route template, counts live events, wall clients and pool connections', async () => {
    const dispatcher = await authHeader(app, 'dispatcher');
    for (let i = 0; i < 3; i++) {
      expect((await app.inject({ url: '/api/district', headers: dispatcher })).statusCode).toBe(200);
    }
    const wall = connect(url, {
      auth: { token: dispatcher.authorization.slice(7) },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise((resolve, reject) => {
      wall.once('subscribed', resolve);
      wall.once('connect_error', reject);
    });
    const before = sample(await scrape(), 'gridwatch_live_events_total') ?? 0;
    const code = (
      await db.pool.query<{ code: string }>(`SELECT code FROM fire_station ORDER BY code LIMIT 1`)
    ).rows[0]!.code;
    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/stations/${code}/status`,
      headers: dispatcher,
      payload: { status: 'busy' },
    });
    expect(changed.statusCode).toBe(200);
    await new Promise<void>((resolve) => wall.once('events', () => resolve()));

    const text = await scrape();
    expect(
      sample(text, 'gridwatch_http_request_duration_seconds_count', {
        route: '/api/district',
        status: '200',
      }),
    ).toBe(3);
    expect(sample(text, 'gridwatch_live_events_total')).toBe(before + 1);
    expect(sample(text, 'gridwatch_wall_clients')).toBe(1);
    expect(sample(text, 'gridwatch_live_relay_seq')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gridwatch_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gridwatch_process_resident_memory_bytes')).toBeGreaterThan(0);
    wall.close();
  });

  it('times the dispatch search', async () => {
    const { rows } = await db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_LineInterpolatePoint(geom, 0.5) AS p FROM road
         WHERE class = 'street' ORDER BY id LIMIT 1) r`,
    );
    const res = await app.inject({
      url: `/api/dispatch/nearest?lon=${rows[0]!.lon}&lat=${rows[0]!.lat}`,
      headers: await authHeader(app, 'dispatcher'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const text = await scrape();
    expect(sample(text, 'gridwatch_computation_duration_seconds_count', { name: 'dispatch_search' })).toBe(1);
  });
});
