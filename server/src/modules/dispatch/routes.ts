import type { FastifyInstance } from 'fastify';
import { DispatchNearest, DispatchNearestQuery } from '../../../../shared/src/schemas/dispatch.ts';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { requirePrincipal } from '../../plugins/authenticate.ts';
import type { DispatchService } from './service.ts';

/** Who dispatches fire forces: the command centre, and the grid centres that may set a force's status. */
export const DISPATCH_ROLES = ['dispatcher', 'county_operator', 'town_operator', 'admin'] as const;

export async function dispatchRoutes(app: FastifyInstance, { dispatch }: { dispatch: DispatchService }) {
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
