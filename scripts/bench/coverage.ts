/**
 * `npm run bench:coverage`: the planner's computations on the default county (淮安区), from scratch, on
 * real PostgreSQL with pgRouting in the same run:
 *
 * - reach: every force's reached road nodes within its driving budget (tier minutes less turnout), one
 *   search per force; the total over all forces and the per-force p50/p99;
 * - isochrones and gap statistics: every force's reach painted and traced into polygons, the circles,
 *   the road and circle masks, the gap rows at town, village and unit level, the uncovered polygons and
 *   the totals; and the service districts with their 建标152-2017 verdicts (the land already built);
 * - pgRouting: `pgr_drivingDistance` from each force's node with the same budget, once per force and in
 *   one call per budget with all roots; the agreement of the reached nodes with ours from the same node.
 *
 * Settings: BENCH_DATABASE_URL (PostgreSQL with PostGIS where pgrouting can be created; default: a fresh
 * database through TEST_DATABASE_URL's server, dropped at the end), BENCH_COVERAGE_REPEAT (runs of each
 * of our measures, median kept; 7; the reach of every force, a few milliseconds, at least 31 runs).
 * pgRouting's one call per budget is timed 3 times, median kept. Writes bench/results/coverage.json.
 */
import pg from 'pg';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemo } from '../../server/src/db/seed/seed-demo.ts';
import { buildLand, type Land } from '../../server/src/modules/coverage/land.ts';
import {
  budgetOf,
  compareCircle,
  coverageMasks,
  coverageTotals,
  districtVerdict,
  gapRows,
  paintReach,
  rankGaps,
  reachPolygon,
  serviceDistricts,
  windowPolygon,
} from '../../server/src/modules/coverage/plan.ts';
import { polygons } from '../../server/src/modules/coverage/raster.ts';
import { coverageRepository } from '../../server/src/modules/coverage/repo.ts';
import { dispatchRepository, type ForceRow } from '../../server/src/modules/dispatch/repo.ts';
import { RoutingEngine, type Snap } from '../../server/src/modules/routing/engine.ts';
import { buildRoadGraph } from '../../server/src/modules/routing/graph.ts';
import { pgrEdgesSql } from '../../server/src/modules/routing/pgrouting.ts';
import { routingRepository } from '../../server/src/modules/routing/repo.ts';
import { COVERAGE_RULE } from '../../shared/src/standards.ts';
import { freshPostgres } from './postgres.ts';
import { writeResult } from './server.ts';

const REPEAT = Number(process.env.BENCH_COVERAGE_REPEAT ?? 7);
const REACH_REPEAT = Math.max(REPEAT, 31);
/** pgRouting's one call per budget, repeated (median kept) */
const PGR_REPEAT = 3;
const SNAP_MAX_M = 500;
const CELL_M = 50;

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
function time<T>(work: () => T): [T, number] {
  const t0 = performance.now();
  const value = work();
  return [value, performance.now() - t0];
}

/** Everything the reach and gaps answers compute, from scratch (new reaches, no cache). */
function isochronesAndGaps(
  land: Land,
  engine: RoutingEngine,
  forces: ForceRow[],
  snaps: (Snap | undefined)[],
  enterprises: Awaited<ReturnType<typeof coverageRepository.enterprises>>,
  hazards: Awaited<ReturnType<typeof coverageRepository.openHazards>>,
) {
  let polygonsDrawn = 0;
  const { byRoad, byCircle } = coverageMasks(land, forces, (f) => {
    const snap = snaps[forces.indexOf(f)];
    const reach = snap ? paintReach(land, engine, snap, budgetOf(f.tier)) : null;
    if (reach) polygonsDrawn += reachPolygon(land, reach).length;
    compareCircle(land, f, reach);
    return reach;
  });
  const rows = (['town', 'village', 'unit'] as const).map((level) =>
    rankGaps(gapRows(land, { byRoad, byCircle, enterprises, hazards }, level)),
  );
  const uncovered = polygons(
    land.frame,
    (_, i) => land.inArea[i] === 1 && byRoad[i] === 0 && land.unitOf[i]! >= 0,
    5,
  );
  return { rows, uncovered, polygonsDrawn, totals: coverageTotals(land, byRoad, byCircle) };
}

const { url, drop } = await freshPostgres('coverage');
const pool = new pg.Pool({ connectionString: url, max: 2 });
try {
  await migrate(pool);
  await seedDemo(pool, '320803', { log: () => {} });
  await pool.query('CREATE EXTENSION IF NOT EXISTS pgrouting');

  const [engine, graphMs] = await (async () => {
    const t0 = performance.now();
    const e = new RoutingEngine(buildRoadGraph(await routingRepository.roadEdges(pool)));
    return [e, performance.now() - t0] as const;
  })();
  const landStarted = performance.now();
  const [county, grids] = await Promise.all([
    coverageRepository.county(pool),
    coverageRepository.grids(pool),
  ]);
  const landReadMs = performance.now() - landStarted;
  const [land, landBuildMs] = time(() => buildLand(county!, grids, CELL_M));
  const forces = await dispatchRepository.forces(pool);
  const enterprises = await coverageRepository.enterprises(pool);
  const hazards = await coverageRepository.openHazards(pool);
  const snaps = forces.map((f) => engine.snap(f.lon, f.lat, SNAP_MAX_M));
  console.log(
    `${engine.graph.edgeCount} edges, ${forces.length} forces, raster ${land.frame.cols}×${land.frame.rows} of ${CELL_M} m`,
  );

  // ours: the reach of every force (nodes only)
  const reachTotals: number[] = [];
  const perForce: number[] = [];
  // the reach takes milliseconds: many more runs than the heavier measures, for a steady median
  for (let r = 0; r < REACH_REPEAT + 1; r++) {
    let total = 0;
    forces.forEach((f, i) => {
      const snap = snaps[i];
      if (!snap) return;
      const [, ms] = time(() => engine.reachFrom(snap, budgetOf(f.tier)));
      total += ms;
      if (r > 0) perForce.push(ms);
    });
    if (r > 0) reachTotals.push(total); // the first run warms the JIT
  }

  // ours: isochrones and all gap statistics from scratch, then the districts
  const fullRuns: number[] = [];
  let full: ReturnType<typeof isochronesAndGaps> | undefined;
  for (let r = 0; r < REPEAT; r++) {
    const [value, ms] = time(() => isochronesAndGaps(land, engine, forces, snaps, enterprises, hazards));
    full = value;
    fullRuns.push(ms);
  }
  const rescue = forces.filter((f) => f.tier === 'rescue_station');
  const rescueSnaps = rescue.map((f) => engine.snap(f.lon, f.lat, SNAP_MAX_M)!);
  const districtRuns: number[] = [];
  let verdicts: { code: string; areaKm2: number; edgeMinutes: number; pass: boolean }[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const [value, ms] = time(() => {
      const { figures } = serviceDistricts(land, engine, rescueSnaps);
      return figures.map((d) => {
        if (d.window) windowPolygon(d.window);
        const f = rescue[d.force]!;
        const v = districtVerdict(f.station_class!, d.areaKm2, d.edgeDriveS, COVERAGE_RULE.turnoutMin);
        return { code: f.code, areaKm2: d.areaKm2, edgeMinutes: v.edge.minutes, pass: v.pass };
      });
    });
    verdicts = value;
    districtRuns.push(ms);
  }

  // pgRouting: from each force's node (the nearer end of its edge), the same budget
  const g = engine.graph;
  const starts = forces
    .map((f, i) => {
      const snap = snaps[i];
      if (!snap) return undefined;
      const atFrom = snap.fraction < 0.5;
      return {
        force: f,
        node: atFrom ? g.from[snap.edge]! : g.to[snap.edge]!,
        snap: { ...snap, fraction: atFrom ? 0 : 1 },
        budget: budgetOf(f.tier),
      };
    })
    .filter((s) => s !== undefined);
  let agree = 0;
  let pgrPerForceMs = 0;
  let oursFromNodesMs = 0;
  const pgrCalls: number[] = [];
  for (const s of starts) {
    const [ours, oursMs] = time(() => engine.reachFrom(s.snap, s.budget));
    oursFromNodesMs += oursMs;
    const t0 = performance.now();
    const { rows } = await pool.query<{ node: number; agg_cost: number }>(
      `SELECT node::float8 AS node, agg_cost FROM pgr_drivingDistance($1, $2::bigint, $3::float8, directed => true)`,
      [pgrEdgesSql(), g.nodeId[s.node]!, s.budget],
    );
    const ms = performance.now() - t0;
    pgrPerForceMs += ms;
    pgrCalls.push(ms);
    const theirs = new Set(rows.filter((r) => r.agg_cost < s.budget - 1e-6).map((r) => r.node));
    const atLimit = new Set(rows.filter((r) => r.agg_cost >= s.budget - 1e-6).map((r) => r.node));
    const mine = new Set([...ours].map((n) => g.nodeId[n]!));
    const same =
      [...theirs].every((n) => mine.has(n)) && [...mine].every((n) => theirs.has(n) || atLimit.has(n));
    if (same) agree++;
  }
  // one call per budget with all its roots; the calls for every budget timed together, PGR_REPEAT times
  const pgrOneCallRuns: number[] = [];
  for (let r = 0; r < PGR_REPEAT; r++) {
    let total = 0;
    for (const budget of [...new Set(starts.map((s) => s.budget))]) {
      const roots = [...new Set(starts.filter((s) => s.budget === budget).map((s) => g.nodeId[s.node]!))];
      const t0 = performance.now();
      await pool.query(
        `SELECT count(*) FROM pgr_drivingDistance($1, $2::bigint[], $3::float8, directed => true)`,
        [pgrEdgesSql(), roots, budget],
      );
      total += performance.now() - t0;
    }
    pgrOneCallRuns.push(total);
  }
  const pgrOneCallMs = median(pgrOneCallRuns);

  const reachAllMs = median(reachTotals);
  const result = {
    county: '淮安区 (320803)',
    edges: g.edgeCount,
    nodes: g.nodeCount,
    forces: forces.length,
    cellM: CELL_M,
    raster: `${land.frame.cols}×${land.frame.rows}`,
    graphLoadAndBuildMs: round(graphMs),
    landReadMs: round(landReadMs),
    landBuildMs: round(landBuildMs),
    ours: {
      reachEveryForceMs: round(reachAllMs),
      reachPerForce: { p50Ms: round(percentile(perForce, 50), 3), p99Ms: round(percentile(perForce, 99), 3) },
      isochronesAndGapsMs: round(median(fullRuns)),
      districtsMs: round(median(districtRuns)),
      reachFromNodesMs: round(oursFromNodesMs),
    },
    pgRouting: {
      perForceTotalMs: round(pgrPerForceMs),
      perForce: { p50Ms: round(percentile(pgrCalls, 50)), p99Ms: round(percentile(pgrCalls, 99)) },
      oneCallPerBudgetMs: round(pgrOneCallMs),
      oneCallPerBudgetRunsMs: pgrOneCallRuns.map((x) => round(x)),
    },
    speedup: {
      perForceCalls: Math.round(pgrPerForceMs / oursFromNodesMs),
      oneCall: Math.round(pgrOneCallMs / reachAllMs),
    },
    agreement: { forces: starts.length, sameReachedNodes: agree },
    figures: {
      population: full!.totals.population,
      byRoadPct: full!.totals.byRoad.sharePct,
      byCirclePct: full!.totals.byCircle.sharePct,
      gapRows: { town: full!.rows[0]!.length, village: full!.rows[1]!.length, unit: full!.rows[2]!.length },
      uncoveredPolygons: full!.uncovered.length,
      districts: verdicts,
    },
  };
  console.table({
    'reach of every force (ms)': result.ours.reachEveryForceMs,
    'reach per force p50 / p99 (ms)': `${result.ours.reachPerForce.p50Ms} / ${result.ours.reachPerForce.p99Ms}`,
    'isochrones + all gap statistics (ms)': result.ours.isochronesAndGapsMs,
    'districts + verdicts (ms)': result.ours.districtsMs,
    'pgRouting, one call per force, total (ms)': result.pgRouting.perForceTotalMs,
    'pgRouting, one call per budget (ms)': result.pgRouting.oneCallPerBudgetMs,
    'speed-up (per-force calls)': `${result.speedup.perForceCalls}×`,
    'speed-up (one call)': `${result.speedup.oneCall}×`,
    'same reached nodes': `${agree} of ${starts.length}`,
    'people within reach by road / circle': `${result.figures.byRoadPct}% / ${result.figures.byCirclePct}%`,
  });
  console.log(`written ${await writeResult('coverage', result)}`);
} finally {
  await pool.end();
  await drop();
}
