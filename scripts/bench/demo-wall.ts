/**
 * What the browser benchmarks stand on: the client built, the server over a fresh embedded demo
 * database in a temporary folder (its demo accounts' password DEMO_WALL_PASSWORD), and Debian Chromium
 * with the flags that give it WebGL (NOTES.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../test/support/browser.ts';
import { buildClientIfStale } from '../client/build.ts';
import { inheritedEnv, spawnServer, stopServer, type ServerProcess } from '../support/server-process.ts';

export const DEMO_WALL_PASSWORD = 'bench-password-1';

export interface DemoWall {
  server: ServerProcess;
  browser: Browser;
  /** closes the browser, stops the server and removes its database */
  close(): Promise<void>;
}

/** `env` is laid over the demo's settings (SIMULATE, say). */
export async function startDemoWall(name: string, env: Record<string, string> = {}): Promise<DemoWall> {
  await buildClientIfStale();
  const dir = await mkdtemp(path.join(os.tmpdir(), `gridwatch-bench-${name}-`));
  const server = await spawnServer({
    ...inheritedEnv(),
    DATABASE_URL: '',
    PGLITE_DATA_DIR: path.join(dir, 'pgdata'),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SIMULATE: 'false',
    SEED_DEMO: 'true',
    DEMO_PASSWORD: DEMO_WALL_PASSWORD,
    ...env,
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    server,
    browser,
    close: async () => {
      await browser.close();
      await stopServer(server);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
