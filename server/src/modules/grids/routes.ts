import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { AreaGeometryBody } from '../../../../shared/src/schemas/geometry-input.ts';
import { GridCode, GridGeometryView } from '../../../../shared/src/schemas/grids.ts';
import { auditActor, requirePrincipal } from '../../plugins/authenticate.ts';
import type { GridService } from './service.ts';

/** Grid centres (and the administrator) adjust unit grid boundaries in their area. */
export const GRID_EDIT_ROLES = ['county_operator', 'town_operator', 'admin'] as const;

export async function gridRoutes(app: FastifyInstance, { grids }: { grids: GridService }) {
  app.put(
    '/api/grids/:code/geometry',
    {
      config: { auth: GRID_EDIT_ROLES },
      schema: {
        tags: ['grids'],
        summary: 'Redraw a unit grid (GeoJSON in wgs84, gcj02, bd09 or cgcs2000; stored as WGS84)',
        params: Type.Object({ code: GridCode }),
        body: AreaGeometryBody,
        response: {
          200: GridGeometryView,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request) =>
      grids.redrawUnitGrid(
        requirePrincipal(request),
        (request.params as { code: string }).code,
        request.body as AreaGeometryBody,
        auditActor(request),
      ),
  );
}
