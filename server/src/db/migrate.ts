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
    const version = Number(await postgrator.getDatabaseVersion());
    // postgrator only runs files numbered above the database's version: a file that landed with a lower
    // number after a higher one was applied would be skipped silently, so refuse to start instead
    const done = new Set(
      (
        await client.query<{ version: string }>('SELECT version::text AS version FROM schemaversion')
      ).rows.map((r) => Number(r.version)),
    );
    const skipped = (await postgrator.getMigrations())
      .filter((m) => m.action === 'do' && m.version <= version && !done.has(m.version))
      .map((m) => `${m.version} ${m.name}`);
    if (skipped.length > 0) {
      throw new Error(
        `migrations numbered below the database's version ${version} were never applied: ${skipped.join(', ')}; ` +
          'renumber them above it, or apply them by hand',
      );
    }
    return version;
  } finally {
    client.release();
  }
}
