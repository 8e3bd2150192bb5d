import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Serves the built wall client at `/` (hashed assets cached long, index.html never). */
export async function registerClient(app: FastifyInstance, clientDist: string) {
  const root = path.resolve(clientDist);
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn(`no built client in ${root}: run \`npm run build:client\``);
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('gridwatch: the client is not built; run `npm run build:client`.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: true,
    setHeaders(reply, file) {
      reply.header(
        'Cache-Control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
