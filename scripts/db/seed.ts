/**
 * `npm run db:seed [-- --force] [-- --district 320803]`: loads the generated demo dataset into
 * DATABASE_URL (or the embedded database). Without --force an already seeded database is left alone.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/src/config.ts';
import { openDatabase } from '../../server/src/db/database.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemo } from '../../server/src/db/seed/seed-demo.ts';

const { values } = parseArgs({
  options: { force: { type: 'boolean', default: false }, district: { type: 'string' } },
});
const config = loadConfig();
const db = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  pgliteDataDir: config.PGLITE_DATA_DIR,
  poolMax: 1,
  log: console.log,
});
try {
  await migrate(db.pool, console.log);
  const result = await seedDemo(db.pool, values.district ?? config.DEMO_DISTRICT, {
    force: values.force,
    log: console.log,
  });
  console.log(result.seeded ? `seeded in ${result.ms} ms` : 'already seeded (use --force to replace)');
} finally {
  await db.close();
}
