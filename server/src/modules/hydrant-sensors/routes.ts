import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { HydrantPressureView, WaterSourceCode } from '../../../../shared/src/schemas/hydrant-sensors.ts';
import { requirePrincipal } from '../../plugins/authenticate.ts';
import type { HydrantSensorService } from './service.ts';

export async function hydrantSensorRoutes(
  app: FastifyInstance,
  { sensors }: { sensors: HydrantSensorService },
) {
  app.get(
    '/api/water-sources/:code/pressure',
    {
      schema: {
        tags: ['water sources'],
        summary: "A water source's latest pressure reading (smart hydrants) and its status",
        params: Type.Object({ code: WaterSourceCode }),
        response: { 200: HydrantPressureView, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => sensors.pressure(requirePrincipal(request), (request.params as { code: string }).code),
  );
}
