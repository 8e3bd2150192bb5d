/**
 * `npm run bench:dispatch`: nearest forces on the default county and on a generated network of more
 * than 100,000 edges, 1,000 random incidents each, on real PostgreSQL with pgRouting:
 *
 * - ours: the search itself (snap the incident, one reverse search, top 3 available forces with their
 *   routes), p50/p99 per incident; and the same answer from shortest-path trees kept per force;
 * - pgRouting: `pgr_dijkstraCost` from every force's node to the incident's node, the same query at node
 *   level on the same graph in the same run, p50/p99; and the agreement of travel times between the two
 *   (our node-level top 3 against pgRouting's costs for the same forces);
 * - how often the straight-line nearest available force is not the first by road time;
 * - the HTTP answer (county only): `GET /api/dispatch/nearest` through the whole app as `npm start` runs
 *   it on PostgreSQL (auth, schema, the scope, water and scene reads; forces and their trees in memory,
 *   given time to build) by `app.inject`, p50/p99; beside it the p50/p99 of a fixed 1 ms CPU loop timed
 *   just before, which says how steady the machine's CPU was (`cpuSteadiness` in machine.ts).
 *
 * Settings: BENCH_DATABASE_URL (a PostgreSQL with PostGIS where pgrouting can be created; default: a
 * fresh database made through TEST_DATABASE_URL's server, migrated and seeded, dropped at the end),
 * BENCH_DISPATCH_INCIDENTS (1000), BENCH_DISPATCH_PGR (pgRouting queries per network, 1000),
 * BENCH_DISPATCH_GRID (side of the generated grid network, 230 → 105,340 edges).
 * Writes bench/results/dispatch.json.
 */
import pg from 'pg';
import { ROAD_CLASS_SPEED_KMH, ROAD_CLASSES } from '../../shared/src/domain.ts';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { openDatabase } from '../../server/src/db/database.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemo } from '../../server/src/db/seed/seed-demo.ts';
import { ensureDemoAccounts } from '../../server/src/modules/auth/demo-accounts.ts';
import { createAuthService } from '../../server/src/modules/auth/service.ts';
import { RoutingEngine, type Snap } from '../../server/src/modules/routing/engine.ts';
import { buildRoadGraph, haversineM, pointAlong } from '../../server/src/modules/routing/graph.ts';
import { pgrEdgesSql, seededRandom } from '../../server/src/modules/routing/pgrouting.ts';
import { buildForceTree, travelFromTrees, treeSearch } from '../../server/src/modules/routing/trees.ts';
import { routingRepository } from '../../server/src/modules/routing/repo.ts';
import { cpuSteadiness } from './machine.ts';
import { writeResult } from './server.ts';

const INCIDENTS = Number(process.env.BENCH_DISPATCH_INCIDENTS ?? 1000);
const PGR_QUERIES = Number(process.env.BENCH_DISPATCH_PGR ?? 1000);
const GRID_SIDE = Number(process.env.BENCH_DISPATCH_GRID ?? 230);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SNAP_MAX_M = 500;
const TOP = 3;
const PASSWORD = 'bench-password-1';
const DEMO_DISTRICT = '320803';

interface Force {
  code: string;
  lon: number;
  lat: number;
  available: boolean;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
const ms = (x: number) => Math.round(x * 1000) / 1000;
function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50Ms: ms(percentile(sorted, 50)),
    p99Ms: ms(percentile(sorted, 99)),
    maxMs: ms(sorted[sorted.length - 1] ?? NaN),
  };
}

async function withAdmin(sql: string) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** The database the run uses, migrated and seeded, with pgRouting. */
/**
 * The freshly written database settled before anything is timed: statistics and visibility maps made
 * now rather than by autovacuum in the middle of a measurement, and the dirty pages written out.
 */
async function settle(pool: pg.Pool): Promise<void> {
  await pool.query('VACUUM ANALYZE');
  await pool.query('CHECKPOINT').catch(() => {}); // needs a superuser or pg_checkpoint; fine without
}

async function prepareDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  let url = process.env.BENCH_DATABASE_URL;
  let drop = async () => {};
  if (!url) {
    const name = `gridwatch_bench_dispatch_${process.pid}`;
    await withAdmin(`CREATE DATABASE ${name}`);
    const u = new URL(ADMIN_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = () => withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await migrate(pool);
    await seedDemo(pool, DEMO_DISTRICT, { log: () => {} });
    await ensureDemoAccounts(pool, createAuthService(pool, { sign: () => '' }), PASSWORD);
    await pool.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
    await settle(pool);
  } finally {
    await pool.end();
  }
  return { url, drop };
}

/**
 * A grid network of side² nodes about 200 m apart with random road classes (speeds from
 * ROAD_CLASS_SPEED_KMH) and 10% one-way edges, in table bench_road (the shape of road).
 */
async function generateNetwork(pool: pg.Pool, side: number): Promise<void> {
  const speeds = ROAD_CLASSES.map((c) => `('${c}', ${ROAD_CLASS_SPEED_KMH[c]}::float8)`).join(', ');
  await pool.query('DROP TABLE IF EXISTS bench_road');
  await pool.query('SELECT setseed(0.42)');
  await pool.query(
    `CREATE TABLE bench_road AS
     WITH e AS (
       SELECT r, c, c + 1 AS c2, r AS r2 FROM generate_series(0, $1 - 1) r, generate_series(0, $1 - 2) c
       UNION ALL
       SELECT r, c, c AS c2, r + 1 AS r2 FROM generate_series(0, $1 - 2) r, generate_series(0, $1 - 1) c
     ), g AS (
       SELECT (r * $1 + c + 1)::bigint AS source, (r2 * $1 + c2 + 1)::bigint AS target,
              ST_SetSRID(ST_MakeLine(ST_MakePoint(119 + c * 0.0022, 33 + r * 0.0018),
                                     ST_MakePoint(119 + c2 * 0.0022, 33 + r2 * 0.0018)), 4326) AS geom,
              (ARRAY[${ROAD_CLASSES.map((c) => `'${c}'`).join(', ')}])[1 + floor(random() * ${ROAD_CLASSES.length})::int] AS class,
              random() < 0.1 AS oneway
         FROM e
     )
     SELECT row_number() OVER (ORDER BY g.source, g.target)::bigint AS id, g.source, g.target, g.class,
            NULL::text AS name, ST_Length(g.geom::geography) AS length_m,
            ST_Length(g.geom::geography) / (s.speed / 3.6) AS cost_s,
            CASE WHEN g.oneway THEN -1 ELSE ST_Length(g.geom::geography) / (s.speed / 3.6) END AS reverse_cost_s,
            g.geom
       FROM g JOIN (VALUES ${speeds}) AS s(class, speed) ON s.class = g.class`,
    [side],
  );
  await pool.query('CREATE INDEX ON bench_road (id)');
  await pool.query('ANALYZE bench_road');
}

/** Random points near random edges (on the road ±50 m), so each snaps within the limit. */
function randomIncidents(engine: RoutingEngine, count: number, seed: number): [number, number][] {
  const random = seededRandom(seed);
  const g = engine.graph;
  return Array.from({ length: count }, () => {
    const e = Math.floor(random() * g.edgeCount);
    const [lon, lat] = pointAlong(g, e, random());
    return [lon + (random() - 0.5) * 0.001, lat + (random() - 0.5) * 0.0009];
  });
}

/** A snap exactly at the edge end nearest to the snapped point (node-level query, as pgRouting's). */
const atNode = (engine: RoutingEngine, s: Snap): { snap: Snap; node: number } => {
  const g = engine.graph;
  const fraction = s.fraction < 0.5 ? 0 : 1;
  const node = g.nodeId[fraction === 0 ? g.from[s.edge]! : g.to[s.edge]!]!;
  return { snap: { ...s, fraction }, node };
};

function topAvailable(times: Float64Array, forces: Force[]): number[] {
  return forces
    .map((_, i) => i)
    .filter((i) => forces[i]!.available && times[i]! < Infinity)
    .sort((a, b) => times[a]! - times[b]! || a - b)
    .slice(0, TOP);
}

async function benchNetwork(
  name: string,
  pool: pg.Pool,
  table: string,
  forcesOf: (engine: RoutingEngine) => Force[],
) {
  const loadStarted = performance.now();
  const edges = await routingRepository.roadEdges(pool, table);
  const loadMs = performance.now() - loadStarted;
  const buildStarted = performance.now();
  const engine = new RoutingEngine(buildRoadGraph(edges));
  const buildMs = performance.now() - buildStarted;
  const forces = forcesOf(engine);
  const placed = forces.map((f) => engine.snap(f.lon, f.lat, SNAP_MAX_M));
  const kept = forces.filter((_, i) => placed[i]);
  const snaps = placed.filter((s): s is Snap => s !== undefined);
  const incidents = randomIncidents(engine, INCIDENTS, 7);

  // ours: the search itself, as the route does it (snap, one search, top 3 with routes)
  const search = (lon: number, lat: number) => {
    const incident = engine.snap(lon, lat, SNAP_MAX_M);
    if (!incident) return undefined;
    const answer = engine.travelToIncident(incident, snaps, {
      wanted: TOP,
      eligible: (o) => kept[o]!.available,
    });
    const top = topAvailable(answer.timeS, kept);
    for (const i of top) answer.route(i);
    return { incident, top };
  };
  for (const [lon, lat] of incidents.slice(0, 100)) search(lon, lat);
  const ours: number[] = [];
  let straightDiffers = 0;
  let answered = 0;
  for (const [lon, lat] of incidents) {
    const t0 = performance.now();
    const found = search(lon, lat);
    ours.push(performance.now() - t0);
    if (!found?.top.length) continue;
    answered++;
    let nearest = -1;
    let nearestM = Infinity;
    kept.forEach((f, i) => {
      const d = haversineM(f.lon, f.lat, lon, lat);
      if (f.available && d < nearestM) [nearest, nearestM] = [i, d];
    });
    if (nearest !== found.top[0]) straightDiffers++;
  }

  // pgRouting beside ours, node level, same graph, same run
  const edgesSql = pgrEdgesSql(table);
  const pgr: number[] = [];
  const oursNode: number[] = [];
  let compared = 0;
  let within = 0;
  let maxRel = 0;
  let sameTop = 0;
  let queries = 0;
  for (const [lon, lat] of incidents.slice(0, PGR_QUERIES)) {
    const incident = engine.snap(lon, lat, SNAP_MAX_M);
    if (!incident) continue;
    const target = atNode(engine, incident);
    const sources = snaps.map((s) => atNode(engine, s));
    const t0 = performance.now();
    const answer = engine.travelToIncident(
      target.snap,
      sources.map((s) => s.snap),
      { wanted: TOP, eligible: (o) => kept[o]!.available },
    );
    const top = topAvailable(answer.timeS, kept);
    oursNode.push(performance.now() - t0);
    const t1 = performance.now();
    const { rows } = await pool.query<{ s: number; cost: number }>(
      `SELECT start_vid::float8 AS s, agg_cost AS cost
         FROM pgr_dijkstraCost($1, $2::bigint[], $3::bigint, directed => true)`,
      [edgesSql, [...new Set(sources.map((s) => s.node))], target.node],
    );
    pgr.push(performance.now() - t1);
    queries++;
    const theirs = new Map(rows.map((r) => [r.s, r.cost]));
    // pgRouting leaves out the source equal to the target (cost 0)
    const costOf = (i: number) =>
      sources[i]!.node === target.node ? 0 : (theirs.get(sources[i]!.node) ?? Infinity);
    for (const i of top) {
      const expected = costOf(i);
      const rel =
        expected > 0 ? Math.abs(answer.timeS[i]! - expected) / expected : Math.abs(answer.timeS[i]!);
      compared++;
      if (rel <= 0.005) within++;
      maxRel = Math.max(maxRel, rel);
    }
    const theirTop = topAvailable(
      Float64Array.from(kept, (_, i) => costOf(i)),
      kept,
    );
    const timesOf = (list: number[]) => list.map((i) => Math.round(costOf(i) * 1000)).join(',');
    if (timesOf(theirTop) === timesOf(top)) sameTop++;
  }
  // ours with a shortest-path tree kept per force (what the server does once the trees are built)
  const treesStarted = performance.now();
  const treeSearcher = treeSearch(engine.graph);
  const trees = snaps.map((s) => buildForceTree(engine.graph, treeSearcher, s));
  const treesBuildMs = performance.now() - treesStarted;
  const viaTrees = (lon: number, lat: number) => {
    const incident = engine.snap(lon, lat, SNAP_MAX_M);
    if (!incident) return;
    const answer = travelFromTrees(engine, incident, trees, {
      wanted: TOP,
      eligible: (o) => kept[o]!.available,
    });
    for (const i of topAvailable(answer.timeS, kept)) answer.route(i);
  };
  for (const [lon, lat] of incidents.slice(0, 100)) viaTrees(lon, lat);
  const oursTrees: number[] = [];
  for (const [lon, lat] of incidents) {
    const t0 = performance.now();
    viaTrees(lon, lat);
    oursTrees.push(performance.now() - t0);
  }

  const oursSummary = summary(ours);
  const pgrSummary = summary(pgr);
  return {
    name,
    edges: engine.graph.edgeCount,
    nodes: engine.graph.nodeCount,
    forces: kept.length,
    availableForces: kept.filter((f) => f.available).length,
    loadMs: Math.round(loadMs),
    buildMs: Math.round(buildMs),
    incidents: incidents.length,
    answered,
    ours: oursSummary,
    oursWithTrees: {
      ...summary(oursTrees),
      buildMs: Math.round(treesBuildMs),
      megabytes: Math.round((engine.graph.nodeCount * 12 * trees.length) / 1e6),
    },
    oursNodeLevel: summary(oursNode),
    pgRouting: { queries, ...pgrSummary },
    speedupP50: Math.round(pgrSummary.p50Ms / oursSummary.p50Ms),
    speedupP99: Math.round(pgrSummary.p99Ms / oursSummary.p99Ms),
    agreement: {
      compared,
      within0_5pct: compared ? within / compared : NaN,
      maxRelativeDiff: maxRel,
      sameTop3Times: queries ? sameTop / queries : NaN,
    },
    straightLineFirstDiffers: { count: straightDiffers, share: answered ? straightDiffers / answered : NaN },
    engine,
    incidentPoints: incidents,
  };
}

async function benchHttp(url: string, incidents: [number, number][]) {
  // the app as `npm start` runs it on PostgreSQL (its default pool of PG_POOL_MAX connections)
  const config = loadConfig(
    {},
    {
      LOG_LEVEL: 'silent',
      CLIENT_DIST: '/nonexistent',
      RATE_LIMIT_PER_MIN: 100_000_000,
      DATABASE_URL: url,
    },
  );
  const db = await openDatabase({ databaseUrl: url, pgliteDataDir: '', poolMax: config.PG_POOL_MAX });
  const app = await buildApp({ config, db });
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'dispatcher', password: PASSWORD },
    });
    const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
    const get = (lon: number, lat: number) =>
      app.inject({ method: 'GET', url: `/api/dispatch/nearest?lon=${lon}&lat=${lat}&limit=${TOP}`, headers });
    for (const [lon, lat] of incidents.slice(0, 100)) await get(lon, lat);
    // the forces' trees are built in the background after the first answers: give them time
    await new Promise((r) => setTimeout(r, 5_000));
    for (const [lon, lat] of incidents.slice(0, 100)) await get(lon, lat);
    // the same CPU's steadiness just before: a p99 cannot be steadier than the machine
    const steadiness = cpuSteadiness();
    const samples: number[] = [];
    const statuses = new Map<number, number>();
    for (const [lon, lat] of incidents) {
      const t0 = performance.now();
      const res = await get(lon, lat);
      samples.push(performance.now() - t0);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    }
    return { ...summary(samples), statuses: Object.fromEntries(statuses), cpuSteadiness: steadiness };
  } finally {
    await app.close();
    await db.close();
  }
}

const { url, drop } = await prepareDatabase();
const pool = new pg.Pool({ connectionString: url, max: 2 });
try {
  const { rows: stationRows } = await pool.query<Force>(
    `SELECT code, ST_X(geom) AS lon, ST_Y(geom) AS lat, status = 'available' AS available FROM fire_station ORDER BY code`,
  );
  // the demo's forces are all available: a tenth are made busy here (in the engine's input only) so skipping shows
  const county = await benchNetwork('淮安区 (demo county)', pool, 'road', () =>
    stationRows.map((f, i) => ({ ...f, available: f.available && i % 10 !== 3 })),
  );
  console.log(`county done: ours p99 ${county.ours.p99Ms} ms, pgRouting p50 ${county.pgRouting.p50Ms} ms`);
  await settle(pool);
  const http = await benchHttp(url, county.incidentPoints);

  await generateNetwork(pool, GRID_SIDE);
  const generated = await benchNetwork(
    `generated grid ${GRID_SIDE}×${GRID_SIDE}`,
    pool,
    'bench_road',
    (engine) => {
      const random = seededRandom(11);
      return Array.from({ length: 200 }, (_, i) => {
        const [lon, lat] = pointAlong(engine.graph, Math.floor(random() * engine.graph.edgeCount), random());
        return { code: `G${i}`, lon, lat, available: random() >= 0.1 };
      });
    },
  );
  await pool.query('DROP TABLE IF EXISTS bench_road');

  const networks = [county, generated].map(({ engine: _engine, incidentPoints: _points, ...rest }) => rest);
  const result = {
    incidentsPerNetwork: INCIDENTS,
    top: TOP,
    snapMaxM: SNAP_MAX_M,
    networks,
    http: { county: http },
  };
  console.table(
    networks.map((n) => ({
      network: n.name,
      edges: n.edges,
      'build ms': n.buildMs,
      'ours p50 ms': n.ours.p50Ms,
      'ours p99 ms': n.ours.p99Ms,
      'trees p50 ms': n.oursWithTrees.p50Ms,
      'trees p99 ms': n.oursWithTrees.p99Ms,
      'pgRouting p50 ms': n.pgRouting.p50Ms,
      'pgRouting p99 ms': n.pgRouting.p99Ms,
      'speed-up p50': `${n.speedupP50}×`,
      'within 0.5%': `${(n.agreement.within0_5pct * 100).toFixed(1)}%`,
      'straight-line first differs': `${(n.straightLineFirstDiffers.share * 100).toFixed(1)}%`,
    })),
  );
  console.log(
    `HTTP GET /api/dispatch/nearest (county, app.inject): p50 ${http.p50Ms} ms, p99 ${http.p99Ms} ms`,
    http.statuses,
    `(a 1 ms CPU loop just before: p50 ${http.cpuSteadiness.p50Ms} ms, p99 ${http.cpuSteadiness.p99Ms} ms)`,
  );
  console.log(`written ${await writeResult('dispatch', result)}`);
} finally {
  await pool.end();
  await drop();
}
