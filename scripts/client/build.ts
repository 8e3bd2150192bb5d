/**
 * Builds the client unless dist/client/index.html is newer than every source file it is built from
 * (client/, shared/, vite.config.ts). Used by `npm start` and by the browser tests' globalSetup.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT_INDEX = join(ROOT, 'dist/client/index.html');
const INPUTS = ['client', 'shared', 'vite.config.ts'].map((path) => join(ROOT, path));

/** Newest modification time under `path` (a file or a directory), ms; 0 where it does not exist. */
export function newestMtimeMs(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtimeMs(join(path, entry.name)));
  }
  return newest;
}

export function clientBuildIsFresh(): boolean {
  const built = newestMtimeMs(BUILT_INDEX);
  return built > 0 && INPUTS.every((input) => newestMtimeMs(input) < built);
}

export async function buildClientIfStale(): Promise<void> {
  if (clientBuildIsFresh()) return;
  const started = Date.now();
  // always the production build users get: under vitest NODE_ENV is 'test', which would bundle React's
  // development build (twice the size) into a dist that `npm start` and the benchmarks then reuse
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  console.log(`build-client: vite build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// `tsx scripts/client/build.ts` from npm start
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildClientIfStale();
