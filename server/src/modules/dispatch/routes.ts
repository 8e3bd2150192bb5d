import type { FastifyInstance } from 'fastify';
import { DISPATCH_RECORD_ROLES } from '../../../../shared/src/auth.ts';
import {
  DispatchCloseBody,
  DispatchCreateBody,
  DispatchIdParams,
  DispatchList,
  DispatchListQuery,
  DispatchNearest,
  DispatchNearestQuery,
  DispatchRecord,
} from '../../../../shared/src/schemas/dispatch.ts';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { auditActor, requirePrincipal } from '../../plugins/authenticate.ts';
import type { DispatchRecords } from './records.ts';
import type { DispatchService } from './service.ts';

/** Who dispatches fire forces: the command centre, and the grid centres that may set a force's status. */
export const DISPATCH_ROLES = ['dispatcher', 'county_operator', 'town_operator', 'admin'] as const;

export { DISPATCH_RECORD_ROLES };

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
};

export async function dispatchRoutes(
  app: FastifyInstance,
  { dispatch, records }: { dispatch: DispatchService; records: DispatchRecords },
) {
  app.post(
    '/api/dispatches',
    {
      config: { auth: DISPATCH_RECORD_ROLES },
      schema: {
        tags: ['dispatch'],
        summary: 'Send fire forces to an incident: they turn busy and the record keeps their routes',
        description:
          'In one transaction: every listed force (first response first) turns busy, the dispatch and each ' +
          "force's route by road are recorded, the change is audited and `station.status_changed` and " +
          '`dispatch.created` events go out. A force that is busy, out of service or committed to another ' +
          'open dispatch answers 409 naming `body.stations.N`, and nothing is written.',
        body: DispatchCreateBody,
        response: { 201: DispatchRecord, ...errors, 409: ErrorResponse, 422: ErrorResponse },
      },
    },
    async (request, reply) => {
      const record = await records.create(
        requirePrincipal(request),
        request.body as DispatchCreateBody,
        auditActor(request),
      );
      return reply.code(201).send(record);
    },
  );

  app.post(
    '/api/dispatches/:id/close',
    {
      config: { auth: DISPATCH_RECORD_ROLES },
      // the reason is optional, so the body may be left out altogether
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['dispatch'],
        summary: 'Close a dispatch: its forces return to available',
        description:
          'Forces still busy become available (one taken out of service meanwhile stays so); ' +
          '`dispatch.closed` goes out. Closing a closed dispatch answers 409 naming `params.id`.',
        params: DispatchIdParams,
        body: DispatchCloseBody,
        response: { 200: DispatchRecord, ...errors, 409: ErrorResponse },
      },
    },
    async (request) =>
      records.close(
        requirePrincipal(request),
        (request.params as { id: number }).id,
        request.body as DispatchCloseBody,
        auditActor(request),
      ),
  );

  app.get(
    '/api/dispatches',
    {
      config: { auth: DISPATCH_ROLES },
      schema: {
        tags: ['dispatch'],
        summary: 'Dispatches whose incident lies in your area, newest first (open ones by default)',
        querystring: DispatchListQuery,
        response: { 200: DispatchList, ...errors },
      },
    },
    async (request) => records.list(requirePrincipal(request), request.query as DispatchListQuery),
  );

  app.get(
    '/api/dispatch/nearest',
    {
      config: { auth: DISPATCH_ROLES },
      schema: {
        tags: ['dispatch'],
        summary:
          'The fastest available fire forces to an incident by road, with routes and water at the scene',
        description:
          'The incident snaps to the nearest passable road (422 when none is within the snapping limit); ' +
          'forces in your area are timed driving to it (one-way streets respected), the `limit` fastest ' +
          'available ones are returned with their routes, and faster busy or out-of-service ones are listed ' +
          'in `skipped` with the reason. Water: in-service hydrants within 150 m (GB 50974-2014) and the ' +
          'nearest fire pool or natural intake.',
        querystring: DispatchNearestQuery,
        response: {
          200: DispatchNearest,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          422: ErrorResponse,
        },
      },
    },
    async (request) => dispatch.nearest(requirePrincipal(request), request.query as DispatchNearestQuery),
  );
}
