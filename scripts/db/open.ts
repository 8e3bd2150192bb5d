import { loadConfig } from '../../server/src/config.ts';
import { openDatabase, type Database } from '../../server/src/db/database.ts';

/** Runs a database tool against the configured database (DATABASE_URL, or the embedded one) and closes it. */
export async function withConfiguredDatabase<T>(
  work: (db: Database, config: ReturnType<typeof loadConfig>) => Promise<T>,
) {
  const config = loadConfig();
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDataDir: config.PGLITE_DATA_DIR,
    poolMax: 1,
    log: console.log,
  });
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}
