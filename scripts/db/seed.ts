/**
 * `npm run db:seed [-- --force] [-- --district 320803]`: loads the generated demo dataset into
 * DATABASE_URL (or the embedded database). Without --force an already seeded database is left alone.
 */
import { parseArgs } from 'node:util';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemo } from '../../server/src/db/seed/seed-demo.ts';
import { withConfiguredDatabase } from './open.ts';

const { values } = parseArgs({
  options: { force: { type: 'boolean', default: false }, district: { type: 'string' } },
});
await withConfiguredDatabase(async (db, config) => {
  await migrate(db.pool, console.log);
  const district = values.district ?? config.DEMO_DISTRICT;
  const result = await seedDemo(db.pool, district, { force: values.force, log: console.log });
  console.log(result.seeded ? `seeded in ${result.ms} ms` : 'already seeded (use --force to replace)');
});
