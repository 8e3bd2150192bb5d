/**
 * The real server as a child process (`node --import tsx server/src/server.ts`) on a test database, for
 * the crash tests: SIGKILL it, start it again on the same database, and follow its live stream.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { LiveEvent } from '../../shared/src/schemas/live.ts';
import { spawnServer, type ServerProcess } from '../../scripts/support/server-process.ts';
import type { TestDatabase } from './databases.ts';
import { TEST_PASSWORD } from './paths.ts';

export type Child = ServerProcess;

/** `node --import tsx server/src/server.ts` on the given database; resolves once it prints its URL. */
export function startChild(
  database: TestDatabase['configOverrides'],
  extraEnv: Record<string, string> = {},
): Promise<Child> {
  return spawnServer({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    CLIENT_DIST: '/nonexistent',
    RATE_LIMIT_PER_MIN: '1000000',
    LOGIN_RATE_LIMIT_PER_MIN: '1000',
    PGLITE_DATA_DIR: database.PGLITE_DATA_DIR,
    ...(database.DATABASE_URL ? { DATABASE_URL: database.DATABASE_URL } : {}),
    ...extraEnv,
  });
}

export async function signIn(url: string, username = 'dispatcher'): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

/** A wall client on `url` resuming after `afterSeq`; its events land in `into`. Resolves once live. */
export async function follow(
  url: string,
  token: string,
  afterSeq: number,
  into: LiveEvent[],
): Promise<Socket> {
  const socket = connect(url, { auth: { token, afterSeq }, transports: ['websocket'], reconnection: false });
  socket.on('events', (batch: LiveEvent[]) => into.push(...batch));
  await new Promise<void>((resolve, reject) => {
    socket.once('subscribed', () => resolve());
    socket.once('connect_error', reject);
    socket.once('reload', (r: unknown) => reject(new Error(`told to reload: ${JSON.stringify(r)}`)));
  });
  return socket;
}
