/**
 * Two server instances on one PostgreSQL and one Redis (the Socket.IO Redis adapter): a wall on either
 * receives every change committed through either, and signing out everywhere reaches both.
 */
import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClientToServerEvents,
  LiveEvent,
  ServerToClientEvents,
} from '../../../../shared/src/schemas/live.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { until } from '../../../../test/support/wait.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('two instances sharing PostgreSQL and Redis', () => {
  let db: TestDatabase;
  const apps: FastifyInstance[] = [];
  const urls: string[] = [];
  const clients: Client[] = [];
  let token = '';
  let dispatcher = '';

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    const prefix = `gridwatch-test-${process.pid}-${Date.now()}`;
    for (let i = 0; i < 2; i++) {
      const app = await buildTestApp(db, { REDIS_URL, REDIS_PREFIX: prefix, LIVE_BATCH_MS: 20 });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      urls.push(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
      apps.push(app);
    }
    token = (await authHeader(apps[0]!, 'county_operator')).authorization.slice(7);
    dispatcher = (await authHeader(apps[1]!, 'dispatcher')).authorization;
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const app of apps) await app.close();
    await db?.destroy();
  });

  function wall(url: string) {
    const socket: Client = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
    clients.push(socket);
    const events: LiveEvent[] = [];
    socket.on('events', (batch) => events.push(...batch));
    const subscribed = new Promise((resolve, reject) => {
      socket.once('subscribed', resolve);
      socket.once('connect_error', reject);
    });
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    return { socket, events, subscribed, disconnected };
  }

  it('delivers every change written through either instance to walls on both, in order', async () => {
    const a = wall(urls[0]!);
    const b = wall(urls[1]!);
    await Promise.all([a.subscribed, b.subscribed]);
    const { rows } = await db.pool.query<{ code: string }>(
      'SELECT code FROM fire_station ORDER BY code LIMIT 10',
    );
    const start = Number((await db.pool.query<{ seq: string }>('SELECT seq FROM event_seq')).rows[0]!.seq);
    let n = 0;
    for (const status of ['busy', 'available']) {
      await Promise.all(
        rows.map(({ code }, i) =>
          apps[i % 2]!.inject({
            method: 'PATCH',
            url: `/api/stations/${code}/status`,
            headers: { authorization: dispatcher },
            payload: { status },
          }).then((res) => {
            expect(res.statusCode, res.body).toBe(200);
            n += 1;
          }),
        ),
      );
    }
    const end = Number((await db.pool.query<{ seq: string }>('SELECT seq FROM event_seq')).rows[0]!.seq);
    // a station already in the requested state changes nothing and writes no event
    expect(end - start).toBeGreaterThanOrEqual(n - 2);
    const expected = Array.from({ length: end - start }, (_, i) => start + 1 + i);
    await until(
      () => a.events.length >= expected.length && b.events.length >= expected.length,
      15_000,
      'both walls',
    );
    expect(a.events.map((e) => e.seq)).toEqual(expected);
    expect(b.events.map((e) => e.seq)).toEqual(expected);
  });

  it('counts the walls of both instances and signs a user out of both', async () => {
    const a = wall(urls[0]!);
    const b = wall(urls[1]!);
    await Promise.all([a.subscribed, b.subscribed]);
    expect(await apps[0]!.live.socket.connectedClients(true)).toBeGreaterThanOrEqual(2);

    const res = await apps[0]!.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}` },
      payload: { everywhere: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    // the wall on the other instance is disconnected through Redis
    expect(await b.disconnected).toBe('io server disconnect');
    expect(await a.disconnected).toBe('io server disconnect');
  });
});
