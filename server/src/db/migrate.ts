import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import Postgrator from 'postgrator';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Applies the numbered SQL migrations in `migrations/` (NNN.do.name.sql) and returns the version reached. */
export async function migrate(pool: pg.Pool, log: (msg: string) => void = () => {}): Promise<number> {
  const client = await pool.connect();
  try {
    const postgrator = new Postgrator({
      migrationPattern: path.join(MIGRATIONS_DIR, '*.sql').replaceAll('\\', '/'),
      driver: 'pg',
      schemaTable: 'schemaversion',
      execQuery: (query) => client.query(query),
    });
    postgrator.on('migration-started', (m) => log(`migration ${m.version} ${m.name} ...`));
    const applied = await postgrator.migrate();
    if (applied.length > 0) log(`applied ${applied.length} migration(s)`);
    return Number(await postgrator.getDatabaseVersion());
  } finally {
    client.release();
  }
}
