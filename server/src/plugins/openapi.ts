import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** OpenAPI 3 generated from the route schemas, served at /docs (UI) and /docs/json. */
export async function registerOpenApi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'gridwatch API',
        description:
          'Grid-based safety supervision and the 5-minute fire circle: layers (OGC API – Features) and services.',
        version: '0.1.0',
      },
      tags: [{ name: 'system' }, { name: 'OGC API – Features' }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
}
