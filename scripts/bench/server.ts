/**
 * Server benchmarks: embedded first start (create PostGIS, migrate, seed) and warm start, then the
 * `grids` items endpoint under autocannon beside a trivial endpoint in the same run.
 * With BENCH_DATABASE_URL, the endpoints are measured on that PostgreSQL too (seeded if empty).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import { describeMachine } from './machine.ts';
import { inheritedEnv, spawnServer, stopServer, type ServerProcess } from '../support/server-process.ts';

const PORT = Number(process.env.BENCH_PORT ?? 3999);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 10;

/** The server on PORT with the caller's environment plus `env`. */
function startServer(env: Record<string, string>): Promise<ServerProcess> {
  return spawnServer({
    ...inheritedEnv(),
    PORT: String(PORT),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SIMULATE: 'false',
    ...env,
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
  await stopServer(first);
  const warm = await startServer(embeddedEnv);
  const embedded = await endpoints();
  await stopServer(warm);

  let postgres: Awaited<ReturnType<typeof endpoints>> | undefined;
  if (process.env.BENCH_DATABASE_URL) {
    const pg = await startServer({ DATABASE_URL: process.env.BENCH_DATABASE_URL, SEED_DEMO: 'true' });
    postgres = await endpoints();
    await stopServer(pg);
  }
  return {
    embeddedFirstStartMs: first.startMs,
    embeddedWarmStartMs: warm.startMs,
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
