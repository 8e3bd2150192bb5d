/**
 * Keeps one routing engine over the current road network. The graph is built on first use; after
 * that, at most every `refreshMs` a cheap version query (row count and newest row version of `road`)
 * runs in the background, and a changed network is rebuilt (about two seconds for the demo county)
 * while requests keep using the previous graph. `invalidate()` forces a rebuild on the next use.
 */
import type pg from 'pg';
import { congestionFactors } from './congestion.ts';
import { RoutingEngine } from './engine.ts';
import { buildRoadGraph } from './graph.ts';
import { routingRepository as repo } from './repo.ts';

export interface RoutingOptions {
  /** how often to look for road changes, ms */
  refreshMs: number;
  /** apply the time-of-day congestion factors */
  congestion: boolean;
  log?: (msg: string) => void;
}

export interface RoutingStatus {
  edges: number;
  nodes: number;
  builtAt: Date;
  buildMs: number;
  version: string;
}

export function createRoutingService(pool: pg.Pool, options: RoutingOptions) {
  let current: { engine: RoutingEngine; status: RoutingStatus } | undefined;
  let building: Promise<RoutingEngine> | undefined;
  let checkedAt = 0;
  let checking = false;

  async function build(): Promise<RoutingEngine> {
    const started = performance.now();
    const version = await repo.roadVersion(pool);
    const graph = buildRoadGraph(await repo.roadEdges(pool));
    const engine = new RoutingEngine(graph);
    const buildMs = Math.round(performance.now() - started);
    current = {
      engine,
      status: { edges: graph.edgeCount, nodes: graph.nodeCount, builtAt: graph.builtAt, buildMs, version },
    };
    checkedAt = Date.now();
    options.log?.(`routing graph: ${graph.edgeCount} edges, ${graph.nodeCount} nodes in ${buildMs} ms`);
    return engine;
  }

  function rebuild(): Promise<RoutingEngine> {
    building ??= build().finally(() => {
      building = undefined;
    });
    return building;
  }

  /** Looks for road changes in the background; a failure is retried at the next interval. */
  function refreshSoon() {
    if (checking || building || Date.now() - checkedAt < options.refreshMs) return;
    checking = true;
    checkedAt = Date.now();
    repo
      .roadVersion(pool)
      .then((version) => (version !== current?.status.version ? rebuild() : undefined))
      .catch((err: unknown) => options.log?.(`routing refresh failed: ${String(err)}`))
      .finally(() => {
        checking = false;
      });
  }

  return {
    /** The engine over the current network (built on first use). */
    async engine(): Promise<RoutingEngine> {
      if (!current) return rebuild();
      refreshSoon();
      return current.engine;
    },
    /** Rebuilds before the next answer (after a bulk road import, for instance). */
    async invalidate(): Promise<RoutingEngine> {
      current = undefined;
      return rebuild();
    },
    status(): RoutingStatus | undefined {
      return current?.status;
    },
    /** Travel-time multipliers per road class for a dispatch at `when` (all 1 with congestion off). */
    classFactors(when: Date): Float64Array | null {
      return options.congestion ? congestionFactors(when) : null;
    },
  };
}
export type RoutingService = ReturnType<typeof createRoutingService>;
