/**
 * The planner's service (issue 7): road reach and circles per force, gaps per grid, service districts
 * with their 建标152-2017 verdicts, and hydrant gaps, for the caller's area.
 *
 * What is kept: the land (county and unit grids on a raster; read again after LAND_MAX_AGE_MS and
 * rebuilt when they changed, so an edited grid shows within a minute), each force's painted reach per
 * position and road graph, and each answer until the forces, the road graph or the land change (a
 * station event, a road rebuild); the hydrants until a water-source event. Open hazards are read on
 * every call that needs them.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import type { StationTier } from '../../../../shared/src/domain.ts';
import type {
  CoverageDistricts,
  CoverageGaps,
  CoverageReach,
  CoverageSiting,
  CoverageSitingBody,
  CoverageTotals,
  CoverageWhatIf,
  CoverageWhatIfBody,
  HazardCover,
  HazardCoverList,
  HydrantGaps,
} from '../../../../shared/src/schemas/coverage.ts';
import {
  COVERAGE_RULE,
  HYDRANT_MAX_SPACING_M,
  HYDRANT_PROTECTION_RADIUS_M,
} from '../../../../shared/src/standards.ts';
import { notFound } from '../../errors.ts';
import { dispatchRepository, type ForceRow } from '../dispatch/repo.ts';
import type { LiveCache } from '../events/live-cache.ts';
import { createProgress, type Progress } from '../live/progress.ts';
import type { ProgressStage, ProgressTask } from '../../../../shared/src/schemas/live.ts';
import type { RoutingEngine, Snap } from '../routing/engine.ts';
import type { RoutingService } from '../routing/service.ts';
import { PointBuckets, roadCover, spacingGaps } from './hydrants.ts';
import { haversineM, M_PER_DEG_LAT, mPerDegLon } from '../routing/graph.ts';
import { buildLand, type Land } from './land.ts';
import {
  REACH_TRIM_M,
  addWindow,
  cellWeights,
  circleWindow,
  coverageMasks,
  coverageTotals,
  greedySitingSteps,
  budgetOf,
  compareCircle,
  districtVerdict,
  gapRows,
  paintReach,
  rankGaps,
  reachPolygon,
  serviceDistricts,
  windowPolygon,
  uncoveredByGrid,
  type Reach,
} from './plan.ts';
import { cellAt, cellsKm2, polygons } from './raster.ts';
import { renderReport } from './report.ts';
import { coverageRepository as repo, type HydrantRow } from './repo.ts';
import { tierMinutes } from './service.ts';

/** How long the land (county and unit grids) is kept before it is read again, ms. */
export const LAND_MAX_AGE_MS = 60_000;
/** How far to look for a hydrant from a hazard, m (beyond: none nearby). */
const HAZARD_HYDRANT_SEARCH_M = 1_000;
/** How many sets of switched-off stations keep their masks for the next what-if. */
const WHAT_IF_KEPT = 16;
/** Most spacing gaps listed in one answer (the count covers all). */
export const SPACING_LIST_MAX = 2_000;

/** The stages each planner computation reports its progress in (README "Progress of long computations"). */
export const PLAN_STAGES: Record<ProgressTask, readonly ProgressStage[]> = {
  reach: ['land', 'reach', 'isochrones'],
  gaps: ['land', 'reach', 'gaps'],
  districts: ['land', 'districts'],
  hydrants: ['hydrants'],
  siting: ['land', 'reach', 'candidates', 'greedy'],
  what_if: ['land', 'reach', 'candidates', 'gaps'],
  report: ['land', 'reach', 'isochrones', 'gaps', 'districts', 'hydrants', 'render'],
};
/** A progress nobody listens to: the computation still yields to the event loop between slices. */
const quiet = (task: ProgressTask): Progress => createProgress({ task, stages: PLAN_STAGES[task] });

export interface PlannerOptions {
  forces?: LiveCache<ForceRow[]>;
  /** the municipal hydrants and their statuses, kept current by the event log (read every time when absent) */
  hydrants?: LiveCache<HydrantRow[]>;
  snapMaxM: number;
  /** raster cell, m */
  cellM: number;
  observe?: (name: 'coverage_plan', seconds: number) => void;
}

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const method = (cellM: number) => ({ cellM, trimM: REACH_TRIM_M, turnoutMin: COVERAGE_RULE.turnoutMin });
const tierKey = (tiers: readonly StationTier[] | undefined) => (tiers ? [...tiers].sort().join(',') : '*');

export function createPlannerService(pool: pg.Pool, routing: RoutingService, options: PlannerOptions) {
  let land: { value: Promise<Land>; at: number } | undefined;
  const landVersions = new WeakMap<Land, string>();
  const reaches = new WeakMap<Land, WeakMap<RoutingEngine, Map<string, Reach | null>>>();
  const reachPolygons = new WeakMap<Reach, [number, number][][][]>();
  const hydrantAnswers = new WeakMap<
    object,
    {
      engine: RoutingEngine;
      roadVillages: Map<number, string>;
      byScope: Map<
        string,
        { all: HydrantRow[]; inService: HydrantRow[]; edge: (e: number) => boolean; answer: HydrantGaps }
      >;
    }
  >();
  /** answers until the land, the graph or the forces change */
  let answers:
    { land: Land; engine: RoutingEngine; forces: ForceRow[]; byKey: Map<string, unknown> } | undefined;

  let roadVillages: { value: Promise<Map<number, string>>; at: number } | undefined;
  /** the village of every road (for the hydrant figures of a town's or village's area) */
  function roadVillagesOf(): Promise<Map<number, string>> {
    if (roadVillages && Date.now() - roadVillages.at < LAND_MAX_AGE_MS) return roadVillages.value;
    const value = repo.roadVillages(pool).then((rows) => new Map(rows.map((r) => [Number(r.id), r.village])));
    roadVillages = { value, at: Date.now() };
    value.catch(() => {
      if (roadVillages?.value === value) roadVillages = undefined;
    });
    return value;
  }

  function loadLand(): Promise<Land> {
    if (land && Date.now() - land.at < LAND_MAX_AGE_MS) return land.value;
    const previous = land;
    const value = Promise.all([repo.county(pool), repo.grids(pool)]).then(async ([county, grids]) => {
      if (!county) throw new Error('no county in admin_area: seed the database first');
      // unchanged grids keep the land built from them (and with it every reach and answer kept)
      const version = createHash('sha1')
        .update(JSON.stringify([county, grids]))
        .digest('hex');
      const before = await previous?.value.catch(() => undefined);
      if (before && landVersions.get(before) === version) return before;
      const built = buildLand(county, grids, options.cellM);
      landVersions.set(built, version);
      return built;
    });
    land = { value, at: Date.now() };
    value.catch(() => {
      if (land?.value === value) land = undefined;
    });
    return value;
  }

  async function context() {
    const [l, engine, forces] = await Promise.all([
      loadLand(),
      routing.engine(),
      options.forces?.get() ?? dispatchRepository.forces(pool),
    ]);
    if (!answers || answers.land !== l || answers.engine !== engine || answers.forces !== forces)
      answers = { land: l, engine, forces, byKey: new Map() };
    return { land: l, engine, forces, byKey: answers.byKey };
  }

  /** Computes once per land, graph and forces (concurrent callers share the computation). */
  function remember<T>(byKey: Map<string, unknown>, key: string, compute: () => Promise<T> | T): Promise<T> {
    let hit = byKey.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = Promise.resolve().then(compute);
      byKey.set(key, hit);
      hit.catch(() => byKey.delete(key));
    }
    return hit;
  }

  function snapOf(engine: RoutingEngine, f: ForceRow): Snap | undefined {
    return engine.snap(f.lon, f.lat, options.snapMaxM);
  }

  function reachOf(l: Land, engine: RoutingEngine, f: ForceRow): Reach | null {
    let byEngine = reaches.get(l);
    if (!byEngine) reaches.set(l, (byEngine = new WeakMap()));
    let cache = byEngine.get(engine);
    if (!cache) byEngine.set(engine, (cache = new Map()));
    const budget = budgetOf(f.tier);
    const key = `${f.lon},${f.lat},${budget}`;
    let r = cache.get(key);
    if (r === undefined) {
      const snap = snapOf(engine, f);
      r = snap ? paintReach(l, engine, snap, budget) : null;
      cache.set(key, r);
    }
    return r;
  }

  /** Every force's reach computed (and kept) a slice at a time, counted in `progress`. */
  async function warmReaches(l: Land, engine: RoutingEngine, forces: ForceRow[], progress: Progress) {
    await progress.stage('reach', forces.length);
    for (const f of forces) {
      reachOf(l, engine, f);
      await progress.step();
    }
  }

  /** The land, the graph and the forces, as the first stage of a computation. */
  async function contextIn(progress: Progress) {
    await progress.stage('land');
    const c = await context();
    await progress.step();
    return c;
  }

  /** A value kept with the answers (until the land, the graph or the forces change). */
  function remembered<T>(byKey: Map<string, unknown>, key: string, compute: () => T): T {
    if (!byKey.has(key)) byKey.set(key, compute());
    return byKey.get(key) as T;
  }

  /** The reach of a proposed site, kept per position (siting tries the same road nodes again). */
  function placedReach(l: Land, engine: RoutingEngine, snap: Snap, budget: number): Reach {
    let byEngine = reaches.get(l);
    if (!byEngine) reaches.set(l, (byEngine = new WeakMap()));
    let cache = byEngine.get(engine);
    if (!cache) byEngine.set(engine, (cache = new Map()));
    const key = `site|${snap.edge}|${snap.fraction}|${budget}`;
    let r = cache.get(key);
    if (!r) {
      r = paintReach(l, engine, snap, budget);
      cache.set(key, r);
    }
    return r;
  }

  const chosen = (forces: ForceRow[], tiers: readonly StationTier[] | undefined) =>
    forces.filter((f) => !tiers || tiers.includes(f.tier));

  /** Frame-sized masks of road reach and circles over the chosen forces (planned: every status). */
  const masks = (l: Land, engine: RoutingEngine, forces: ForceRow[]) =>
    coverageMasks(l, forces, (f) => reachOf(l, engine, f));

  /** The masks of every force, kept with the answers. */
  const everyForceMasks = (c: Awaited<ReturnType<typeof context>>) =>
    remember(c.byKey, `masks|${tierKey(undefined)}`, () => ({
      ...masks(c.land, c.engine, c.forces),
      uncovered: new Map<string, unknown>(),
    }));

  /** The area's people and land within reach by road and by circle. */
  const totals = (l: Land, scope: string, byRoad: Uint8Array, byCircle: Uint8Array): CoverageTotals =>
    coverageTotals(l, byRoad, byCircle, (u) => l.units[u]!.admin.startsWith(scope));

  const timed = async <T extends { computeMs: number }>(work: () => Promise<T>) => {
    const t0 = performance.now();
    const answer = await work();
    options.observe?.('coverage_plan', (performance.now() - t0) / 1000);
    return answer;
  };

  return {
    /** Each force's road reach beside its circle, and the area's totals. */
    reach(
      principal: Principal,
      tiers?: readonly StationTier[],
      progress = quiet('reach'),
    ): Promise<CoverageReach> {
      return timed(async () => {
        const { land: l, engine, forces, byKey } = await contextIn(progress);
        return remember(byKey, `reach|${principal.scope}|${tierKey(tiers)}`, async () => {
          const t0 = performance.now();
          await warmReaches(l, engine, chosen(forces, tiers), progress);
          const mine = chosen(forces, tiers).filter((f) => f.village_code.startsWith(principal.scope));
          await progress.stage('isochrones', mine.length);
          const list = [];
          for (const f of mine) {
            const r = reachOf(l, engine, f);
            let polygon = r ? reachPolygons.get(r) : undefined;
            if (r && !polygon) reachPolygons.set(r, (polygon = reachPolygon(l, r)));
            await progress.step();
            list.push({
              id: f.code,
              name: f.name,
              tier: f.tier,
              stationClass: f.station_class ?? null,
              status: f.status,
              minutes: tierMinutes(f.tier),
              driveS: budgetOf(f.tier),
              ...compareCircle(l, f, r),
              reach: polygon ? { type: 'MultiPolygon' as const, coordinates: polygon } : null,
            });
          }
          const { byRoad, byCircle } = masks(l, engine, chosen(forces, tiers));
          return {
            scope: principal.scope,
            computedAt: new Date().toISOString(),
            computeMs: round(performance.now() - t0, 1),
            method: method(l.frame.cellM),
            totals: totals(l, principal.scope, byRoad, byCircle),
            forces: list,
          };
        });
      });
    },

    /** Gaps per town, village or unit grid, ranked, with the uncovered land as polygons. */
    gaps(
      principal: Principal,
      level: 'town' | 'village' | 'unit',
      tiers?: readonly StationTier[],
      progress = quiet('gaps'),
    ): Promise<CoverageGaps> {
      return timed(async () => {
        const { land: l, engine, forces, byKey } = await contextIn(progress);
        // hazards change all day: read every time, the rest is kept
        const [enterprises, hazards] = await Promise.all([
          remember(byKey, 'enterprises', () => repo.enterprises(pool)),
          repo.openHazards(pool),
        ]);
        const t0 = performance.now();
        const base = await remember(byKey, `masks|${tierKey(tiers)}`, async () => {
          await warmReaches(l, engine, chosen(forces, tiers), progress);
          const m = masks(l, engine, chosen(forces, tiers));
          return { ...m, uncovered: new Map<string, unknown>() };
        });
        await progress.stage('gaps');
        const rows = rankGaps(
          gapRows(l, { byRoad: base.byRoad, byCircle: base.byCircle, enterprises, hazards }, level).filter(
            (r) => r.admin.startsWith(principal.scope),
          ),
        );
        let uncovered = base.uncovered.get(principal.scope) as [number, number][][][] | undefined;
        if (!uncovered) {
          const inScope = l.units.map((u) => u.admin.startsWith(principal.scope));
          uncovered = polygons(
            l.frame,
            (_, i) =>
              l.inArea[i] === 1 &&
              base.byRoad[i] === 0 &&
              l.unitOf[i]! >= 0 &&
              inScope[l.unitOf[i]!] === true,
            5,
          );
          base.uncovered.set(principal.scope, uncovered);
        }
        return {
          scope: principal.scope,
          level,
          computedAt: new Date().toISOString(),
          computeMs: round(performance.now() - t0, 1),
          method: method(l.frame.cellM),
          totals: totals(l, principal.scope, base.byRoad, base.byCircle),
          rows,
          uncovered: { type: 'MultiPolygon', coordinates: uncovered },
        };
      });
    },

    /** The gap table as a GeoJSON FeatureCollection: each grid's row, its uncovered land as geometry. */
    async gapFeatures(
      principal: Principal,
      level: 'town' | 'village' | 'unit',
      tiers?: readonly StationTier[],
      progress = quiet('gaps'),
    ) {
      const gaps = await this.gaps(principal, level, tiers, progress);
      const { land: l, byKey } = await context();
      const base = (await byKey.get(`masks|${tierKey(tiers)}`)) as
        { byRoad: Uint8Array; uncovered: Map<string, unknown> } | undefined;
      const key = `${principal.scope}|${level}`;
      let shapes = base?.uncovered.get(key) as Map<string, [number, number][][][]> | undefined;
      if (!shapes) {
        shapes = base
          ? uncoveredByGrid(l, base.byRoad, level, new Set(gaps.rows.map((r) => r.code)))
          : new Map<string, [number, number][][][]>();
        base?.uncovered.set(key, shapes);
      }
      return {
        type: 'FeatureCollection' as const,
        properties: {
          scope: gaps.scope,
          level,
          computedAt: gaps.computedAt,
          method: gaps.method,
          totals: gaps.totals,
        },
        features: gaps.rows.map((row) => ({
          type: 'Feature' as const,
          id: row.code,
          properties: row,
          geometry: { type: 'MultiPolygon' as const, coordinates: shapes.get(row.code) ?? [] },
        })),
      };
    },

    /** Service districts (the force that reaches first), with 建标152-2017 verdicts for rescue stations. */
    districts(
      principal: Principal,
      tiers: readonly StationTier[] = ['rescue_station'],
      progress = quiet('districts'),
    ): Promise<CoverageDistricts> {
      return timed(async () => {
        const { land: l, engine, forces, byKey } = await contextIn(progress);
        await progress.stage('districts');
        return remember(byKey, `districts|${principal.scope}|${tierKey(tiers)}`, () => {
          const t0 = performance.now();
          const all = chosen(forces, tiers);
          const placed = all
            .map((f) => ({ f, snap: snapOf(engine, f) }))
            .filter((p): p is { f: ForceRow; snap: Snap } => p.snap !== undefined);
          const { figures } = serviceDistricts(
            l,
            engine,
            placed.map((p) => p.snap),
          );
          const assigned = figures.reduce((n, d) => n + d.cells, 0);
          const districts = figures
            .filter((d) => placed[d.force]!.f.village_code.startsWith(principal.scope))
            .map((d) => {
              const f = placed[d.force]!.f;
              return {
                id: f.code,
                name: f.name,
                tier: f.tier,
                stationClass: f.station_class ?? null,
                areaKm2: d.areaKm2,
                edgeDriveS: d.edgeDriveS,
                verdict:
                  f.tier === 'rescue_station' && f.station_class
                    ? districtVerdict(f.station_class, d.areaKm2, d.edgeDriveS, COVERAGE_RULE.turnoutMin)
                    : null,
                district: d.window
                  ? { type: 'MultiPolygon' as const, coordinates: windowPolygon(d.window) }
                  : null,
              };
            });
          return {
            scope: principal.scope,
            computedAt: new Date().toISOString(),
            computeMs: round(performance.now() - t0, 1),
            method: method(l.frame.cellM),
            districts,
            unassignedKm2: round(cellsKm2(l.frame, l.areaCells - assigned), 3),
          };
        });
      });
    },

    /** Where k new stations of a tier would cover the most people (or high-risk enterprises) not yet covered. */
    siting(
      principal: Principal,
      body: CoverageSitingBody,
      progress = quiet('siting'),
    ): Promise<CoverageSiting> {
      return timed(async () => {
        const c = await contextIn(progress);
        const { land: l, engine, byKey } = c;
        const enterprises = await remember(byKey, 'enterprises', () => repo.enterprises(pool));
        const t0 = performance.now();
        await warmReaches(l, engine, c.forces, progress);
        const base = await everyForceMasks(c);
        const inScope = l.units.map((u) => u.admin.startsWith(principal.scope));
        const weights = remembered(byKey, `weights|${principal.scope}`, () =>
          cellWeights(l, enterprises, (u) => inScope[u] === true),
        );
        const points = body.candidates ?? roadNodeCandidates(engine, body.spacingM);
        const budget = budgetOf(body.tier);
        await progress.stage('candidates', points.length);
        const sites: { lon: number; lat: number; reach: Reach | null }[] = [];
        for (const p of points) {
          const snap = engine.snap(p.lon, p.lat, options.snapMaxM);
          sites.push({ ...p, reach: snap ? placedReach(l, engine, snap, budget) : null });
          await progress.step();
        }
        await progress.stage('greedy', body.k);
        const steps = [];
        for (const step of greedySitingSteps(
          l,
          base.byRoad,
          sites.map((c) => c.reach?.window ?? null),
          body.k,
          weights,
          body.objective,
        )) {
          steps.push(step);
          await progress.step();
        }
        const before = totals(l, principal.scope, base.byRoad, base.byCircle);
        let population = before.byRoad.population;
        return {
          scope: principal.scope,
          tier: body.tier,
          objective: body.objective,
          method:
            'greedy maximal covering: each step takes the candidate whose road reach covers the most not yet ' +
            'covered; coverage is monotone submodular, so the k sites cover at least 1 − 1/e ≈ 63% of what ' +
            'the best k candidates could (Nemhauser, Wolsey & Fisher 1978)',
          candidatesTried: sites.length,
          computeMs: round(performance.now() - t0, 1),
          before,
          steps: steps.map((step) => {
            const site = sites[step.candidate]!;
            population += step.gainPopulation;
            return {
              lon: site.lon,
              lat: site.lat,
              gain: { population: round(step.gainPopulation), highRiskEnterprises: round(step.gainHighRisk) },
              population: round(population),
              sharePct: before.population ? round((100 * population) / before.population, 1) : 0,
              reach: { type: 'MultiPolygon' as const, coordinates: reachPolygon(l, site.reach!) },
            };
          }),
        };
      });
    },

    /** Coverage and gaps with proposed stations added and existing ones switched off. */
    whatIf(
      principal: Principal,
      body: CoverageWhatIfBody,
      progress = quiet('what_if'),
    ): Promise<CoverageWhatIf> {
      return timed(async () => {
        const c = await contextIn(progress);
        const { land: l, engine, forces, byKey } = c;
        const [enterprises, hazards] = await Promise.all([
          remember(byKey, 'enterprises', () => repo.enterprises(pool)),
          repo.openHazards(pool),
        ]);
        const t0 = performance.now();
        const unknown = body.remove.findIndex((code) => !forces.some((f) => f.code === code));
        if (unknown >= 0) throw notFound(`no station ${body.remove[unknown]}`, `body.remove.${unknown}`);
        await warmReaches(l, engine, forces, progress);
        const base = await everyForceMasks(c);
        // the masks without the removed forces are kept (a planner toggles the same stations back and
        // forth), the last WHAT_IF_KEPT sets of them (about 1.6 MB each)
        const withoutKey = `masks-without|${[...body.remove].sort().join(',')}`;
        if (!byKey.has(withoutKey)) {
          const kept = [...byKey.keys()].filter((k) => k.startsWith('masks-without|'));
          if (kept.length >= WHAT_IF_KEPT) byKey.delete(kept[0]!);
        }
        const without = await remember(byKey, withoutKey, () =>
          masks(
            l,
            engine,
            forces.filter((f) => !body.remove.includes(f.code)),
          ),
        );
        const after = { byRoad: without.byRoad.slice(), byCircle: without.byCircle.slice() };
        await progress.stage('candidates', body.add.length);
        const added = [];
        for (const p of body.add) {
          const snap = engine.snap(p.lon, p.lat, options.snapMaxM);
          const reach = snap ? placedReach(l, engine, snap, budgetOf(p.tier)) : null;
          if (reach) addWindow(after.byRoad, l.frame.cols, reach.window);
          const circle = circleWindow(l, p);
          addWindow(after.byCircle, l.frame.cols, circle);
          added.push({
            lon: p.lon,
            lat: p.lat,
            tier: p.tier,
            reach: reach ? { type: 'MultiPolygon' as const, coordinates: reachPolygon(l, reach) } : null,
          });
          await progress.step();
        }
        await progress.stage('gaps');
        const inputs = { enterprises, hazards };
        const mine = (r: { admin: string }) => r.admin.startsWith(principal.scope);
        const beforeRows = gapRows(
          l,
          { ...inputs, byRoad: base.byRoad, byCircle: base.byCircle },
          body.level,
        ).filter(mine);
        const afterRows = rankGaps(gapRows(l, { ...inputs, ...after }, body.level).filter(mine));
        const was = new Map(beforeRows.map((r) => [r.code, r.uncoveredPopulation]));
        const changed = afterRows
          .map((r) => ({
            code: r.code,
            name: r.name,
            before: was.get(r.code) ?? 0,
            after: r.uncoveredPopulation,
          }))
          .filter((r) => r.before !== r.after)
          .sort(
            (a, b) =>
              Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || a.code.localeCompare(b.code),
          )
          .slice(0, 20);
        const baseline = totals(l, principal.scope, base.byRoad, base.byCircle);
        const now = totals(l, principal.scope, after.byRoad, after.byCircle);
        return {
          scope: principal.scope,
          computeMs: round(performance.now() - t0, 1),
          baseline,
          totals: now,
          deltaPopulation: round(now.byRoad.population - baseline.byRoad.population),
          added,
          changed,
          rows: afterRows,
        };
      });
    },

    /**
     * Open hazards of the area with what raises their priority: outside every force's road reach, or
     * farther than the hydrant protection radius from an in-service hydrant (GB 50974-2014).
     */
    async hazardCover(principal: Principal): Promise<HazardCoverList> {
      const c = await context();
      const { land: l } = c;
      const [hazards, hydrants] = await Promise.all([
        repo.openHazards(pool),
        options.hydrants?.get() ?? repo.hydrants(pool),
      ]);
      const base = await everyForceMasks(c);
      const inService = hydrants.filter((h) => h.status === 'in_service');
      const buckets = new PointBuckets(inService, 250, l.frame.south);
      const items = hazards
        // who sees a hazard here is who sees it in the hazard loop: the area, and for a department
        // handler only the cases escalated to the department
        .filter(
          (h) =>
            h.village.startsWith(principal.scope) &&
            (principal.role !== 'department_handler' || h.department === principal.department),
        )
        .map((h) => {
          const i = cellAt(l.frame, h.lon, h.lat);
          const outsideReach = i < 0 || base.byRoad[i] === 0;
          let nearest = Infinity;
          for (const w of buckets.near(h.lon, h.lat, HAZARD_HYDRANT_SEARCH_M))
            nearest = Math.min(nearest, haversineM(h.lon, h.lat, w.lon, w.lat));
          const nearestHydrantM = nearest <= HAZARD_HYDRANT_SEARCH_M ? round(nearest, 1) : null;
          const reasons: HazardCover['reasons'] = [];
          if (outsideReach) reasons.push('outside_reach');
          if (nearestHydrantM === null || nearestHydrantM > HYDRANT_PROTECTION_RADIUS_M)
            reasons.push('far_from_water');
          return { id: Number(h.code), raised: reasons.length > 0, reasons, outsideReach, nearestHydrantM };
        })
        .sort((a, b) => b.reasons.length - a.reasons.length || a.id - b.id);
      return { scope: principal.scope, radiusM: HYDRANT_PROTECTION_RADIUS_M, items };
    },

    /** The printable Chinese report of the caller's area (HTML for A4). */
    async report(principal: Principal, progress = quiet('report')): Promise<string> {
      // one part after another, so the progress moves forward (the parts share the cached reaches)
      const areaRead = repo.area(pool, principal.scope);
      areaRead.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
      const reach = await this.reach(principal, undefined, progress);
      const gaps = await this.gaps(principal, 'village', undefined, progress);
      const districts = await this.districts(principal, undefined, progress);
      const hydrants = await this.hydrants(principal, undefined, progress);
      await progress.stage('render');
      const area = await areaRead;
      const shape = area ? (JSON.parse(area.geojson) as { type: string; coordinates: unknown }) : null;
      const boundary = (
        shape?.type === 'Polygon' ? [shape.coordinates] : ((shape?.coordinates as unknown[]) ?? [])
      ) as [number, number][][][];
      const forces = (await (options.forces?.get() ?? dispatchRepository.forces(pool))).filter((f) =>
        f.village_code.startsWith(principal.scope),
      );
      return renderReport({
        areaName: area?.name ?? principal.scope,
        generatedAt: new Date(),
        boundary,
        reach,
        gaps,
        districts,
        hydrants,
        forces,
      });
    },

    /** Roads beyond 150 m of an in-service hydrant, spacing over 120 m, and what one hydrant's loss changes. */
    hydrants(principal: Principal, without?: string, progress = quiet('hydrants')): Promise<HydrantGaps> {
      return timed(async () => {
        await progress.stage('hydrants');
        const [engine, hydrants, roadVillages] = await Promise.all([
          routing.engine(),
          options.hydrants?.get() ?? repo.hydrants(pool),
          roadVillagesOf(),
        ]);
        const t0 = performance.now();
        // the same hydrants (a cached list is replaced when a water source changes) on the same graph
        let known = hydrantAnswers.get(hydrants);
        if (!known || known.engine !== engine || known.roadVillages !== roadVillages)
          hydrantAnswers.set(hydrants, (known = { engine, roadVillages, byScope: new Map() }));
        let base = known.byScope.get(principal.scope);
        if (!base) {
          const all = hydrants.filter((h) => h.village_code.startsWith(principal.scope));
          const inService = all.filter((h) => h.status === 'in_service');
          const ids = engine.graph.edges.id;
          const edge = (e: number) => roadVillages.get(ids[e]!)?.startsWith(principal.scope) ?? false;
          const cover = roadCover(engine, inService, HYDRANT_PROTECTION_RADIUS_M, { edge });
          const gaps = spacingGaps(engine, inService, options.snapMaxM).sort(
            (a, b) => (b.nearestM ?? Infinity) - (a.nearestM ?? Infinity) || a.code.localeCompare(b.code),
          );
          const at = new Map(all.map((h) => [h.code, h]));
          base = {
            all,
            inService,
            edge,
            answer: {
              scope: principal.scope,
              computedAt: new Date().toISOString(),
              computeMs: 0,
              radiusM: HYDRANT_PROTECTION_RADIUS_M,
              spacingM: HYDRANT_MAX_SPACING_M,
              hydrants: { total: all.length, inService: inService.length },
              roads: {
                km: round(cover.roadM / 1000, 3),
                uncoveredKm: round(cover.uncoveredM / 1000, 3),
                uncoveredPct: cover.roadM ? round((100 * cover.uncoveredM) / cover.roadM, 1) : 0,
                uncovered: { type: 'MultiLineString', coordinates: cover.lines },
              },
              spacing: {
                over: gaps.length,
                hydrants: gaps.slice(0, SPACING_LIST_MAX).map((g) => ({
                  id: g.code,
                  lon: at.get(g.code)!.lon,
                  lat: at.get(g.code)!.lat,
                  nearestM: g.nearestM,
                  nearest: g.nearest,
                })),
              },
              without: null,
            },
          };
          base.answer.computeMs = round(performance.now() - t0, 1);
          known.byScope.set(principal.scope, base);
        }
        if (without === undefined) return base.answer;
        const gone = base.all.find((h) => h.code === without);
        if (!gone) throw notFound(`no hydrant ${without} in your area`, 'query.without');
        // before, the road inside its circle was covered (by it); after, whatever the others miss there
        const newly =
          gone.status === 'in_service'
            ? roadCover(
                engine,
                base.inService.filter((h) => h.code !== without),
                HYDRANT_PROTECTION_RADIUS_M,
                { edge: base.edge, within: gone },
              )
            : { uncoveredM: 0, lines: [] };
        return {
          ...base.answer,
          computeMs: round(performance.now() - t0, 1),
          without: {
            id: without,
            newlyUncoveredKm: round(newly.uncoveredM / 1000, 3),
            newlyUncovered: { type: 'MultiLineString', coordinates: newly.lines },
          },
        };
      });
    },
  };
}
export type PlannerService = ReturnType<typeof createPlannerService>;

/** One road node per `spacingM` square (the first met in node order), as siting candidates. */
export function roadNodeCandidates(engine: RoutingEngine, spacingM: number): { lon: number; lat: number }[] {
  const g = engine.graph;
  const { coords, coordStart } = g.edges;
  const seen = new Set<string>();
  const out: { lon: number; lat: number }[] = [];
  const kLat = M_PER_DEG_LAT / spacingM;
  for (let e = 0; e < g.edgeCount; e++) {
    const v = coordStart[e]!;
    const lon = coords[2 * v]!;
    const lat = coords[2 * v + 1]!;
    const kLon = mPerDegLon(lat) / spacingM;
    const key = `${Math.floor(lon * kLon)},${Math.floor(lat * kLat)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ lon, lat });
  }
  return out;
}
