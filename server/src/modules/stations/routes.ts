import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import {
  StationCode,
  StationStatusBody,
  StationStatusView,
  StationStreamBody,
  StationStreamView,
} from '../../../../shared/src/schemas/stations.ts';
import { auditActor, requirePrincipal } from '../../plugins/authenticate.ts';
import type { StationService } from './service.ts';

/** Who may change a force's availability. */
export const STATION_STATUS_ROLES = ['dispatcher', 'county_operator', 'town_operator', 'admin'] as const;
/** Who sets a station's video stream address: the county grid centre and administrators. */
export const STATION_STREAM_ROLES = ['county_operator', 'admin'] as const;

export async function stationRoutes(app: FastifyInstance, { stations }: { stations: StationService }) {
  app.patch(
    '/api/stations/:code/status',
    {
      config: { auth: STATION_STATUS_ROLES },
      schema: {
        tags: ['fire forces'],
        summary: "Set a fire force's availability",
        params: Type.Object({ code: StationCode }),
        body: StationStatusBody,
        response: {
          200: StationStatusView,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request) =>
      stations.setStatus(
        requirePrincipal(request),
        (request.params as { code: string }).code,
        request.body as StationStatusBody,
        auditActor(request),
      ),
  );

  app.put(
    '/api/stations/:code/stream',
    {
      config: { auth: STATION_STREAM_ROLES },
      schema: {
        tags: ['fire forces'],
        summary: "Set (or with null remove) a station's video stream address, for the video roll-call",
        params: Type.Object({ code: StationCode }),
        body: StationStreamBody,
        response: {
          200: StationStreamView,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request) =>
      stations.setStream(
        requirePrincipal(request),
        (request.params as { code: string }).code,
        request.body as StationStreamBody,
        auditActor(request),
      ),
  );
}
