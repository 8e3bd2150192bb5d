import { defineConfig } from 'vitest/config';

/**
 * Three projects:
 * - unit: pure code (shared, client layer builders, generator, server services without I/O)
 * - db: repository and route tests against both database backends (embedded PGlite and real PostgreSQL)
 * - browser: the built client in Debian Chromium through playwright-core
 * Embedded PGlite takes about 1 GB and one core per instance, so db and browser files run one at a time.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,client,server,scripts}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.db.test.ts', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'db',
          include: ['{server,scripts}/**/*.db.test.ts', 'test/harness/**/*.db.test.ts'],
          globalSetup: ['test/setup/db-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/setup/db-global-setup.ts', 'test/setup/build-client.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
