import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import {
  OsmAndBody,
  OsmAndQuery,
  PatrolCompliance,
  PatrolComplianceQuery,
  PatrolList,
  PatrolListQuery,
  PatrolParams,
  PatrolSessionView,
  PositionAnswer,
  positionBatchBody,
  type PositionBatchBody,
} from '../../../../shared/src/schemas/patrol.ts';
import { auditActor, requirePrincipal } from '../../plugins/authenticate.ts';
import { batchFix, osmandFix, sourcedFields, trackerIdOf, type SpeedUnit, type TimeWindow } from './fix.ts';
import { PATROL_END_ROLES, type PatrolService } from './service.ts';

export interface PatrolRouteOptions {
  patrols: PatrolService;
  batchMax: number;
  clockSkewS: number;
  maxAgeS: number;
  osmandSpeedUnit: SpeedUnit;
}

const tags = ['patrol'];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
/** OsmAnd requests are small: a form larger than this is not a tracking app's. */
const FORM_LIMIT = 16_384;

export async function patrolRoutes(app: FastifyInstance, opts: PatrolRouteOptions) {
  const { patrols } = opts;
  const window = (): TimeWindow => ({ now: new Date(), skewS: opts.clockSkewS, maxAgeS: opts.maxAgeS });

  // HTML-form bodies for this plugin's routes only (stock trackers may POST their parameters as a form)
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_LIMIT },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  const osmand = async (request: FastifyRequest) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const { fields, speedUnit } = sourcedFields(query, request.body, opts.osmandSpeedUnit);
    const { trackerId, field } = trackerIdOf(fields, request.body !== undefined && request.body !== null);
    const fix = osmandFix(fields, speedUnit, window());
    const sender = await patrols.tracker(trackerId, field);
    return patrols.ingest(sender, [fix]);
  };
  const osmandDescription =
    'The OsmAnd / Traccar Client HTTP protocol: `id` (or `deviceid`) is the tracker id an administrator ' +
    'registered (POST /api/devices with trackerId), `lat`+`lon` or `location=lat,lon`, `timestamp` as epoch ' +
    'seconds, epoch milliseconds or ISO 8601, `speed`, `bearing` or `heading`, `altitude`, `accuracy`, `hdop`, ' +
    '`batt`. No bearer token: the tracker id authenticates.';

  app.get(
    '/osmand',
    {
      config: { auth: 'public' },
      // a HEAD request would run the handler and store the fix
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: 'A GPS fix from a stock tracking app (OsmAnd protocol, GET query)',
        description: osmandDescription,
        querystring: OsmAndQuery,
        response: { 200: PositionAnswer, ...errors },
      },
    },
    osmand,
  );

  app.post(
    '/osmand',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'A GPS fix from a stock tracking app (query, form, or Traccar Client JSON)',
        description: `${osmandDescription} Traccar Client's JSON body \`{ device_id, location: { timestamp, coords: { latitude, longitude, speed (m/s), heading, altitude, accuracy }, battery: { level (0..1) } } }\` is read too.`,
        querystring: OsmAndQuery,
        body: {
          content: {
            'application/json': { schema: OsmAndBody },
            'application/x-www-form-urlencoded': { schema: OsmAndBody },
          },
        },
        response: { 200: PositionAnswer, ...errors, 413: ErrorResponse, 415: ErrorResponse },
      },
    },
    osmand,
  );

  app.post(
    '/api/positions',
    {
      config: { auth: 'device' },
      schema: {
        tags,
        summary:
          'GPS fixes from our own app, in a batch (any order; resent fixes are counted, not stored twice)',
        body: positionBatchBody(opts.batchMax),
        response: { 200: PositionAnswer, ...errors },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const now = window();
      const fixes = (request.body as PositionBatchBody).positions.map((p, i) => batchFix(p, i, now));
      return patrols.ingest({ deviceId: principal.deviceId!, userId: principal.userId }, fixes);
    },
  );

  app.get(
    '/api/patrols',
    {
      schema: {
        tags,
        summary: 'Patrol sessions in your area, newest fix first (active, ended or all)',
        querystring: PatrolListQuery,
        response: { 200: PatrolList, ...errors },
      },
    },
    async (request) => patrols.list(requirePrincipal(request), request.query as PatrolListQuery),
  );

  app.get(
    '/api/patrols/compliance',
    {
      schema: {
        tags,
        summary:
          'Patrol compliance per unit grid (or per village / town) for a month: weekly patrols and monthly reports',
        description:
          'Each unit grid of your area: the weeks of the month (Monday to Sunday, the weeks whose Thursday falls ' +
          'in the month, Beijing time) in which its member patrolled it (a session of the grid with at least ' +
          '5 minutes inside it), and the hazards reported in it that month against the 2 a unit must file. ' +
          'Weeks not over yet are not judged. At village or town level, the unit grids summed.',
        querystring: PatrolComplianceQuery,
        response: { 200: PatrolCompliance, ...errors },
      },
    },
    async (request) => patrols.compliance(requirePrincipal(request), request.query as PatrolComplianceQuery),
  );

  app.post(
    '/api/patrols/:id/end',
    {
      config: { auth: { roles: PATROL_END_ROLES, devices: true } },
      schema: {
        tags,
        summary: 'End a patrol now (a member their own; officers and operators any in their area)',
        params: PatrolParams,
        response: { 200: PatrolSessionView, ...errors, 409: ErrorResponse },
      },
    },
    async (request) =>
      patrols.end(requirePrincipal(request), (request.params as { id: number }).id, auditActor(request)),
  );
}
