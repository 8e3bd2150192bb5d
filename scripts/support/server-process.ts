/**
 * The real server as a child process (`node --import tsx server/src/server.ts`), for the benchmarks and
 * the tests that kill or restart it: one way to start it, wait for its URL and stop it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const START_TIMEOUT_MS = 120_000;

export interface ServerProcess {
  process: ChildProcess;
  /** `http://127.0.0.1:<port>` as the server printed it */
  url: string;
  /** from spawn to the server listening, ms */
  startMs: number;
  /** everything it has written to stdout and stderr so far */
  output: () => string;
  /** resolves with the exit code or the signal that ended it */
  exited: Promise<number | string | null>;
}

/**
 * Starts the server with exactly `env` (merged over PATH and HOME only, so the caller's environment
 * does not leak in unless passed); resolves once it prints the URL it listens on.
 */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /wall map at (http:\/\/[^\s/]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        const startMs = Math.round(performance.now() - t0);
        resolve({ process: child, url: match[1]!, startMs, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${how}) before listening:\n${output}`));
    });
  });
}

/** The caller's environment as strings (for a server that should see the same settings). */
export function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

/** SIGTERM (a clean shutdown) and wait for the exit. */
export async function stopServer(server: ServerProcess): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  server.process.kill('SIGTERM');
  await server.exited;
}
