import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TEST_DATA_ROOT = path.join(REPO_ROOT, '.data', 'test');
/** Admin connection used to create the per-run template database and per-file databases. */
export const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** One template per test run, so two runs on one machine never drop each other's. */
export const TEMPLATE_DATABASE = `gridwatch_test_template_${process.pid}`;
export const DEMO_DISTRICT = '320803';

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Password of the per-role accounts (admin, dispatcher, county_operator, ...) in the test databases. */
export const TEST_PASSWORD = 'test-password-1';
