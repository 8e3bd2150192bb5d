import { NoQuery } from '../../../../shared/src/schemas/query.ts';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CoverageDistricts,
  CoverageDistrictsQuery,
  CoverageGaps,
  CoverageGapsQuery,
  CoverageLive,
  CoverageReach,
  CoverageReachQuery,
  CoverageSiting,
  CoverageSitingBody,
  CoverageWhatIf,
  CoverageWhatIfBody,
  GAP_CSV_COLUMNS,
  HazardCoverList,
  HazardCover,
  HazardCoverParams,
  HydrantGaps,
  HydrantGapsQuery,
  type CoverageGapRow,
} from '../../../../shared/src/schemas/coverage.ts';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { PROGRESS_HEADER, ProgressHeaders, type ProgressTask } from '../../../../shared/src/schemas/live.ts';
import { notFound } from '../../errors.ts';
import { requirePrincipal } from '../../plugins/authenticate.ts';
import { withProgress, type Progress, type ProgressFactory } from '../live/progress.ts';
import { PLAN_STAGES, type PlannerService } from './planner.ts';
import type { CoverageService } from './service.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

/** One CSV line's cells for a gap row, in GAP_CSV_COLUMNS order. */
function csvCells(r: CoverageGapRow): (string | number)[] {
  const cap = (c: string) => c[0]!.toUpperCase() + c.slice(1);
  const flat: Record<string, string | number> = { ...(r as unknown as Record<string, string | number>) };
  for (const c of ['red', 'orange', 'yellow', 'blue'] as const) {
    flat[`enterprises${cap(c)}`] = r.enterprises[c];
    flat[`uncoveredEnterprises${cap(c)}`] = r.uncoveredEnterprises[c];
  }
  return GAP_CSV_COLUMNS.map((k) => flat[k]!);
}

export async function coverageRoutes(
  app: FastifyInstance,
  {
    coverage,
    planner,
    progress,
  }: { coverage: CoverageService; planner: PlannerService; progress: ProgressFactory },
) {
  /** The planner's computation for this request, its progress sent to the caller when it asked for it. */
  const tracked = <T>(request: FastifyRequest, task: ProgressTask, work: (p: Progress) => Promise<T>) => {
    const principal = requirePrincipal(request);
    const token = request.headers[PROGRESS_HEADER] as string | undefined;
    return withProgress(progress(principal.userId, token, task, PLAN_STAGES[task]), work);
  };

  app.get(
    '/api/coverage/live',
    {
      schema: {
        tags: ['coverage'],
        summary: 'Road cover lost while forces are busy or out of service, and the best move-up',
        description:
          'Road nodes of your area that some force reaches within its tier’s minutes (5; micro stations 3, ' +
          'less one minute of turnout) when all are available but no available force reaches now: population, ' +
          'area, high-risk enterprises and the roads; and which available force to move into which empty ' +
          'station to win back the most people. Recomputed on every call from cached per-force reaches.',
        querystring: NoQuery,
        response: { 200: CoverageLive, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => coverage.live(requirePrincipal(request)),
  );

  app.get(
    '/api/coverage/reach',
    {
      schema: {
        tags: ['coverage'],
        headers: ProgressHeaders,
        summary:
          'Each force’s road reach (isochrone) beside its straight-line circle, and how much the circle overstates',
        description:
          'For every force of your area: the county land it reaches by road within its tier’s minutes less the ' +
          'turnout (land within trimM of a reached road, partial edges included) as a MultiPolygon, the circle’s ' +
          'area and the part of the circle the road does not reach (km² and %). Totals: the people of your area ' +
          'within reach by road and by circle.',
        querystring: CoverageReachQuery,
        response: { 200: CoverageReach, ...errors },
      },
    },
    async (request) => {
      const { tier } = request.query as CoverageReachQuery;
      return tracked(request, 'reach', (p) => planner.reach(requirePrincipal(request), tier, p));
    },
  );

  app.get(
    '/api/coverage/gaps',
    {
      schema: {
        tags: ['coverage'],
        headers: ProgressHeaders,
        summary: 'Gaps in the 5-minute reach per town, village or unit grid, ranked, with the uncovered land',
        description:
          'Per grid: area, people and households outside every chosen force’s road reach (and outside every ' +
          'circle, for comparison), enterprises by risk colour and open hazards outside it; most people left out ' +
          'first. Also as CSV (/api/coverage/gaps.csv) and GeoJSON (/api/coverage/gaps.geojson).',
        querystring: CoverageGapsQuery,
        response: { 200: CoverageGaps, ...errors },
      },
    },
    async (request) => {
      const { level, tier } = request.query as CoverageGapsQuery;
      return tracked(request, 'gaps', (p) => planner.gaps(requirePrincipal(request), level, tier, p));
    },
  );

  app.get(
    '/api/coverage/gaps.csv',
    {
      schema: {
        tags: ['coverage'],
        headers: ProgressHeaders,
        summary: 'The gap table as CSV (UTF-8 with BOM, for Excel)',
        querystring: CoverageGapsQuery,
        response: {
          200: { description: 'text/csv', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { level, tier } = request.query as CoverageGapsQuery;
      const gaps = await tracked(request, 'gaps', (p) =>
        planner.gaps(requirePrincipal(request), level, tier, p),
      );
      const csv = stringify([[...GAP_CSV_COLUMNS], ...gaps.rows.map(csvCells)], { bom: true });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="coverage-gaps-${level}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/api/coverage/gaps.geojson',
    {
      schema: {
        tags: ['coverage'],
        headers: ProgressHeaders,
        summary: 'The gap table as GeoJSON: one feature per grid, its uncovered land as geometry',
        querystring: CoverageGapsQuery,
        response: {
          200: {
            description: 'application/geo+json',
            content: { 'application/geo+json': { schema: { type: 'string' } } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { level, tier } = request.query as CoverageGapsQuery;
      const collection = await tracked(request, 'gaps', (p) =>
        planner.gapFeatures(requirePrincipal(request), level, tier, p),
      );
      return reply
        .type('application/geo+json; charset=utf-8')
        .header('content-disposition', `attachment; filename="coverage-gaps-${level}.geojson"`)
        .send(JSON.stringify(collection));
    },
  );

  app.get(
    '/api/coverage/report.html',
    {
      schema: {
        tags: ['coverage'],
        headers: ProgressHeaders,
        querystring: NoQuery,
        summary:
          'The printable coverage report of your area, in Chinese (HTML laid out for A4: print or save as PDF)',
        description:
          'People within reach by road beside the circles, a map picture of the land outside the reach, the gap ' +
          'table per village, the 建标152-2017 verdicts, the hydrant gaps, and the method.',
        response: {
          200: { description: 'text/html', content: { 'text/html': { schema: { type: 'string' } } } },
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(await tracked(request, 'report', (p) => planner.report(requirePrincipal(request), p))),
  );

  app.get(
    '/api/coverage/districts',
    {
      schema: {
        tags: ['coverage'],
        headers: ProgressHeaders,
        summary:
          'Service districts (the force that reaches first) with the 建标152-2017 verdict per rescue station',
        description:
          'The county’s roads and land shared out to the force that reaches each piece first by road; for ' +
          'rescue stations, the district’s area against 7 / 4 / 2 / 15 km² by class and its farthest road ' +
          'against 5 minutes from the order (turnout included), pass or fail with the reasons.',
        querystring: CoverageDistrictsQuery,
        response: { 200: CoverageDistricts, ...errors },
      },
    },
    async (request) => {
      const { tier } = request.query as CoverageDistrictsQuery;
      return tracked(request, 'districts', (p) => planner.districts(requirePrincipal(request), tier, p));
    },
  );

  app.post(
    '/api/coverage/siting',
    {
      schema: {
        tags: ['coverage'],
        headers: ProgressHeaders,
        summary:
          'Where k new stations of a tier would cover the most people (or high-risk enterprises) by road',
        description:
          'Greedy maximal covering over candidate sites (yours, or road nodes one per spacingM square): each step ' +
          'takes the site whose road reach covers the most not yet covered by the forces there now, with the ' +
          'gain of each step; at least 1 − 1/e of the best possible k-site cover. Nothing is written.',
        body: CoverageSitingBody,
        response: { 200: CoverageSiting, ...errors, 413: ErrorResponse, 415: ErrorResponse },
      },
    },
    async (request) =>
      tracked(request, 'siting', (p) =>
        planner.siting(requirePrincipal(request), request.body as CoverageSitingBody, p),
      ),
  );

  app.post(
    '/api/coverage/what-if',
    {
      schema: {
        tags: ['coverage'],
        headers: ProgressHeaders,
        summary: 'Coverage and gaps with proposed stations added and existing ones switched off',
        description:
          'The people within reach by road and by circle, and the gap rows at `level`, as they would be with ' +
          'the stations in `add` built and those in `remove` switched off; beside the figures now. Nothing is written.',
        body: CoverageWhatIfBody,
        response: {
          200: CoverageWhatIf,
          ...errors,
          404: ErrorResponse,
          413: ErrorResponse,
          415: ErrorResponse,
        },
      },
    },
    async (request) =>
      tracked(request, 'what_if', (p) =>
        planner.whatIf(requirePrincipal(request), request.body as CoverageWhatIfBody, p),
      ),
  );

  app.get(
    '/api/coverage/hazards',
    {
      schema: {
        tags: ['coverage'],
        summary:
          'Open hazards whose priority is raised by where they lie: outside the road reach, or far from water',
        description:
          'Each open hazard of your area with the reasons that raise it: outside every force’s road reach within ' +
          'its tier’s minutes, or farther than 150 m (GB 50974-2014) from an in-service municipal hydrant. ' +
          'Raised ones first.',
        querystring: NoQuery,
        response: { 200: HazardCoverList, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => planner.hazardCover(requirePrincipal(request)),
  );

  app.get(
    '/api/coverage/hazards/:id',
    {
      schema: {
        tags: ['coverage'],
        summary: 'One open hazard: whether its priority is raised by where it lies, and why',
        params: HazardCoverParams,
        response: { 200: HazardCover, ...errors, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const found = (await planner.hazardCover(requirePrincipal(request))).items.find((h) => h.id === id);
      if (!found) throw notFound(`no open hazard ${id} in your area`, 'params.id');
      return found;
    },
  );

  app.get(
    '/api/coverage/hydrants',
    {
      schema: {
        tags: ['coverage'],
        headers: ProgressHeaders,
        summary:
          'Hydrant gaps (GB 50974-2014): roads beyond 150 m of an in-service hydrant, spacing over 120 m',
        description:
          'Road length of your area farther than the protection radius from every in-service municipal ' +
          'hydrant, with the stretches; in-service hydrants whose nearest in-service neighbour along the roads ' +
          'is farther than the spacing limit; with `without`, what goes uncovered when that hydrant is out.',
        querystring: HydrantGapsQuery,
        response: { 200: HydrantGaps, ...errors, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { without } = request.query as HydrantGapsQuery;
      return tracked(request, 'hydrants', (p) => planner.hydrants(requirePrincipal(request), without, p));
    },
  );
}
