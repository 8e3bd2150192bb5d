import type { FastifyInstance } from 'fastify';
import type { Backend } from '../../../../shared/src/domain.ts';
import { HealthResponse } from '../../../../shared/src/schemas/health.ts';
import { DATABASE_RETRY_AFTER_S } from '../../db/errors.ts';
import type { HealthRepository } from './repo.ts';

export async function healthRoutes(app: FastifyInstance, opts: { repo: HealthRepository; backend: Backend }) {
  const started = Date.now();
  app.get(
    '/api/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Service health',
        response: { 200: HealthResponse, 503: HealthResponse },
      },
    },
    async (_request, reply) => {
      const uptimeS = Math.round((Date.now() - started) / 1000);
      try {
        const v = await opts.repo.versions();
        return {
          status: 'ok' as const,
          backend: opts.backend,
          ...v,
          uptimeS,
          simulated: app.simulation.running,
        };
      } catch (err) {
        _request.log.error({ err }, 'health check failed');
        return reply
          .code(503)
          .header('retry-after', String(DATABASE_RETRY_AFTER_S))
          .send({
            status: 'degraded' as const,
            backend: opts.backend,
            postgres: '',
            postgis: '',
            migration: 0,
            uptimeS,
            simulated: app.simulation.running,
          });
      }
    },
  );
}
