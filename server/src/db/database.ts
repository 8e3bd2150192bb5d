import pg from 'pg';
import type { Backend } from '../../../shared/src/domain.ts';
import { startEmbeddedPostgis } from './embedded.ts';

export interface Database {
  pool: pg.Pool;
  backend: Backend;
  /** true when an embedded database was created by this start (it then needs migrating and seeding) */
  created: boolean;
  /** where a dedicated LISTEN connection can go (PostgreSQL only; the embedded backend has one connection) */
  listenUrl?: string;
  /**
   * Where the live stream reads the event log (the relay and replays after a reconnect). On PostgreSQL a
   * small pool of its own, so that a burst of writers queued on the event counter, holding every request
   * connection, cannot delay delivery of what has already committed; embedded, the one connection.
   */
  streamPool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  pgliteDataDir: string;
  poolMax: number;
  /** how long a request waits for a connection (a new one, or a free pooled one) before it fails */
  connectTimeoutMs?: number;
  log?: (msg: string) => void;
}

/**
 * PostgreSQL: a connection that cannot be made within this fails the request (503), instead of hanging
 * it while the database is unreachable. Also bounds the wait for a free pooled connection.
 */
export const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Embedded: the single connection is shared by every request, so this is mostly a queue wait; it is
 * generous so a long query does not fail the requests queued behind it.
 */
export const EMBEDDED_CONNECT_TIMEOUT_MS = 30_000;

/** Connections of the live stream's own pool on PostgreSQL: the relay's reads and concurrent replays. */
const STREAM_POOL_MAX = 3;

/**
 * A pool that survives the database going away: dropped connections are logged and discarded (a
 * checked-out client's 'error' event would otherwise be unhandled and crash the process), new ones are
 * made on demand once the database is back, and connecting gives up after `connectTimeoutMs`.
 */
function resilientPool(
  connectionString: string,
  max: number,
  connectTimeoutMs: number,
  log: (msg: string) => void,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
  });
  // idle clients: pg-pool removes them and re-emits here
  pool.on('error', (err) => log(`idle database connection lost: ${err.message}`));
  // checked-out clients: the query in progress fails (the caller gets the error); pg-pool discards the
  // client on release because it is no longer queryable
  pool.on('connect', (client) => {
    client.on('error', (err) => log(`database connection lost: ${err.message}`));
  });
  return pool;
}

/**
 * One code path over `pg`: with a URL, that PostgreSQL/PostGIS; without, embedded PGlite + PostGIS
 * served in-process over the wire protocol.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const log = options.log ?? (() => {});
  if (options.databaseUrl) {
    const pool = resilientPool(
      options.databaseUrl,
      options.poolMax,
      options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      log,
    );
    const streamPool = resilientPool(
      options.databaseUrl,
      STREAM_POOL_MAX,
      options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      log,
    );
    return {
      pool,
      backend: 'postgres',
      created: false,
      listenUrl: options.databaseUrl,
      streamPool,
      close: async () => void (await Promise.all([pool.end(), streamPool.end()])),
    };
  }
  const embedded = await startEmbeddedPostgis(options.pgliteDataDir, options.log);
  // PGlite runs one query at a time and an open transaction on one connection blocks every other,
  // so the embedded side keeps a single pooled connection (requests queue in the pool instead).
  const pool = resilientPool(embedded.url, 1, options.connectTimeoutMs ?? EMBEDDED_CONNECT_TIMEOUT_MS, log);
  return {
    pool,
    backend: 'embedded',
    streamPool: pool,
    created: embedded.created,
    async close() {
      await pool.end();
      await embedded.stop();
    },
  };
}
