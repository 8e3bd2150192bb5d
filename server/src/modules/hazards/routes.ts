import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import {
  HazardActionBody,
  HazardActionForm,
  HazardAssignees,
  HazardDetail,
  HazardList,
  HazardListQuery,
  HazardParams,
  HazardPhotoParams,
  HazardReportBody,
  HazardReportForm,
  HazardStats,
  HazardStatsQuery,
  IdempotencyHeaders,
} from '../../../../shared/src/schemas/hazards.ts';
import { auditActor, requirePrincipal } from '../../plugins/authenticate.ts';
import { readHazardForm, type UploadLimits } from './form.ts';
import type { HazardService } from './service.ts';

/** Who reports hazards: grid members (signed in, or with their handheld's device token) and village officers. */
export const HAZARD_REPORT_ROLES = ['grid_member', 'village_officer'] as const;

/** Who takes steps of the loop: the operators of each level, the grid member following a case up, admins. */
export const HAZARD_ACTION_ROLES = [
  'grid_member',
  'village_officer',
  'town_operator',
  'county_operator',
  'department_handler',
  'admin',
] as const;

/** Who assigns cases, and so may list the grid members to assign them to. */
export const HAZARD_ASSIGNER_ROLES = [
  'village_officer',
  'town_operator',
  'county_operator',
  'department_handler',
  'admin',
] as const;

/** Photos never change once stored: cache them for a year, privately (they are scoped to the viewer). */
const PHOTO_CACHE = 'private, max-age=31536000, immutable';

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
};

export async function hazardRoutes(
  app: FastifyInstance,
  { hazards, limits }: { hazards: HazardService; limits: UploadLimits },
) {
  // multipart only for this plugin's routes: other routes keep refusing multipart bodies (415)
  await app.register(multipart, { limits: { fileSize: limits.photoMaxBytes }, throwFileSizeLimit: true });

  app.post(
    '/api/hazards',
    {
      config: { auth: { roles: HAZARD_REPORT_ROLES, devices: true } },
      // the form is read (within the limits) before validation, so its fields are checked like a JSON body
      preValidation: async (request) => readHazardForm(request, limits),
      schema: {
        tags: ['hazards'],
        summary: 'Report a hazard from a handheld (multipart with photos, or JSON without)',
        description:
          'multipart/form-data: category, description, location (JSON text {lon, lat, crs}) and up to ' +
          `${limits.photosMax} photos (part name "photos"; JPEG, PNG or WebP by content, each at most ` +
          `${limits.photoMaxBytes} bytes, ${limits.uploadMaxBytes} in total). Send Idempotency-Key to retry safely.`,
        headers: IdempotencyHeaders,
        body: {
          content: {
            'application/json': { schema: HazardReportBody },
            'multipart/form-data': { schema: HazardReportForm },
          },
        },
        response: {
          201: HazardDetail,
          ...errors,
          409: ErrorResponse,
          413: ErrorResponse,
          415: ErrorResponse,
          422: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const answer = await hazards.report(
        requirePrincipal(request),
        request.body as HazardReportBody,
        request.hazardPhotos ?? [],
        (request.headers as { 'idempotency-key'?: string })['idempotency-key'],
        auditActor(request),
      );
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      reply.header('location', `/api/hazards/${answer.body.id}`);
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.get(
    '/api/hazards',
    {
      schema: {
        tags: ['hazards'],
        summary:
          'Hazards in your area, newest first: open ones, or one state; by level, overdue, bbox (WGS84)',
        querystring: HazardListQuery,
        response: { 200: HazardList, ...errors },
      },
    },
    async (request) => hazards.list(requirePrincipal(request), request.query as HazardListQuery),
  );

  app.get(
    '/api/hazards/stats',
    {
      schema: {
        tags: ['hazards'],
        summary:
          'Ledger statistics of your area: found, rectified, rectification rate, overdue, time to close',
        querystring: HazardStatsQuery,
        response: { 200: HazardStats, ...errors },
      },
    },
    async (request) => hazards.stats(requirePrincipal(request), request.query as HazardStatsQuery),
  );

  app.post(
    '/api/hazards/:id/actions',
    {
      config: { auth: { roles: HAZARD_ACTION_ROLES, devices: true } },
      preValidation: async (request) => readHazardForm(request, limits),
      schema: {
        tags: ['hazards'],
        summary: 'Take a step of the closed loop (classify, assign, handle, check, escalate, supervise …)',
        description:
          'Send the version you saw: a hazard changed since answers 409, so concurrent clicks move it once. ' +
          '403 when your role or level may not take the step, 409 when the hazard is not in a state for it. ' +
          'progress, submit, accept and reject may bring photos: send multipart/form-data with the fields as text ' +
          `parts and up to ${limits.photosMax} photos (part name "photos", checked like a report's).`,
        params: HazardParams,
        body: {
          content: {
            'application/json': { schema: HazardActionBody },
            'multipart/form-data': { schema: HazardActionForm },
          },
        },
        response: {
          200: HazardDetail,
          ...errors,
          409: ErrorResponse,
          413: ErrorResponse,
          415: ErrorResponse,
        },
      },
    },
    async (request) =>
      hazards.act(
        requirePrincipal(request),
        (request.params as { id: number }).id,
        request.body as HazardActionBody,
        request.hazardPhotos ?? [],
        auditActor(request),
      ),
  );

  app.get(
    '/api/hazards/:id/assignees',
    {
      config: { auth: HAZARD_ASSIGNER_ROLES },
      schema: {
        tags: ['hazards'],
        summary: "The grid members who may follow a case up (its village's), for the assign form",
        params: HazardParams,
        response: { 200: HazardAssignees, ...errors },
      },
    },
    async (request) => hazards.assignees(requirePrincipal(request), (request.params as { id: number }).id),
  );

  app.get(
    '/api/hazards/:id',
    {
      schema: {
        tags: ['hazards'],
        summary: 'A hazard with its photos (404 outside your area)',
        params: HazardParams,
        response: { 200: HazardDetail, ...errors },
      },
    },
    async (request) => hazards.detail(requirePrincipal(request), (request.params as { id: number }).id),
  );

  const servePhoto =
    (which: 'content' | 'thumbnail') => async (request: FastifyRequest, reply: FastifyReply) => {
      const { id, n } = request.params as { id: number; n: number };
      const photo = await hazards.photo(requirePrincipal(request), id, n, which);
      const etag = `"${photo.sha256}${which === 'thumbnail' ? '-t' : ''}"`;
      reply.header('cache-control', PHOTO_CACHE).header('etag', etag).header('vary', 'authorization');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type(photo.mime).send(photo.data);
    };
  const photoResponse = (description: string) => ({
    200: {
      description,
      content: {
        'image/jpeg': { schema: { type: 'string', format: 'binary' } },
        'image/png': { schema: { type: 'string', format: 'binary' } },
        'image/webp': { schema: { type: 'string', format: 'binary' } },
      },
    },
    ...errors,
  });

  app.get(
    '/api/hazards/:id/photos/:n',
    {
      schema: {
        tags: ['hazards'],
        summary: "A hazard's photo as uploaded (n from 1)",
        params: HazardPhotoParams,
        response: photoResponse('the photo, in its own type'),
      },
    },
    servePhoto('content'),
  );

  app.get(
    '/api/hazards/:id/photos/:n/thumbnail',
    {
      schema: {
        tags: ['hazards'],
        summary: "A hazard photo's thumbnail (WebP)",
        params: HazardPhotoParams,
        response: photoResponse('the thumbnail (image/webp)'),
      },
    },
    servePhoto('thumbnail'),
  );
}
