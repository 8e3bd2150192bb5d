/**
 * `npm run bench:patrol`: how many GPS fixes a second the server accepts, through JSON batches
 * (POST /api/positions) and through the OsmAnd protocol (GET /osmand, one fix a request), on real
 * PostgreSQL and on the embedded backend. The server runs in this process (startServer, as `npm start`
 * does); WORKERS concurrent senders, each with its own devices (a device's fixes are serialised by the
 * server), walk around a unit grid a metre or so per fix.
 *
 * Settings: BENCH_PATROL_DURATION_S (10 per phase), BENCH_PATROL_WORKERS (4), BENCH_PATROL_BATCH (100),
 * BENCH_PATROL_BACKENDS (postgres,embedded). Writes bench/results/patrol.json.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { centroid } from '@turf/turf';
import type { PositionAnswer } from '../../shared/src/schemas/patrol.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';
import { freshPostgres } from './postgres.ts';
import { writeResult } from './server.ts';

const DURATION_S = Number(process.env.BENCH_PATROL_DURATION_S ?? 10);
const WORKERS = Number(process.env.BENCH_PATROL_WORKERS ?? 4);
const BATCH = Number(process.env.BENCH_PATROL_BATCH ?? 100);
const BACKENDS = (process.env.BENCH_PATROL_BACKENDS ?? 'postgres,embedded').split(',');
const DEVICES_PER_WORKER = 5;
const PASSWORD = 'bench-password-1';

interface Device {
  trackerId: string;
  token: string;
  lon: number;
  lat: number;
  /** fix times move forward one second a fix, from a few hours ago (never into the future) */
  nextMs: number;
}

interface Phase {
  fixesPerS: number;
  requestsPerS: number;
  accepted: number;
  failed: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!)
    : 0;

async function call<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  const res = await fetch(url, { ...init, headers });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** One fix: a step of about a metre in a random direction. */
function step(d: Device): { lon: number; lat: number; fixAt: string } {
  const angle = Math.random() * 2 * Math.PI;
  d.lon += Math.cos(angle) * 1e-5;
  d.lat += Math.sin(angle) * 1e-5;
  const fixAt = new Date(d.nextMs).toISOString();
  d.nextMs += 1000;
  return { lon: Number(d.lon.toFixed(7)), lat: Number(d.lat.toFixed(7)), fixAt };
}

async function devices(server: RunningServer, tag: string): Promise<Device[][]> {
  const { token } = await call<{ token: string }>(`${server.url}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const users = await call<Array<{ id: number; username: string }>>(`${server.url}/api/users`, { token });
  const member = users.find((u) => u.username === 'grid_member')!;
  const grids = await call<{ features: GeoJSON.Feature<GeoJSON.MultiPolygon>[] }>(
    `${server.url}/ogc/collections/grids/items?level=unit&limit=1`,
    { token },
  );
  const [lon, lat] = centroid(grids.features[0]!).geometry.coordinates as [number, number];
  const out: Device[][] = [];
  for (let w = 0; w < WORKERS; w++) {
    const own: Device[] = [];
    for (let i = 0; i < DEVICES_PER_WORKER; i++) {
      const trackerId = `bench-${tag}-${w}-${i}`;
      const issued = await call<{ token: string }>(`${server.url}/api/devices`, {
        method: 'POST',
        token,
        body: JSON.stringify({ name: trackerId, userId: member.id, trackerId }),
      });
      own.push({ trackerId, token: issued.token, lon, lat, nextMs: Date.now() - 6 * 3_600_000 });
    }
    out.push(own);
  }
  return out;
}

/** Runs `send` from every worker for DURATION_S; each call returns how many fixes were accepted. */
async function phase(workers: Device[][], send: (d: Device) => Promise<number>): Promise<Phase> {
  const latencies: number[] = [];
  let accepted = 0;
  let failed = 0;
  let requests = 0;
  const t0 = performance.now();
  const end = t0 + DURATION_S * 1000;
  await Promise.all(
    workers.map(async (own) => {
      for (let i = 0; performance.now() < end; i++) {
        const started = performance.now();
        try {
          // not `accepted += await …`: that reads `accepted` before the await and loses the other workers' counts
          const n = await send(own[i % own.length]!);
          accepted += n;
        } catch {
          failed += 1;
        }
        requests += 1;
        latencies.push(performance.now() - started);
      }
    }),
  );
  const elapsedS = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    fixesPerS: Math.round(accepted / elapsedS),
    requestsPerS: Math.round(requests / elapsedS),
    accepted,
    failed,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
  };
}

async function runOne(backend: string, server: RunningServer) {
  const [forBatches, forOsmand] = [await devices(server, 'batch'), await devices(server, 'osmand')];
  const batches = await phase(forBatches, async (d) => {
    const positions = Array.from({ length: BATCH }, () => step(d));
    const answer = await call<PositionAnswer>(`${server.url}/api/positions`, {
      method: 'POST',
      token: d.token,
      body: JSON.stringify({ positions }),
    });
    return answer.accepted;
  });
  const osmand = await phase(forOsmand, async (d) => {
    const f = step(d);
    const query = `id=${d.trackerId}&lat=${f.lat}&lon=${f.lon}&timestamp=${Date.parse(f.fixAt)}&speed=0.7&bearing=90`;
    return (await call<PositionAnswer>(`${server.url}/osmand?${query}`)).accepted;
  });
  const result = { backend, batches, osmand };
  console.log(JSON.stringify(result));
  return result;
}

const quiet = () => {};
const common = {
  PORT: 0,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn' as const,
  SIMULATE: false,
  SEED_DEMO: true,
  DEMO_PASSWORD: PASSWORD,
  RATE_LIMIT_PER_MIN: 100_000_000,
  PATROL_BATCH_MAX: Math.max(BATCH, 500),
};
const results = [];
for (const backend of BACKENDS) {
  if (backend === 'postgres') {
    const db = await freshPostgres('patrol');
    const server = await startServer({ ...common, DATABASE_URL: db.url }, quiet);
    try {
      results.push(await runOne(backend, server));
    } finally {
      await server.close();
      await db.drop();
    }
  } else if (backend === 'embedded') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridwatch-bench-patrol-'));
    const server = await startServer({ ...common, PGLITE_DATA_DIR: path.join(dir, 'pgdata') }, quiet);
    try {
      results.push(await runOne(backend, server));
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
}
console.table(
  results.flatMap((r) =>
    (['batches', 'osmand'] as const).map((via) => ({
      backend: r.backend,
      via: via === 'batches' ? `POST /api/positions (${BATCH}/request)` : 'GET /osmand (1/request)',
      'fixes/s': r[via].fixesPerS,
      'requests/s': r[via].requestsPerS,
      'p50 ms': r[via].latencyMs.p50,
      'p95 ms': r[via].latencyMs.p95,
      failed: r[via].failed,
    })),
  ),
);
console.log(
  `written ${await writeResult('patrol', { durationS: DURATION_S, workers: WORKERS, batch: BATCH, results })}`,
);
process.exit(0);
