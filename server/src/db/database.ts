import pg from 'pg';
import type { Backend } from '../../../shared/src/domain.ts';
import { startEmbeddedPostgis } from './embedded.ts';

export interface Database {
  pool: pg.Pool;
  backend: Backend;
  /** true when an embedded database was created by this start (it then needs migrating and seeding) */
  created: boolean;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  pgliteDataDir: string;
  poolMax: number;
  log?: (msg: string) => void;
}

/**
 * One code path over `pg`: with a URL, that PostgreSQL/PostGIS; without, embedded PGlite + PostGIS
 * served in-process over the wire protocol.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax });
    pool.on('error', (err) => options.log?.(`idle pg client error: ${err.message}`));
    return { pool, backend: 'postgres', created: false, close: () => pool.end() };
  }
  const embedded = await startEmbeddedPostgis(options.pgliteDataDir, options.log);
  // PGlite runs one query at a time and an open transaction on one connection blocks every other,
  // so the embedded side keeps a single pooled connection (requests queue in the pool instead).
  const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
  pool.on('error', (err) => options.log?.(`idle pg client error: ${err.message}`));
  return {
    pool,
    backend: 'embedded',
    created: embedded.created,
    async close() {
      await pool.end();
      await embedded.stop();
    },
  };
}
