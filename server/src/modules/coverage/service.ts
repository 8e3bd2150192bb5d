/**
 * Live coverage loss (issue 6): while forces are busy or out of service, which roads, people and
 * high-risk enterprises of the caller's area no longer have an available force within its tier's
 * minutes (5 for rescue stations, full-time teams and joint stations; 3 for micro stations), and which
 * idle force to move up to cover the largest part of that loss.
 *
 * Method: each force's reach is a forward search on the road graph from its snapped position, cut at
 * its tier's minutes less the turnout (drivingBudgetS: the minutes count from the dispatch order), kept per position and graph (a status change costs no search). A road node is
 * covered when some force reaches it; "planned" counts every force, "now" only the available ones,
 * and the loss is planned minus now. Population and area are those of the unit grid a node lies in,
 * shared equally among the grid's nodes; a high-risk (red or orange) enterprise counts at the road
 * node it snaps to. Move-up candidates are the available non-micro forces; each is tried at the home
 * station of every busy or out-of-service force (where cover is missing), and the suggestion is the
 * largest population regained net of what the candidate's own departure uncovers.
 */
import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import type { StationTier } from '../../../../shared/src/domain.ts';
import type { CoverageLive, CoverageMoveUp } from '../../../../shared/src/schemas/coverage.ts';
import {
  MICRO_STATION_RESPONSE_MIN,
  RESCUE_STATION_RESPONSE_MIN,
  drivingBudgetS,
} from '../../../../shared/src/standards.ts';
import type { RoutingEngine, Snap } from '../routing/engine.ts';
import type { RoutingService } from '../routing/service.ts';
import type { LiveCache } from '../events/live-cache.ts';
import { coverageRepository as repo, type ForceStateRow } from './repo.ts';

export const tierMinutes = (tier: StationTier): number =>
  tier === 'micro_station' ? MICRO_STATION_RESPONSE_MIN : RESCUE_STATION_RESPONSE_MIN;

/** Most lost road edges drawn in one answer (the figures always count all of them). */
export const LOST_ROADS_MAX = 20_000;

interface Weights {
  /** per node: the village of its unit grid (null outside every unit grid) */
  village: (string | null)[];
  population: Float64Array;
  areaKm2: Float64Array;
  /** per node: high-risk enterprises snapped to it, with their villages */
  enterprises: Map<number, string[]>;
}

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface CoverageOptions {
  /** the fire forces and their statuses, kept current by the event log (read from the database when absent) */
  forces?: LiveCache<ForceStateRow[]>;
  snapMaxM: number;
  observe?: (name: 'coverage_live', seconds: number) => void;
}

export function createCoverageService(pool: pg.Pool, routing: RoutingService, options: CoverageOptions) {
  const weightsByEngine = new WeakMap<RoutingEngine, Promise<Weights>>();
  const reachByEngine = new WeakMap<RoutingEngine, Map<string, Int32Array | null>>();
  const answered = new WeakMap<object, { engine: RoutingEngine; byScope: Map<string, CoverageLive> }>();

  async function loadWeights(engine: RoutingEngine): Promise<Weights> {
    const g = engine.graph;
    const [grids, nodeGrids, enterprises] = await Promise.all([
      repo.unitGrids(pool),
      repo.nodeGrids(pool),
      repo.highRiskEnterprises(pool),
    ]);
    const gridOf = new Map(grids.map((grid) => [grid.code, grid]));
    const nodesIn = new Map<string, number[]>();
    for (const { node, grid } of nodeGrids) {
      const n = g.nodeIndex.get(Number(node));
      if (n === undefined) continue;
      let list = nodesIn.get(grid);
      if (!list) nodesIn.set(grid, (list = []));
      list.push(n);
    }
    const village: (string | null)[] = new Array<string | null>(g.nodeCount).fill(null);
    const population = new Float64Array(g.nodeCount);
    const areaKm2 = new Float64Array(g.nodeCount);
    for (const [code, nodes] of nodesIn) {
      const grid = gridOf.get(code)!;
      for (const n of nodes) {
        village[n] = grid.village;
        population[n] = grid.population / nodes.length;
        areaKm2[n] = grid.area_km2 / nodes.length;
      }
    }
    const byNode = new Map<number, string[]>();
    for (const e of enterprises) {
      const snap = engine.snap(e.lon, e.lat, options.snapMaxM);
      if (!snap) continue;
      const n = snap.fraction < 0.5 ? g.from[snap.edge]! : g.to[snap.edge]!;
      let list = byNode.get(n);
      if (!list) byNode.set(n, (list = []));
      list.push(e.village);
    }
    return { village, population, areaKm2, enterprises: byNode };
  }

  /** The nodes a force of `tier` standing at (lon, lat) reaches in its minutes; null when it lies off the roads. */
  function reach(engine: RoutingEngine, lon: number, lat: number, tier: StationTier): Int32Array | null {
    let cache = reachByEngine.get(engine);
    if (!cache) reachByEngine.set(engine, (cache = new Map()));
    const budget = drivingBudgetS(tierMinutes(tier));
    const key = `${lon},${lat},${budget}`;
    if (!cache.has(key)) {
      const snap: Snap | undefined = engine.snap(lon, lat, options.snapMaxM);
      cache.set(key, snap ? engine.reachFrom(snap, budget) : null);
    }
    return cache.get(key)!;
  }

  return {
    async live(principal: Principal): Promise<CoverageLive> {
      const engine = await routing.engine();
      let weights = weightsByEngine.get(engine);
      if (!weights) {
        weights = loadWeights(engine);
        weightsByEngine.set(engine, weights);
        // a failed read (the database away for a moment) is tried again by the next call
        weights.catch(() => weightsByEngine.delete(engine));
      }
      const w = await weights;
      const forces = await (options.forces?.get() ?? repo.forces(pool));
      // the same forces (a cached list is replaced when a station changes) on the same graph: the same answer
      let answers = answered.get(forces);
      if (!answers || answers.engine !== engine)
        answered.set(forces, (answers = { engine, byScope: new Map() }));
      const known = answers.byScope.get(principal.scope);
      if (known) return known;
      const answer = compute(engine, w, forces, principal);
      answers.byScope.set(principal.scope, answer);
      return answer;
    },
  };

  function compute(
    engine: RoutingEngine,
    w: Weights,
    forces: ForceStateRow[],
    principal: Principal,
  ): CoverageLive {
    const t0 = performance.now();
    const g = engine.graph;
    const planned = new Uint16Array(g.nodeCount);
    const now = new Uint16Array(g.nodeCount);
    const reaches = new Map<string, Int32Array>();
    for (const force of forces) {
      const nodes = reach(engine, force.lon, force.lat, force.tier);
      if (!nodes) continue;
      reaches.set(force.code, nodes);
      for (const n of nodes) {
        planned[n]!++;
        if (force.status === 'available') now[n]!++;
      }
    }
    const inScope = (n: number) => w.village[n]?.startsWith(principal.scope) ?? false;
    const lost = new Uint8Array(g.nodeCount);
    const figures = {
      plannedPopulation: 0,
      nowPopulation: 0,
      lostPopulation: 0,
      lostAreaKm2: 0,
      lostNodes: 0,
    };
    let totalPopulation = 0;
    for (let n = 0; n < g.nodeCount; n++) {
      if (!inScope(n)) continue;
      totalPopulation += w.population[n]!;
      if (planned[n]! > 0) figures.plannedPopulation += w.population[n]!;
      if (now[n]! > 0) figures.nowPopulation += w.population[n]!;
      if (planned[n]! > 0 && now[n] === 0) {
        lost[n] = 1;
        figures.lostNodes += 1;
        figures.lostPopulation += w.population[n]!;
        figures.lostAreaKm2 += w.areaKm2[n]!;
      }
    }
    let lostEnterprises = 0;
    for (const [n, villages] of w.enterprises)
      if (lost[n]) lostEnterprises += villages.filter((v) => v.startsWith(principal.scope)).length;

    // move up: an available fire engine into the empty station of a busy or out-of-service force
    const vacant = forces.filter((f) => f.status !== 'available' && reaches.has(f.code));
    let best: CoverageMoveUp | null = null;
    if (figures.lostNodes > 0) {
      for (const candidate of forces) {
        if (candidate.status !== 'available' || candidate.tier === 'micro_station') continue;
        const own = reaches.get(candidate.code);
        if (!own) continue;
        let leaves = 0;
        for (const n of own) if (now[n] === 1 && inScope(n)) leaves += w.population[n]!;
        for (const target of vacant) {
          const there = reach(engine, target.lon, target.lat, candidate.tier);
          if (!there) continue;
          let regained = 0;
          for (const n of there) if (lost[n]) regained += w.population[n]!;
          const net = regained - leaves;
          if (net > 0 && (!best || net > best.netPopulation)) {
            best = {
              force: { id: candidate.code, name: candidate.name, tier: candidate.tier },
              to: { id: target.code, name: target.name, lon: target.lon, lat: target.lat },
              regainedPopulation: round(regained),
              uncoveredByLeaving: round(leaves),
              netPopulation: round(net),
            };
          }
        }
      }
    }

    // the lost roads: edges whose both ends lost their cover
    const lines: [number, number][][] = [];
    const { coords, coordStart } = g.edges;
    for (let e = 0; e < g.edgeCount && lines.length < LOST_ROADS_MAX; e++) {
      if (!lost[g.from[e]!] || !lost[g.to[e]!]) continue;
      const line: [number, number][] = [];
      for (let v = coordStart[e]!; v < coordStart[e + 1]!; v++)
        line.push([coords[2 * v]!, coords[2 * v + 1]!]);
      lines.push(line);
    }
    const computeMs = performance.now() - t0;
    options.observe?.('coverage_live', computeMs / 1000);
    const busy = (f: ForceStateRow) => ({ id: f.code, name: f.name, tier: f.tier, status: f.status });
    return {
      scope: principal.scope,
      computedAt: new Date().toISOString(),
      computeMs: round(computeMs, 1),
      unavailable: forces.filter((f) => f.status !== 'available').map(busy),
      population: round(totalPopulation),
      plannedPopulation: round(figures.plannedPopulation),
      nowPopulation: round(figures.nowPopulation),
      lost: {
        population: round(figures.lostPopulation),
        areaKm2: round(figures.lostAreaKm2, 2),
        highRiskEnterprises: lostEnterprises,
        roadNodes: figures.lostNodes,
        roads: { type: 'MultiLineString', coordinates: lines },
      },
      moveUp: best,
    };
  }
}
export type CoverageService = ReturnType<typeof createCoverageService>;
