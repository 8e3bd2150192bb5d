import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Value } from 'typebox/value';
import type { Principal } from '../../../../shared/src/auth.ts';
import {
  areaInScope,
  LiveHandshake,
  LiveSubscription,
  type ClientToServerEvents,
  type LiveError,
  type LiveProgress,
  type LiveReload,
  type LiveSubscribed,
  type ServerToClientEvents,
} from '../../../../shared/src/schemas/live.ts';
import { HttpError } from '../../errors.ts';
import { verifyAccessToken } from '../../plugins/authenticate.ts';
import { eventRepository } from '../events/repo.ts';
import type { EventRelay } from '../events/relay.ts';
import { asciiParser } from './ascii-parser.ts';
import { filterBatch, subscriptionFor, subscriptionKey, type Subscription } from './fanout.ts';

interface SocketData {
  principal: Principal;
  sub: Subscription;
  /** the room this socket receives live batches in, once its replay is over */
  room: string | null;
  /** bumped on every (re)subscription, so an older replay still running stops */
  generation: number;
}
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export interface LiveSocketOptions {
  pool: pg.Pool;
  relay: EventRelay;
  redisUrl?: string | undefined;
  /** Redis channel prefix: instances serving the same walls share it */
  redisPrefix?: string;
  corsOrigins?: string[] | false;
  /** beyond this many events behind, a client reloads the snapshot instead of replaying */
  replayMax: number;
  /** events per replay message */
  replayChunk?: number;
  /** a client whose unsent messages pile up beyond this is told to reload, then disconnected */
  maxBufferedMessages?: number;
}

/** Messages engine.io holds for a socket that have not reached it yet (its write buffer; not in the typings). */
const buffered = (socket: LiveSocket) =>
  (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;

export const SNAPSHOT_URL = '/api/live/snapshot';
const userRoom = (userId: number) => `user:${userId}`;

function liveError(err: unknown, field: string): LiveError {
  if (err instanceof HttpError)
    return { status: err.statusCode, message: err.message, field: err.field ?? field };
  return { status: 500, message: 'internal error', field };
}

/** Area and topics checked against the schema and the principal's scope; a 4xx naming the field otherwise. */
function checkSubscription(principal: Principal, input: unknown, prefix: string): Subscription {
  if (!Value.Check(LiveSubscription, input)) {
    const first = [...Value.Errors(LiveSubscription, input)][0];
    const field = `${prefix}${first?.instancePath.replaceAll('/', '.') ?? ''}`;
    throw new HttpError(400, `${field} ${first?.message ?? 'is not valid'}`, field);
  }
  const sub = subscriptionFor(principal, input.area, input.topics);
  if (!areaInScope(sub.area, principal.scope)) {
    // outside the scope an area does not exist for this account
    throw new HttpError(404, `area ${sub.area} does not exist`, `${prefix}.area`);
  }
  return sub;
}

/**
 * Socket.IO on the HTTP server: sign-in by access token in the handshake, a subscription by area and
 * topic inside the account's scope, replay from the event log after `afterSeq`, then live batches from
 * the relay. Each instance fans out the log to its own sockets; with REDIS_URL the Redis adapter links
 * the instances, so that signing out disconnects the user's sockets everywhere and counts span them.
 */
export async function createLiveServer(app: FastifyInstance, options: LiveSocketOptions) {
  const { pool, relay, replayMax } = options;
  const replayChunk = options.replayChunk ?? 2_000;
  const maxBuffered = options.maxBufferedMessages ?? 2_000;
  const io: LiveServer = new Server(app.server, {
    serveClient: false,
    cors: { origin: options.corsOrigins ?? false },
    // one batch can be large; well under the HTTP body limit
    maxHttpBufferSize: 1e6,
    // the standard protocol, its text packets sent as ASCII (see ascii-parser.ts)
    parser: asciiParser,
  });

  let redis: { close(): Promise<void> } | undefined;
  if (options.redisUrl) {
    const pub = createClient({ url: options.redisUrl });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) c.on('error', (err: Error) => app.log.warn(`redis: ${err.message}`));
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub, { key: options.redisPrefix ?? 'gridwatch' }));
    redis = { close: async () => void (await Promise.allSettled([pub.quit(), sub.quit()])) };
  }

  /** Live rooms on this instance and the subscription each stands for. */
  const rooms = new Map<string, { sub: Subscription; sockets: number }>();

  function joinLive(socket: LiveSocket): void {
    const key = `live:${subscriptionKey(socket.data.sub)}`;
    const entry = rooms.get(key) ?? { sub: socket.data.sub, sockets: 0 };
    entry.sockets += 1;
    rooms.set(key, entry);
    void socket.join(key);
    socket.data.room = key;
  }

  function leaveLive(socket: LiveSocket): void {
    const key = socket.data.room;
    if (!key) return;
    socket.data.room = null;
    void socket.leave(key);
    const entry = rooms.get(key);
    if (entry && --entry.sockets <= 0) rooms.delete(key);
  }

  const unsubscribeRelay = relay.onBatch((events) => {
    for (const [key, { sub }] of rooms) {
      const batch = filterBatch(sub, events);
      if (batch.length > 0) io.local.to(key).emit('events', batch);
    }
    // a client that cannot keep up is not allowed to grow the server's memory without bound
    for (const socket of io.sockets.sockets.values()) {
      if (buffered(socket) > maxBuffered) {
        socket.emit('reload', { reason: 'too_far_behind', headSeq: relay.seq, snapshotUrl: SNAPSHOT_URL });
        socket.disconnect(true);
      }
    }
  });

  /**
   * Sends the log after `afterSeq` that the socket's subscription matches, then joins the live room in
   * the same turn of the event loop in which it saw the relay's seq equal to what it had sent: every
   * later batch carries only newer events, so there is no gap and no duplicate.
   */
  async function catchUp(socket: LiveSocket, afterSeq: number | undefined): Promise<LiveSubscribed | null> {
    const generation = ++socket.data.generation;
    leaveLive(socket);
    const stale = () => socket.disconnected || socket.data.generation !== generation;
    const sub = socket.data.sub;
    let from = afterSeq ?? relay.seq;
    let replayed = 0;
    const reload = (reason: LiveReload['reason'], headSeq: number) => {
      socket.emit('reload', { reason, headSeq, snapshotUrl: SNAPSHOT_URL });
      return null;
    };
    if (from > relay.seq) {
      const head = await eventRepository.head(pool);
      if (from > head) return reload('ahead_of_log', head);
      // another instance delivered it already; ours is a batch behind
      while (relay.seq < from && !stale()) await new Promise((r) => setTimeout(r, 10));
    }
    if (relay.seq - from > replayMax) return reload('too_far_behind', relay.seq);
    if (from < relay.seq) {
      const oldest = await eventRepository.oldest(pool);
      if (oldest === null || oldest > from + 1) return reload('pruned', relay.seq);
    }
    for (;;) {
      if (stale()) return null;
      const target = relay.seq;
      if (from >= target) {
        joinLive(socket);
        return { area: sub.area, topics: sub.topics, replayed, seq: target };
      }
      const events = await eventRepository.range(pool, from, target, replayChunk);
      if (stale()) return null;
      if (events.length === 0) {
        // pruned between the check and the read
        return reload('pruned', relay.seq);
      }
      const batch = filterBatch(sub, events);
      if (batch.length > 0) socket.emit('events', batch);
      replayed += batch.length;
      from = events.at(-1)!.seq;
    }
  }

  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    try {
      if (!Value.Check(LiveHandshake, auth)) {
        const first = [...Value.Errors(LiveHandshake, auth)][0];
        const path = first?.instancePath.replaceAll('/', '.') ?? '';
        const field = path ? `auth${path}` : 'auth.token';
        throw new HttpError(path ? 400 : 401, `${field} ${first?.message ?? 'is missing'}`, field);
      }
      const principal = verifyAccessToken(app, auth.token, 'auth.token');
      const sub = checkSubscription(principal, { area: auth.area, topics: auth.topics }, 'auth');
      socket.data.principal = principal;
      socket.data.sub = sub;
      socket.data.room = null;
      socket.data.generation = 0;
      next();
    } catch (err) {
      const e = liveError(err, 'auth');
      next(Object.assign(new Error(e.message), { data: e }));
    }
  });

  io.on('connection', (socket) => {
    const afterSeq = (socket.handshake.auth as { afterSeq?: number }).afterSeq;
    void socket.join(userRoom(socket.data.principal.userId));
    const start = (after: number | undefined) =>
      catchUp(socket, after).then(
        (done) => {
          if (done) socket.emit('subscribed', done);
          return done;
        },
        (err: unknown) => {
          app.log.warn(`live replay failed: ${(err as Error).message}`);
          socket.emit('live:error', {
            status: 503,
            message: 'the event log is not reachable',
            field: 'afterSeq',
          });
          socket.disconnect(true);
          return null;
        },
      );
    void start(afterSeq);

    socket.on('subscribe', (input, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      try {
        const { afterSeq: after, ...rest } = (input ?? {}) as LiveSubscription & { afterSeq?: unknown };
        if (after !== undefined && !(Number.isInteger(after) && (after as number) >= 0)) {
          throw new HttpError(400, 'afterSeq must be a non-negative integer', 'afterSeq');
        }
        socket.data.sub = checkSubscription(socket.data.principal, rest, '');
        void start(after as number | undefined).then((done) => {
          if (done) reply(done);
        });
      } catch (err) {
        reply(liveError(err, 'subscribe'));
      }
    });

    socket.on('disconnect', () => {
      socket.data.generation += 1;
      leaveLive(socket);
    });
  });

  return {
    io,
    /** Sockets of this instance (every instance's with `all`). */
    async connectedClients(all = false): Promise<number> {
      return all ? (await io.fetchSockets()).length : io.sockets.sockets.size;
    },
    /** Sends a long computation's progress to the user's sockets on every instance. */
    progress(userId: number, report: LiveProgress): void {
      io.to(userRoom(userId)).emit('progress', report);
    },
    /** Disconnects a user's sockets on every instance (after sign-out). */
    disconnectUser(userId: number): void {
      io.in(userRoom(userId)).disconnectSockets(true);
    },
    async close(): Promise<void> {
      unsubscribeRelay();
      await io.close();
      await redis?.close();
    },
  };
}
export type LiveServerHandle = Awaited<ReturnType<typeof createLiveServer>>;
