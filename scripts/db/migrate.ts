/** `npm run db:migrate`: applies the numbered migrations to DATABASE_URL (or the embedded database). */
import { migrate } from '../../server/src/db/migrate.ts';
import { withConfiguredDatabase } from './open.ts';

await withConfiguredDatabase(async (db) => {
  console.log(`migration version ${await migrate(db.pool, console.log)} (${db.backend})`);
});
