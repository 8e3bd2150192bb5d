/**
 * What the browser benchmarks stand on: the client built, the server over a fresh embedded demo
 * database in a temporary folder (its demo accounts' password DEMO_WALL_PASSWORD), and (startDemoWall)
 * Debian Chromium driven by Playwright with the flags that give it WebGL (NOTES.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../test/support/browser.ts';
import { buildClientIfStale } from '../client/build.ts';
import type { TokenResponse } from '../../shared/src/schemas/auth.ts';
import { inheritedEnv, spawnServer, stopServer, type ServerProcess } from '../support/server-process.ts';

export const DEMO_WALL_PASSWORD = 'bench-password-1';

export interface DemoWall {
  server: ServerProcess;
  browser: Browser;
  /** closes the browser, stops the server and removes its database */
  close(): Promise<void>;
}

export interface DemoServer {
  server: ServerProcess;
  /** stops the server and removes its database */
  close(): Promise<void>;
}

/** The client built and the server over a fresh embedded demo database; `env` is laid over the demo's settings (SIMULATE, say). */
export async function startDemoServer(name: string, env: Record<string, string> = {}): Promise<DemoServer> {
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
  return {
    server,
    close: async () => {
      await stopServer(server);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A demo account's session token. */
export async function signInDemo(serverUrl: string, username: string): Promise<TokenResponse> {
  const res = await fetch(new URL('/api/auth/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_WALL_PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in as ${username}: ${res.status}`);
  return (await res.json()) as TokenResponse;
}

/** The demo server and a Playwright-driven Chromium. */
export async function startDemoWall(name: string, env: Record<string, string> = {}): Promise<DemoWall> {
  const demo = await startDemoServer(name, env);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    server: demo.server,
    browser,
    close: async () => {
      await browser.close();
      await demo.close();
    },
  };
}
