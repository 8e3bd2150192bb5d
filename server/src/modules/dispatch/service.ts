import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import { ROAD_CLASSES } from '../../../../shared/src/domain.ts';
import type {
  DispatchNearest,
  DispatchNearestQuery,
  DispatchSkipped,
  DispatchStation,
  DispatchScene,
  DispatchWaterSource,
} from '../../../../shared/src/schemas/dispatch.ts';
import { SCENE_ENTERPRISE_RADIUS_M, SCENE_HAZARD_RADIUS_M } from '../../../../shared/src/schemas/dispatch.ts';
import { BOARD_CHECK_INTERVAL_DAYS, HYDRANT_PROTECTION_RADIUS_M } from '../../../../shared/src/standards.ts';
import { HttpError, notFound } from '../../errors.ts';
import { pointToWgs84 } from '../geometry/service.ts';
import type { Dijkstra } from '../routing/dijkstra.ts';
import type { RoutingEngine, Snap } from '../routing/engine.ts';
import { buildForceTree, travelFromTrees, treeSearch, type ForceTree } from '../routing/trees.ts';
import { haversineM } from '../routing/graph.ts';
import type { RoutingService } from '../routing/service.ts';
import type { LiveCache } from '../events/live-cache.ts';
import { dispatchRepository as repo, type ForceRow, type SceneRows } from './repo.ts';

export interface DispatchOptions {
  /** keep a shortest-path tree per force while they take at most this many bytes (0: always search) */
  treesMaxBytes?: number;
  /** the fire forces and their statuses, kept current by the event log (read from the database when absent) */
  forces?: LiveCache<ForceRow[]>;
  /** farthest an incident (or a force, or a water source) may lie from a passable road, m */
  snapMaxM: number;
  /** told how long each search took, seconds (the /metrics histogram) */
  observe?: (name: 'dispatch_search' | 'dispatch_trees', seconds: number) => void;
  /**
   * read the scene through a named prepared statement, planned once per connection: only where each
   * connection is its own session (PostgreSQL; embedded PGlite serves every connection from one session)
   */
  preparedStatements?: boolean;
}

/** A hose lay (or a walk) longer than this along the roads is not worth computing: reported as null. */
export const HOSE_SEARCH_MAX_M = 1000;

const REASONS: Record<string, string> = {
  busy: 'busy: committed to another incident',
  out_of_service: 'out of service',
};

const round1 = (x: number) => Math.round(x * 10) / 10;

function sceneView({ enterprise: e, hazards }: Pick<SceneRows, 'enterprise' | 'hazards'>): DispatchScene {
  return {
    enterprise: e && {
      code: e.code,
      name: e.name,
      category: e.category,
      risk: e.risk,
      distanceM: round1(e.distance_m),
      board:
        e.checked_at === null
          ? null
          : {
              firstResponsible: e.first_responsible!,
              firstResponsiblePhone: e.first_responsible_phone!,
              actualController: e.actual_controller!,
              safetyManager: e.safety_manager!,
              safetyManagerPhone: e.safety_manager_phone!,
              townSupervisor: e.town_supervisor!,
              villageSupervisor: e.village_supervisor!,
              supervisorPhone: e.supervisor_phone!,
              checkedAt: e.checked_at.toISOString(),
              overdue: e.overdue === true,
            },
    },
    openHazards: hazards.map((h) => ({
      id: Number(h.id),
      category: h.category,
      severity: h.severity,
      state: h.state,
      distanceM: round1(h.distance_m),
    })),
  };
}

export function createDispatchService(pool: pg.Pool, routing: RoutingService, options: DispatchOptions) {
  const allForces = () => options.forces?.get() ?? repo.forces(pool);
  /** where each force meets the road, per graph (a force's position rarely changes; its status often does) */
  const snapsByEngine = new WeakMap<RoutingEngine, Map<string, Snap | null>>();
  const snapOf = (engine: RoutingEngine, lon: number, lat: number): Snap | undefined => {
    let snaps = snapsByEngine.get(engine);
    if (!snaps) snapsByEngine.set(engine, (snaps = new Map()));
    const key = `${lon},${lat}`;
    let snap = snaps.get(key);
    if (snap === undefined) {
      snap = engine.snap(lon, lat, options.snapMaxM) ?? null;
      if (snaps.size > 10_000) snaps.clear();
      snaps.set(key, snap);
    }
    return snap ?? undefined;
  };

  /** per graph: each force's shortest-path tree by its position, and whether more are being built */
  const treesByEngine = new WeakMap<
    RoutingEngine,
    { search: Dijkstra; byKey: Map<string, ForceTree>; building: boolean }
  >();
  const treeKey = (s: Snap) => `${s.edge}:${s.fraction}`;
  /**
   * The trees of `snaps` when all are built (null otherwise). Trees are kept for every force's position
   * (`everySnap`, so callers of different areas share them); missing ones are built in the background, a
   * few per tick, while answers keep coming from the search. Off when they would take more than
   * `treesMaxBytes`.
   */
  function treesFor(engine: RoutingEngine, snaps: Snap[], everySnap: Snap[]): ForceTree[] | null {
    const bytes = engine.graph.nodeCount * 12 * everySnap.length;
    if (!options.treesMaxBytes || bytes > options.treesMaxBytes) return null;
    let entry = treesByEngine.get(engine);
    if (!entry)
      treesByEngine.set(
        engine,
        (entry = { search: treeSearch(engine.graph), byKey: new Map(), building: false }),
      );
    const found = snaps.map((s) => entry.byKey.get(treeKey(s)));
    if (found.every((t) => t !== undefined)) return found as ForceTree[];
    if (!entry.building) {
      entry.building = true;
      const wanted = new Set(everySnap.map(treeKey));
      // trees of positions no force stands at any more go first
      for (const key of entry.byKey.keys()) if (!wanted.has(key)) entry.byKey.delete(key);
      const missing = everySnap.filter((s) => !entry.byKey.has(treeKey(s)));
      const step = () => {
        for (const s of missing.splice(0, 2))
          entry.byKey.set(treeKey(s), buildForceTree(engine.graph, entry.search, s));
        if (missing.length) setImmediate(step);
        else entry.building = false;
      };
      setImmediate(step);
    }
    return null;
  }
  /**
   * Per force list and graph (a list lives until a station changes): where every force meets the road,
   * and per area and tiers the forces placed, so a request looks its forces up instead of placing them
   * again; once built, their shortest-path trees are kept with them.
   */
  interface Placed {
    forces: ForceRow[];
    placed: { force: ForceRow; snap: Snap }[];
    snaps: Snap[];
    trees: ForceTree[] | null;
  }
  interface ListPlaces {
    engine: RoutingEngine;
    every: Snap[];
    byArea: Map<string, Placed>;
  }
  const placesOf = new WeakMap<ForceRow[], ListPlaces>();
  function placesFor(engine: RoutingEngine, everyForce: ForceRow[]): ListPlaces {
    let known = placesOf.get(everyForce);
    if (!known || known.engine !== engine) {
      const every = everyForce
        .map((f) => snapOf(engine, f.lon, f.lat))
        .filter((x): x is Snap => x !== undefined);
      placesOf.set(everyForce, (known = { engine, every, byArea: new Map() }));
    }
    return known;
  }
  function placedFor(
    known: ListPlaces,
    everyForce: ForceRow[],
    scope: string,
    tiers?: readonly string[],
  ): Placed {
    const key = `${scope}|${tiers ? [...new Set(tiers)].sort().join(',') : '*'}`; // a few per list
    let entry = known.byArea.get(key);
    if (!entry) {
      const forces = everyForce.filter(
        (f) => f.village_code.startsWith(scope) && (!tiers || tiers.includes(f.tier)),
      );
      const placed: Placed['placed'] = [];
      for (const force of forces) {
        const snap = snapOf(known.engine, force.lon, force.lat);
        if (snap) placed.push({ force, snap });
      }
      entry = { forces, placed, snaps: placed.map((p) => p.snap), trees: null };
      known.byArea.set(key, entry);
    }
    return entry;
  }

  return {
    /**
     * The `limit` fastest available forces in the caller's area driving to the incident, with their
     * routes; the busy or out-of-service ones that would have been faster, and why they were skipped;
     * and the water at the scene. A point off the road network is a 422; outside the caller's area, a 404.
     */
    async nearest(
      principal: Principal,
      query: DispatchNearestQuery,
      now = new Date(),
    ): Promise<DispatchNearest> {
      const [lon, lat] = pointToWgs84(query.lon, query.lat, query.crs);
      const engine = await routing.engine();
      const incident = engine.snap(lon, lat, options.snapMaxM);
      if (!incident)
        throw new HttpError(
          422,
          `no passable road within ${options.snapMaxM} m of (${lon.toFixed(6)}, ${lat.toFixed(6)}) in WGS84: ` +
            'the point is off the road network (the snapping limit is DISPATCH_SNAP_MAX_M)',
          'query.lon',
        );
      // one statement reads the scene; the forces are timed while it runs (the query goes out on the
      // next tick, before the timing starts), and the scope check decides before anything is used
      const sceneRead = repo.atScene(pool, lon, lat, principal.scope, {
        hydrantM: HYDRANT_PROTECTION_RADIUS_M,
        enterpriseM: SCENE_ENTERPRISE_RADIUS_M,
        hazardM: SCENE_HAZARD_RADIUS_M,
        boardDays: BOARD_CHECK_INTERVAL_DAYS,
        prepared: options.preparedStatements === true,
      });
      sceneRead.catch(() => {}); // awaited below; a failure meanwhile is not an unhandled rejection
      const everyForce = await allForces();
      await new Promise((resolve) => setImmediate(resolve));

      const t0 = performance.now();
      const places = placesFor(engine, everyForce);
      const area = placedFor(places, everyForce, principal.scope, query.tier);
      const { forces, placed } = area;
      const classFactor = routing.classFactors(now);
      const eligible = (o: number) => placed[o]!.force.status === 'available';
      // free flow with every force's tree built: lookups; otherwise one reverse search (same times)
      const trees = classFactor === null ? (area.trees ??= treesFor(engine, area.snaps, places.every)) : null;
      const answer = trees
        ? travelFromTrees(engine, incident, trees, { wanted: query.limit, eligible })
        : engine.travelToIncident(incident, area.snaps, { wanted: query.limit, eligible, classFactor });
      options.observe?.(trees ? 'dispatch_trees' : 'dispatch_search', (performance.now() - t0) / 1000);
      const order = placed
        .map((_, i) => i)
        .filter((i) => answer.timeS[i]! < Infinity)
        .sort(
          (a, b) =>
            answer.timeS[a]! - answer.timeS[b]! || placed[a]!.force.code.localeCompare(placed[b]!.force.code),
        );
      const chosen = order.filter((i) => placed[i]!.force.status === 'available').slice(0, query.limit);
      const slowest = chosen.length === query.limit ? answer.timeS[chosen[chosen.length - 1]!]! : Infinity;

      const forceView = (i: number) => {
        const { force } = placed[i]!;
        const { code: id, name, tier, status } = force;
        return { id, name, tier, status, travelTimeS: round1(answer.timeS[i]!) };
      };
      const stations: DispatchStation[] = chosen.map((i) => {
        const { force } = placed[i]!;
        const coordinates = answer.route(i);
        // a force standing at the scene still gets a drawable line
        while (coordinates.length < 2) coordinates.push([incident.lon, incident.lat]);
        return {
          ...forceView(i),
          distanceM: round1(answer.metres[i]!),
          straightLineM: round1(haversineM(force.lon, force.lat, lon, lat)),
          route: { type: 'LineString', coordinates },
        };
      });
      const skipped: DispatchSkipped[] = order
        .filter((i) => placed[i]!.force.status !== 'available' && answer.timeS[i]! < slowest)
        .map((i) => {
          const status = placed[i]!.force.status;
          return { ...forceView(i), reason: REASONS[status] ?? status };
        });

      // everything taken from the search's buffers above, before another request may search again
      const { village, water, ...scene } = await sceneRead;
      if (!village?.startsWith(principal.scope))
        throw notFound('the point lies outside your area', 'query.lon');

      const snaps = water.map((w) => engine.snap(w.lon, w.lat, options.snapMaxM));
      const reachable = snaps.filter((s): s is Snap => s !== undefined);
      const walked = engine.walkingMetres(incident, reachable, HOSE_SEARCH_MAX_M);
      let next = 0;
      const waterSources: DispatchWaterSource[] = [];
      water.forEach((w, i) => {
        const snap = snaps[i];
        const along = snap ? walked[next++]! : Infinity;
        if (w.kind === 'hydrant' && w.status !== 'in_service') return;
        const hose = incident.distanceM + along + (snap?.distanceM ?? 0);
        waterSources.push({
          id: w.code,
          name: w.name,
          kind: w.kind,
          flowLps: w.flow_lps,
          pressureMpa: w.pressure_mpa,
          status: w.status,
          lon: w.lon,
          lat: w.lat,
          straightLineM: round1(w.straight_m),
          hoseDistanceM: Number.isFinite(hose) ? round1(hose) : null,
        });
      });

      const warnings: string[] = [];
      const hydrants = water.filter((w) => w.kind === 'hydrant');
      if (!hydrants.some((w) => w.status === 'in_service'))
        warnings.push(
          `no hydrant in service within ${HYDRANT_PROTECTION_RADIUS_M} m (GB 50974-2014 protection radius)` +
            (hydrants.length ? `: ${hydrants.length} nearby out of service or under repair` : ''),
        );
      const unplaced = forces.length - placed.length;
      if (unplaced > 0)
        warnings.push(
          `${unplaced} force(s) in your area lie farther than ${options.snapMaxM} m from any road and were not timed`,
        );
      if (stations.length < query.limit)
        warnings.push(
          `only ${stations.length} available force(s) can reach the scene (asked for ${query.limit})`,
        );

      const e = incident.edge;
      const { edges } = engine.graph;
      return {
        snapped: {
          lon: incident.lon,
          lat: incident.lat,
          distanceM: round1(incident.distanceM),
          roadId: edges.id[e]!,
          roadName: edges.name[e] ?? null,
          roadClass: ROAD_CLASSES[edges.roadClass[e]!]!,
        },
        stations,
        skipped,
        waterSources,
        warnings,
        scene: sceneView(scene),
        congestion: classFactor !== null,
      };
    },
  };
}
export type DispatchService = ReturnType<typeof createDispatchService>;
