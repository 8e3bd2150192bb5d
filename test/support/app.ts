import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig, type Config } from '../../server/src/config.ts';
import type { Database } from '../../server/src/db/database.ts';

/** The app over a test database, quiet and without the built client, for `app.inject`. */
export function buildTestApp(db: Database, overrides: Partial<Config> = {}): Promise<FastifyInstance> {
  return buildApp({
    config: loadConfig({}, { LOG_LEVEL: 'silent', CLIENT_DIST: '/nonexistent', ...overrides }),
    db,
  });
}
