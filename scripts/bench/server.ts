/**
 * Server benchmarks: embedded first start (create PostGIS, migrate, seed) and warm start, then the
 * `grids` items endpoint under autocannon beside a trivial endpoint in the same run.
 * With BENCH_DATABASE_URL, the endpoints are measured on that PostgreSQL too (seeded if empty).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import { describeMachine } from './machine.ts';

const PORT = Number(process.env.BENCH_PORT ?? 3999);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 10;

interface Started {
  child: ChildProcess;
  ms: number;
}

function startServer(env: Record<string, string>): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SIMULATE: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('wall map at')) resolve({ child, ms: Math.round(performance.now() - t0) });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.removeAllListeners('exit');
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function load(url: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  return {
    url: url.replace(`http://127.0.0.1:${PORT}`, ''),
    requestsPerSec: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function endpoints() {
  const base = `http://127.0.0.1:${PORT}`;
  return [
    await load(`${base}/ogc/conformance`),
    await load(`${base}/ogc/collections/grids/items?level=village&limit=100`),
    await load(`${base}/ogc/collections/grids/items?level=unit&limit=1000&bbox=119.10,33.46,119.20,33.54`),
  ];
}

export async function benchServer() {
  const dataDir = path.resolve('.data/bench/pglite');
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(path.dirname(dataDir), { recursive: true });
  const embeddedEnv = { PGLITE_DATA_DIR: dataDir, DATABASE_URL: '' };

  const first = await startServer(embeddedEnv);
  await stop(first.child);
  const warm = await startServer(embeddedEnv);
  const embedded = await endpoints();
  await stop(warm.child);

  let postgres: Awaited<ReturnType<typeof endpoints>> | undefined;
  if (process.env.BENCH_DATABASE_URL) {
    const pg = await startServer({ DATABASE_URL: process.env.BENCH_DATABASE_URL, SEED_DEMO: 'true' });
    postgres = await endpoints();
    await stop(pg.child);
  }
  return {
    embeddedFirstStartMs: first.ms,
    embeddedWarmStartMs: warm.ms,
    autocannon: { connections: CONNECTIONS, durationS: DURATION_S, embedded, postgres },
  };
}

export async function writeResult(name: string, result: unknown): Promise<string> {
  const dir = path.resolve('bench/results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ machine: describeMachine(), ...(result as object) }, null, 2)}\n`,
  );
  return file;
}
