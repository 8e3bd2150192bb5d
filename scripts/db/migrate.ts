/** `npm run db:migrate`: applies the numbered migrations to DATABASE_URL (or the embedded database). */
import { loadConfig } from '../../server/src/config.ts';
import { openDatabase } from '../../server/src/db/database.ts';
import { migrate } from '../../server/src/db/migrate.ts';

const config = loadConfig();
const db = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  pgliteDataDir: config.PGLITE_DATA_DIR,
  poolMax: 1,
  log: console.log,
});
try {
  console.log(`migration version ${await migrate(db.pool, console.log)} (${db.backend})`);
} finally {
  await db.close();
}
