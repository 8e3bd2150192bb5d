/**
 * `npm run bench:live`: the live stream under load. A server (child process) on real PostgreSQL
 * (BENCH_DATABASE_URL, or a fresh database made through TEST_DATABASE_URL's server) and on the embedded
 * backend; 200 Socket.IO clients subscribed to the county; the simulator sends 1,000 patrol fixes/s (one
 * event each) through POST /api/positions for 60 s. Measured per backend: latency from the event's
 * time stamp (taken inside the committing transaction) to each client, events lost or repeated per
 * client, replay time for 10,000 missed events, server CPU and memory.
 *
 * Settings: BENCH_LIVE_CLIENTS (200), BENCH_LIVE_RATE (1000), BENCH_LIVE_DURATION_S (60),
 * BENCH_LIVE_BACKENDS (postgres,embedded). Writes bench/results/live.json.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { LiveEvent } from '../../shared/src/schemas/live.ts';
import { Simulator } from '../../server/src/simulator/simulator.ts';
import { freshPostgres } from './postgres.ts';
import { writeResult } from './server.ts';
import { inheritedEnv, spawnServer, stopServer, type ServerProcess } from '../support/server-process.ts';

const CLIENTS = Number(process.env.BENCH_LIVE_CLIENTS ?? 200);
const RATE = Number(process.env.BENCH_LIVE_RATE ?? 1000);
const DURATION_S = Number(process.env.BENCH_LIVE_DURATION_S ?? 60);
const BACKENDS = (process.env.BENCH_LIVE_BACKENDS ?? 'postgres,embedded').split(',');
const REPLAY_EVENTS = 10_000;
const PASSWORD = 'bench-password-1';
const PORT = Number(process.env.BENCH_PORT ?? 3998);
/** client processes the wall clients are spread over */
const CLIENT_WORKERS = Number(process.env.BENCH_LIVE_CLIENT_WORKERS ?? 2);
/** how long the clients may take to catch up once the load stops */
const DRAIN_MS = 60_000;

function startServer(env: Record<string, string>): Promise<ServerProcess> {
  return spawnServer({
    ...inheritedEnv(),
    PORT: String(PORT),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SIMULATE: 'false',
    SEED_DEMO: 'true',
    DEMO_PASSWORD: PASSWORD,
    RATE_LIMIT_PER_MIN: '100000000',
    LOGIN_RATE_LIMIT_PER_MIN: '100000',
    ...env,
  });
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
function processUse(pid: number): { cpuS: number; rssMb: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return {
    cpuS: ticks / 100,
    rssMb: Math.round(kb('VmRSS') / 1024),
    peakRssMb: Math.round(kb('VmHWM') / 1024),
  };
}

/** Millisecond histogram up to 60 s: percentiles without keeping every sample. */
class Histogram {
  readonly counts = new Uint32Array(60_001);
  count = 0;
  merge(counts: Uint32Array, count: number) {
    for (let i = 0; i < counts.length; i++) this.counts[i]! += counts[i]!;
    this.count += count;
  }
  add(ms: number) {
    this.counts[Math.min(60_000, Math.max(0, Math.round(ms)))]! += 1;
    this.count += 1;
  }
  percentile(p: number): number {
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let ms = 0; ms < this.counts.length; ms++) {
      seen += this.counts[ms]!;
      if (seen >= rank) return ms;
    }
    return 60_000;
  }
}

async function signIn(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** What a client worker reports at the end: its latency histogram and, per client, what it saw. */
interface WorkerReport {
  counts: Uint32Array;
  count: number;
  /** the client process's event-loop delay while measuring, p99 */
  loopDelayP99Ms: number;
  tallies: { last: number; gaps: number; repeats: number; reloaded: boolean }[];
}

/**
 * The wall clients run in child processes, away from the simulator, so that decoding 200 clients' batches
 * does not starve the load generator. (Child processes rather than worker threads: tsx's loader does not
 * reach worker threads.)
 */
function clientWorkerMain(): void {
  const { url, token, clients } = JSON.parse(process.env.BENCH_LIVE_WORKER!) as {
    url: string;
    token: string;
    clients: number;
  };
  const latency = new Histogram();
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  let measuring = false;
  const tallies: { socket: Socket; last: number; gaps: number; repeats: number; reloaded: boolean }[] = [];
  // every client of this process gets the same events: each one's commit time is read once, not once
  // per client (the measuring must not be what loads the clients)
  const committedAt = new Map<number, number>();
  const committed = (e: LiveEvent) => {
    let t = committedAt.get(e.seq);
    if (t === undefined) {
      t = Date.parse(e.at);
      committedAt.set(e.seq, t);
      if (committedAt.size > 200_000) committedAt.clear();
    }
    return t;
  };
  void (async () => {
    for (let i = 0; i < clients; i++) {
      const socket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
      const tally = { socket, last: 0, gaps: 0, repeats: 0, reloaded: false };
      // the server's slow-client guard: told to reload the snapshot, then disconnected
      socket.on('reload', () => (tally.reloaded = true));
      // …the reload may sit behind the backlog it was sent for: a disconnect by the server is the same
      socket.on('disconnect', (reason) => {
        if (reason === 'io server disconnect') tally.reloaded = true;
      });
      socket.on('events', (batch: LiveEvent[]) => {
        const now = Date.now();
        for (const e of batch) {
          if (e.seq <= tally.last) tally.repeats += 1;
          else if (e.seq !== tally.last + 1) tally.gaps += e.seq - tally.last - 1;
          tally.last = Math.max(tally.last, e.seq);
          if (measuring) latency.add(now - committed(e));
        }
      });
      // live from the seq it subscribed at: the next event it gets must be the one after
      tally.last = await new Promise<number>((resolve, reject) => {
        socket.once('subscribed', (sub: { seq: number }) => resolve(sub.seq));
        socket.once('connect_error', reject);
      });
      tallies.push(tally);
    }
    process.send!({ ready: true });
  })();
  process.on('message', async (m: { measure?: boolean; report?: boolean; drainTo?: number }) => {
    if (m.measure !== undefined) {
      measuring = m.measure;
      if (measuring) loopDelay.enable();
      else loopDelay.disable();
    }
    if (m.drainTo !== undefined) {
      // wait (up to DRAIN_MS) until every connected client has received everything up to the head
      const end = Date.now() + DRAIN_MS;
      while (
        Date.now() < end &&
        tallies.some((t) => !t.reloaded && t.socket.connected && t.last < m.drainTo!)
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      process.send!({ drained: true });
    }
    if (m.report) {
      for (const t of tallies) t.socket.close();
      const report: WorkerReport = {
        counts: latency.counts,
        count: latency.count,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        tallies: tallies.map(({ last, gaps, repeats, reloaded }) => ({ last, gaps, repeats, reloaded })),
      };
      // exit by itself (a profile, when asked for, is written on a normal exit)
      process.send!({ report }, () => process.exit(0));
    }
  });
}

interface ClientPool {
  /** CPU seconds the client processes have used so far */
  cpuS(): number;
  measure(on: boolean): void;
  /** resolves once every client has everything up to `seq` (or the drain time is over) */
  drain(seq: number): Promise<void>;
  report(): Promise<WorkerReport[]>;
}

async function startClients(url: string, token: string): Promise<ClientPool> {
  const sizes = Array.from(
    { length: CLIENT_WORKERS },
    (_, i) => Math.floor(CLIENTS / CLIENT_WORKERS) + (i < CLIENTS % CLIENT_WORKERS ? 1 : 0),
  ).filter((n) => n > 0);
  const workers = sizes.map((clients) =>
    fork(fileURLToPath(import.meta.url), [], {
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.BENCH_LIVE_PROF
          ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_LIVE_PROF]
          : []),
      ],
      serialization: 'advanced',
      env: { ...process.env, BENCH_LIVE_WORKER: JSON.stringify({ url, token, clients }) },
    }),
  );
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
          w.once('message', () => resolve());
        }),
    ),
  );
  return {
    cpuS: () => workers.reduce((sum, w) => sum + processUse(w.pid!).cpuS, 0),
    measure: (on) => workers.forEach((w) => w.send({ measure: on })),
    drain: async (seq) => {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('message', () => resolve());
              w.send({ drainTo: seq });
            }),
        ),
      );
    },
    report: () =>
      Promise.all(
        workers.map(
          (w) =>
            new Promise<WorkerReport>((resolve) => {
              w.removeAllListeners('exit');
              w.once('message', (m: { report: WorkerReport }) => {
                resolve(m.report);
              });
              w.send({ report: true });
            }),
        ),
      ),
  };
}

async function runOne(backend: string, server: ServerProcess) {
  const token = await signIn(server.url, 'county_operator');
  const clients = await startClients(server.url, token);

  const simulator = new Simulator({
    url: server.url,
    admin: { username: 'admin', password: PASSWORD },
    // 50 fixes a second per member, sent as one batch a second: the server's fast path (single-fix
    // requests are bounded by commit latency, see bench:patrol)
    members: Math.min(200, Math.max(1, Math.round(RATE / 50))),
    ratePerS: RATE,
    hazardsPerHour: 0,
    seed: 7,
    prefix: 'bench',
  });
  await simulator.start();
  // warm up for 5 s, then measure
  await new Promise((r) => setTimeout(r, 5_000));
  const cpu0 = processUse(server.process.pid!);
  const clientCpu0 = clients.cpuS();
  const loadCpu0 = process.cpuUsage();
  const t0 = Date.now();
  clients.measure(true);
  await new Promise((r) => setTimeout(r, DURATION_S * 1000));
  await simulator.stop();
  const elapsedS = (Date.now() - t0) / 1000;
  const cpu1 = processUse(server.process.pid!);
  const clientCpuS = clients.cpuS() - clientCpu0;
  const loadCpu = process.cpuUsage(loadCpu0);
  // the last commits' events still reach the clients (their latency counts): wait for them
  await new Promise((r) => setTimeout(r, 500));
  const snapshot = await fetch(`${server.url}/api/live/snapshot`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const headSeq = ((await snapshot.json()) as { seq: number }).seq;
  const drainStart = Date.now();
  await clients.drain(headSeq);
  const drainMs = Date.now() - drainStart;
  clients.measure(false);
  const reports = await clients.report();
  const latency = new Histogram();
  for (const r of reports) latency.merge(r.counts, r.count);
  const tallies = reports.flatMap((r) => r.tallies);

  const head = Math.max(headSeq, ...tallies.map((t) => t.last));
  const kept = tallies.filter((t) => !t.reloaded);
  const reloaded = tallies.length - kept.length;
  const lost = kept.reduce((sum, t) => sum + t.gaps + (head - t.last), 0);
  const repeated = tallies.reduce((sum, t) => sum + t.repeats, 0);

  // replay: a client that missed the last 10,000 events
  const replay = await new Promise<{ ms: number; events: number }>((resolve, reject) => {
    const start = Date.now();
    let events = 0;
    const socket = connect(server.url, {
      auth: { token, afterSeq: Math.max(0, head - REPLAY_EVENTS) },
      transports: ['websocket'],
      reconnection: false,
    });
    socket.on('events', (batch: LiveEvent[]) => (events += batch.length));
    socket.once('subscribed', () => {
      resolve({ ms: Date.now() - start, events });
      socket.close();
    });
    socket.once('reload', (r: unknown) => reject(new Error(`replay refused: ${JSON.stringify(r)}`)));
    socket.once('connect_error', reject);
  });
  const result = {
    backend,
    clients: CLIENTS,
    targetEventsPerS: RATE,
    durationS: DURATION_S,
    fixesAcknowledged: simulator.stats.fixesAcknowledged,
    failedRequests: simulator.stats.requestsFailed,
    eventsPerS: Math.round(latency.count / CLIENTS / elapsedS),
    deliveries: latency.count,
    latencyMs: { p50: latency.percentile(50), p95: latency.percentile(95), p99: latency.percentile(99) },
    lost,
    repeated,
    /** clients the slow-client guard told to reload and disconnected (a wall resumes by seq, or from the snapshot) */
    reloaded,
    /** after the load stopped, until every client had the last event */
    drainMs,
    replay: { events: replay.events, ms: replay.ms },
    server: {
      cpuPercent: Math.round(((cpu1.cpuS - cpu0.cpuS) / elapsedS) * 100),
      rssMb: cpu1.rssMb,
      peakRssMb: cpu1.peakRssMb,
    },
    /** the machine's other busy parts during the measurement (% of one core) */
    clientsCpuPercent: Math.round((clientCpuS / elapsedS) * 100),
    loadGeneratorCpuPercent: Math.round(((loadCpu.user + loadCpu.system) / 1e6 / elapsedS) * 100),
    loadAverage: os.loadavg()[0]!.toFixed(2),
    clientLoopDelayP99Ms: reports.map((r) => Math.round(r.loopDelayP99Ms)),
  };
  console.log(JSON.stringify(result));
  return result;
}

async function main() {
  const results = [];
  for (const backend of BACKENDS) {
    if (backend === 'postgres') {
      const db = await freshPostgres('live');
      const server = await startServer({ DATABASE_URL: db.url });
      try {
        results.push(await runOne(backend, server));
      } finally {
        await stopServer(server);
        await db.drop();
      }
    } else if (backend === 'embedded') {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'gridwatch-bench-live-'));
      const server = await startServer({ PGLITE_DATA_DIR: path.join(dir, 'pgdata') });
      try {
        results.push(await runOne(backend, server));
      } finally {
        await stopServer(server);
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  console.table(
    results.map((r) => ({
      backend: r.backend,
      'events/s': r.eventsPerS,
      'p50 ms': r.latencyMs.p50,
      'p95 ms': r.latencyMs.p95,
      'p99 ms': r.latencyMs.p99,
      lost: r.lost,
      repeated: r.repeated,
      'replay 10k ms': r.replay.ms,
      'server CPU %': r.server.cpuPercent,
      'server RSS MB': r.server.rssMb,
    })),
  );
  console.log(
    `written ${await writeResult('live', { clients: CLIENTS, rate: RATE, durationS: DURATION_S, clientWorkers: CLIENT_WORKERS, results })}`,
  );
  process.exit(0);
}

if (process.env.BENCH_LIVE_WORKER) clientWorkerMain();
else await main();
