import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { registerErrorHandler } from './plugins/error-handler.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerClient } from './plugins/client.ts';
import { createHealthRepository } from './modules/health/repo.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { createDistrictRepository } from './modules/district/repo.ts';
import { districtRoutes } from './modules/district/routes.ts';
import { createOgcRepository } from './modules/ogc/repo.ts';
import { createOgcService } from './modules/ogc/service.ts';
import { ogcRoutes } from './modules/ogc/routes.ts';

export interface AppDependencies {
  config: Config;
  db: Database;
}

/** Builds the app from plugins and feature modules; no port, no global state (tests use app.inject). */
export async function buildApp({ config, db }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  registerErrorHandler(app);
  await app.register(compress, { threshold: 2048 });
  await registerOpenApi(app);

  await app.register(healthRoutes, { repo: createHealthRepository(db.pool), backend: db.backend });
  await app.register(districtRoutes, { repo: createDistrictRepository(db.pool) });
  await app.register(ogcRoutes, { ogc: createOgcService(createOgcRepository(db.pool)) });
  await registerClient(app, config.CLIENT_DIST);
  return app;
}
