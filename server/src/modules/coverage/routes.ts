import type { FastifyInstance } from 'fastify';
import { CoverageLive } from '../../../../shared/src/schemas/coverage.ts';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { requirePrincipal } from '../../plugins/authenticate.ts';
import type { CoverageService } from './service.ts';

export async function coverageRoutes(app: FastifyInstance, { coverage }: { coverage: CoverageService }) {
  app.get(
    '/api/coverage/live',
    {
      schema: {
        tags: ['coverage'],
        summary: 'Road cover lost while forces are busy or out of service, and the best move-up',
        description:
          'Road nodes of your area that some force reaches within its tier’s minutes (5; micro stations 3) ' +
          'when all are available but no available force reaches now: population, area, high-risk ' +
          'enterprises and the roads; and which available force to move into which empty station to win ' +
          'back the most people. Recomputed on every call from cached per-force reaches.',
        response: { 200: CoverageLive, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => coverage.live(requirePrincipal(request)),
  );
}
