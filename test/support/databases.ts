/**
 * Each test file owns its database: a copy of the seeded embedded template, or a clone of the seeded
 * PostgreSQL template. `BACKENDS` drives `describe.each` so the same tests run on both.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Backend } from '../../shared/src/domain.ts';
import { openDatabase, type Database } from '../../server/src/db/database.ts';
import { databaseUrl } from './paths.ts';

export interface TestDatabase extends Database {
  /** settings for startServer/loadConfig pointing at this database */
  configOverrides: { DATABASE_URL?: string; PGLITE_DATA_DIR: string };
  destroy(): Promise<void>;
}

function ownedDatabase(
  db: Database,
  configOverrides: TestDatabase['configOverrides'],
  cleanup: () => Promise<void>,
): TestDatabase {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await db.close();
  };
  return {
    ...db,
    configOverrides,
    close,
    async destroy() {
      await close();
      await cleanup();
    },
  };
}

async function openEmbeddedCopy(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridwatch-pglite-'));
  await cp(path.join(inject('embeddedTemplateDir'), 'pgdata'), dir, { recursive: true });
  const db = await openDatabase({ pgliteDataDir: dir, poolMax: 1 });
  return ownedDatabase(db, { PGLITE_DATA_DIR: dir }, () => rm(dir, { recursive: true, force: true }));
}

async function withAdmin(adminUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

let counter = 0;
async function openPostgresClone(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `gridwatch_test_${process.pid}_${++counter}`;
  await withAdmin(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
  const url = databaseUrl(adminUrl, name);
  const db = await openDatabase({ databaseUrl: url, pgliteDataDir: '', poolMax: 4 });
  return ownedDatabase(db, { DATABASE_URL: url, PGLITE_DATA_DIR: '' }, () =>
    withAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  );
}

export const BACKENDS: Backend[] = ['embedded', 'postgres'];

export function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  return backend === 'embedded' ? openEmbeddedCopy() : openPostgresClone();
}
