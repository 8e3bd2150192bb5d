import type { FastifyInstance } from 'fastify';
import type { Role } from '../../shared/src/auth.ts';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig, type Config } from '../../server/src/config.ts';
import type { Database } from '../../server/src/db/database.ts';
import { TEST_PASSWORD } from './paths.ts';

/** The app over a test database, quiet and without the built client, for `app.inject`. */
export function buildTestApp(db: Database, overrides: Partial<Config> = {}): Promise<FastifyInstance> {
  return buildApp({
    config: loadConfig({}, { LOG_LEVEL: 'silent', CLIENT_DIST: '/nonexistent', ...overrides }),
    db,
  });
}

/** Signs in as the test account of `role` (accounts are named after their roles) and returns the bearer header. */
export async function authHeader(
  app: FastifyInstance,
  role: Role | string,
): Promise<{ authorization: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: role, password: TEST_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`login as ${role} failed: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${(res.json() as { token: string }).token}` };
}
