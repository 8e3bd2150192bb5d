/**
 * Prepares the demo database once per test run, on both backends:
 * - embedded: a seeded PGlite data directory (reused while migrations and dataset are unchanged);
 *   each test file copies it (creating the PostGIS extension and seeding take tens of seconds);
 * - postgres: a template database, migrated and seeded; each test file clones it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/src/db/database.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemo } from '../../server/src/db/seed/seed-demo.ts';
import { ensureDemoAccounts } from '../../server/src/modules/auth/demo-accounts.ts';
import { createAuthService } from '../../server/src/modules/auth/service.ts';
import {
  ADMIN_DATABASE_URL,
  DEMO_DISTRICT,
  REPO_ROOT,
  TEMPLATE_DATABASE,
  TEST_DATA_ROOT,
  TEST_PASSWORD,
  databaseUrl,
} from '../support/paths.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedTemplateDir: string;
    postgresTemplate: string;
    adminDatabaseUrl: string;
  }
}

const log = (msg: string) => console.log(`[test-db] ${msg}`);

/** Demo data plus one account per role (password TEST_PASSWORD). */
async function seedTestDatabase(pool: pg.Pool): Promise<void> {
  await seedDemo(pool, DEMO_DISTRICT, { log: () => {} });
  // createUser never signs tokens, so no signer is needed here
  await ensureDemoAccounts(pool, createAuthService(pool, { sign: () => '' }), TEST_PASSWORD);
}

async function fingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const dirs = [
    path.join(REPO_ROOT, 'server/src/db/migrations'),
    path.join(REPO_ROOT, 'data/demo', DEMO_DISTRICT),
  ];
  for (const dir of dirs) {
    for (const name of (await readdir(dir)).sort()) {
      const file = path.join(dir, name);
      if ((await stat(file)).isFile()) hash.update(name).update(await readFile(file));
    }
  }
  for (const file of [
    'server/src/db/seed/seed-repo.ts',
    'server/src/modules/auth/demo-accounts.ts',
    'test/setup/db-global-setup.ts',
  ]) {
    hash.update(await readFile(path.join(REPO_ROOT, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

async function prepareEmbedded(key: string): Promise<string> {
  const dir = path.join(TEST_DATA_ROOT, `embedded-${key}`);
  if (existsSync(path.join(dir, 'READY'))) return dir;
  // Built beside the final place and renamed into it, so a concurrent run never sees half a template.
  const building = `${dir}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  const t0 = Date.now();
  const db = await openDatabase({ pgliteDataDir: path.join(building, 'pgdata'), poolMax: 1, log });
  await migrate(db.pool, log);
  await seedTestDatabase(db.pool);
  await db.close();
  await writeFile(path.join(building, 'READY'), key);
  try {
    await rm(dir, { recursive: true, force: true });
    await rename(building, dir);
  } catch (err) {
    if (!existsSync(path.join(dir, 'READY'))) throw err;
    await rm(building, { recursive: true, force: true });
  }
  log(`embedded template ready in ${Date.now() - t0} ms`);
  return dir;
}

async function preparePostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL with PostGIS is required for the db tests (TEST_DATABASE_URL=${ADMIN_DATABASE_URL}): ${(err as Error).message}`,
      { cause: err },
    );
  }
  const t0 = Date.now();
  try {
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [TEMPLATE_DATABASE],
    );
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: databaseUrl(ADMIN_DATABASE_URL, TEMPLATE_DATABASE), max: 2 });
  try {
    await migrate(pool, log);
    await seedTestDatabase(pool);
  } finally {
    await pool.end();
  }
  log(`postgres template ready in ${Date.now() - t0} ms`);
}

export default async function setup(project: TestProject) {
  const key = await fingerprint();
  const [embeddedDir] = await Promise.all([prepareEmbedded(key), preparePostgres()]);
  project.provide('embeddedTemplateDir', embeddedDir);
  project.provide('postgresTemplate', TEMPLATE_DATABASE);
  project.provide('adminDatabaseUrl', ADMIN_DATABASE_URL);
  return async () => {
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
}
