import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClientToServerEvents,
  LiveEvent,
  LiveReload,
  LiveSnapshot,
  LiveSubscribed,
  ServerToClientEvents,
  StationStatusLive,
} from '../../../../shared/src/schemas/live.ts';
import { withTransaction } from '../../db/transaction.ts';
import { eventRepository } from '../events/repo.ts';
import type { StationStateRow } from './repo.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { DEMO_DISTRICT } from '../../../../test/support/paths.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { until } from '../../../../test/support/wait.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected wall client that records everything it is sent. */
interface Recorder {
  socket: Client;
  events: LiveEvent[];
  messages: number;
  reloads: LiveReload[];
  subscribed: Promise<LiveSubscribed>;
  waitFor(pred: (events: LiveEvent[]) => boolean, ms?: number): Promise<void>;
  close(): void;
}

describe.each(BACKENDS)('live stream on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  let tokens: Record<string, string>;
  let stations: { village: string; town: string; county: string };
  const open: Recorder[] = [];

  function record(auth: Record<string, unknown>): Recorder {
    const socket: Client = connect(url, { auth, transports: ['websocket'], reconnection: false });
    const rec: Recorder = {
      socket,
      events: [],
      messages: 0,
      reloads: [],
      subscribed: new Promise((resolve, reject) => {
        socket.once('subscribed', resolve);
        socket.once('connect_error', reject);
      }),
      waitFor: (pred, ms = 10_000) => until(() => pred(rec.events), ms, 'events'),
      close: () => socket.close(),
    };
    socket.on('events', (batch) => {
      rec.messages += 1;
      rec.events.push(...batch);
    });
    socket.on('reload', (r) => rec.reloads.push(r));
    open.push(rec);
    return rec;
  }

  async function setStatus(code: string, status: string, role = 'dispatcher') {
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/stations/${code}/status`,
      headers: { authorization: `Bearer ${tokens[role]}` },
      payload: { status },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  async function head(): Promise<number> {
    const { rows } = await db.pool.query<{ seq: string }>('SELECT seq FROM event_seq');
    return Number(rows[0]!.seq);
  }

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { LIVE_BATCH_MS: 20, LIVE_POLL_MS: 200 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    tokens = {};
    for (const role of ['county_operator', 'village_officer', 'town_operator', 'dispatcher']) {
      tokens[role] = (await authHeader(app, role)).authorization.slice('Bearer '.length);
    }
    const scope = (
      await db.pool.query<{ role: string; scope_code: string }>(
        `SELECT role, scope_code FROM app_user WHERE username IN ('village_officer', 'town_operator')`,
      )
    ).rows;
    const village = scope.find((r) => r.role === 'village_officer')!.scope_code;
    const town = scope.find((r) => r.role === 'town_operator')!.scope_code;
    const pick = async (where: string, args: string[]) =>
      (
        await db.pool.query<{ code: string }>(
          `SELECT code FROM fire_station WHERE ${where} ORDER BY code LIMIT 1`,
          args,
        )
      ).rows[0]!.code;
    stations = {
      village: await pick(`village_code LIKE $1 || '%'`, [village]),
      town: await pick(`village_code LIKE $1 || '%' AND village_code NOT LIKE $2 || '%'`, [town, village]),
      county: await pick(`village_code NOT LIKE $1 || '%'`, [town]),
    };
  });

  afterAll(async () => {
    for (const r of open) r.close();
    await app?.close();
    await db?.destroy();
  });

  it('delivers a committed change to a connected wall as { seq, type, at, ... }', async () => {
    const wall = record({ token: tokens.county_operator });
    await wall.subscribed;
    const before = await head();
    await setStatus(stations.county, 'busy');
    await wall.waitFor((e) => e.length >= 1);
    const [event] = wall.events;
    expect(event).toMatchObject({
      seq: before + 1,
      type: 'station.status_changed',
      topic: 'station',
      subject: `station:${stations.county}`,
    });
    expect(Date.parse(event!.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(event!.data as unknown as StationStatusLive).toMatchObject({
      code: stations.county,
      from: 'available',
      to: 'busy',
    });
    wall.close();
  });

  it('replays what a client missed after afterSeq, in order, without gaps or duplicates, then goes live', async () => {
    const first = record({ token: tokens.county_operator });
    await first.subscribed;
    await setStatus(stations.town, 'busy');
    await first.waitFor((e) => e.length === 1);
    const lastSeen = first.events.at(-1)!.seq;
    first.close();

    // missed while away
    await setStatus(stations.town, 'out_of_service');
    await setStatus(stations.village, 'busy');
    await setStatus(stations.town, 'available');
    // replay covers what this instance's relay has delivered (anything newer follows live), so
    // wait until the relay has seen the three missed commits to make the replay count exact
    const missedHead = await head();
    await until(() => app.live.relay.seq >= missedHead, 10_000, 'the relay to deliver the missed events');

    const again = record({ token: tokens.county_operator, afterSeq: lastSeen });
    const subscribed = await again.subscribed;
    expect(subscribed.replayed).toBe(3);
    expect(subscribed.seq).toBe(lastSeen + 3);
    await setStatus(stations.village, 'available');
    await again.waitFor((e) => e.length === 4);
    const seqs = again.events.map((e) => e.seq);
    expect(seqs).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3, lastSeen + 4]);
    expect(again.events.map((e) => (e.data as unknown as StationStatusLive).to)).toEqual([
      'out_of_service',
      'busy',
      'available',
      'available',
    ]);
    again.close();
  });

  it('loses nothing and repeats nothing when a client reconnects in the middle of concurrent writes', async () => {
    const start = await head();
    const codes = (
      await db.pool.query<{ code: string }>(`SELECT code FROM fire_station ORDER BY code LIMIT 12`)
    ).rows.map((r) => r.code);
    const statuses = ['busy', 'available'];
    const writes = (round: number) => Promise.all(codes.map((code) => setStatus(code, statuses[round % 2]!)));
    await writes(0);
    // connect from the start while more writes are committing
    const late = record({ token: tokens.county_operator, afterSeq: start });
    await Promise.all([writes(1), late.subscribed]);
    await writes(2);
    const end = await head();
    await late.waitFor((e) => e.length >= end - start);
    await new Promise((r) => setTimeout(r, 200));
    const seqs = late.events.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
    late.close();
  });

  it('sends one message per batch, not one per event, under load', async () => {
    const wall = record({ token: tokens.county_operator });
    await wall.subscribed;
    const codes = (
      await db.pool.query<{ code: string; village_code: string }>(
        `SELECT code, village_code FROM fire_station ORDER BY code LIMIT 1`,
      )
    ).rows;
    // 500 events committed in one transaction reach the client in at most a few messages
    await app.live.events.transaction(async (_client, emit) => {
      for (let i = 0; i < 500; i++) {
        emit({
          type: 'station.status_changed',
          area: codes[0]!.village_code,
          subject: `station:${codes[0]!.code}`,
          data: {
            code: codes[0]!.code,
            name: 'load',
            tier: 'micro_station',
            from: 'available',
            to: 'available',
          },
        });
      }
    });
    await wall.waitFor((e) => e.length === 500);
    expect(wall.messages).toBeLessThanOrEqual(3);
    wall.close();
  });

  it('keeps a village officer to its own village: other areas are neither sent nor subscribable', async () => {
    // start from a known state whatever the tests before left behind, delivered before connecting
    for (const code of Object.values(stations)) await setStatus(code, 'available');
    const settled = await head();
    await until(() => app.live.relay.seq >= settled, 10_000, 'the relay to settle');
    const officer = record({ token: tokens.village_officer });
    const sub = await officer.subscribed;
    expect(sub.area).toMatch(/^\d{12}$/);
    await setStatus(stations.county, 'busy');
    await setStatus(stations.town, 'busy');
    await setStatus(stations.village, 'busy');
    await officer.waitFor((e) => e.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(officer.events.map((e) => e.subject)).toEqual([`station:${stations.village}`]);
    officer.close();

    const outside = record({ token: tokens.village_officer, area: DEMO_DISTRICT });
    const err = await outside.subscribed.then(
      () => null,
      (e: Error & { data?: { status: number; field: string } }) => e,
    );
    expect(err?.data).toMatchObject({ status: 404, field: 'auth.area' });
  });

  it('refuses a handshake without a valid token, naming the field', async () => {
    for (const auth of [{}, { token: 'not-a-token' }, { token: tokens.county_operator, afterSeq: -1 }]) {
      const rec = record(auth);
      const err = await rec.subscribed.then(
        () => null,
        (e: Error & { data?: { status: number; field: string } }) => e,
      );
      expect(err?.data?.status, JSON.stringify(auth)).toBeGreaterThanOrEqual(400);
      expect(err?.data?.status).toBeLessThan(500);
      expect(err?.data?.field).toMatch(/^auth\./);
    }
  });

  it('tells a client too far behind to reload the snapshot, and a client ahead of the log too', async () => {
    const behind = await buildTestApp(db, { LIVE_REPLAY_MAX: 2 });
    await behind.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = behind.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const h = await head();
      const client: Client = connect(`http://127.0.0.1:${port}`, {
        auth: { token: tokens.county_operator, afterSeq: Math.max(0, h - 10) },
        transports: ['websocket'],
        reconnection: false,
      });
      const reload = await new Promise<LiveReload>((resolve) => client.once('reload', resolve));
      expect(reload).toMatchObject({
        reason: 'too_far_behind',
        headSeq: h,
        snapshotUrl: '/api/live/snapshot',
      });
      client.close();
    } finally {
      await behind.close();
    }
    const ahead = record({ token: tokens.county_operator, afterSeq: (await head()) + 1000 });
    await until(() => ahead.reloads.length > 0, 10_000, 'reload');
    expect(ahead.reloads[0]!.reason).toBe('ahead_of_log');
  });

  it('serves a snapshot consistent with its seq: the snapshot plus the events after it is the state', async () => {
    await setStatus(stations.village, 'out_of_service');
    const res = await app.inject({
      method: 'GET',
      url: '/api/live/snapshot',
      headers: { authorization: `Bearer ${tokens.village_officer}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const snap = res.json<LiveSnapshot>();
    expect(snap.seq).toBe(await head());
    const rows = snap.parts.stations as StationStateRow[];
    expect(rows.find((s) => s.code === stations.village)?.status).toBe('out_of_service');
    // only the officer's village
    expect(rows.every((s) => s.area.startsWith(snap.area))).toBe(true);
    expect(rows.find((s) => s.code === stations.county)).toBeUndefined();

    const wall = record({ token: tokens.village_officer, afterSeq: snap.seq });
    expect((await wall.subscribed).replayed).toBe(0);
    await setStatus(stations.village, 'available');
    await wall.waitFor((e) => e.length === 1);
    expect(wall.events[0]!.seq).toBe(snap.seq + 1);

    const outside = await app.inject({
      method: 'GET',
      url: `/api/live/snapshot?area=${DEMO_DISTRICT}`,
      headers: { authorization: `Bearer ${tokens.village_officer}` },
    });
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ field: 'query.area' });
  });

  it('leaves no hole in the sequence when a transaction that appended events rolls back', async () => {
    const before = await head();
    await expect(
      withTransaction(db.pool, async (client) => {
        await eventRepository.append(client, [
          { type: 'station.status_changed', area: '320803001001', subject: 'station:x', data: {} },
        ]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await head()).toBe(before);
    await setStatus(stations.county, 'available');
    const { rows } = await db.pool.query<{ seq: string }>('SELECT seq FROM event_log WHERE seq > $1', [
      before,
    ]);
    expect(rows.map((r) => Number(r.seq))).toEqual([before + 1]);
  });
});
