import type { FastifyInstance } from 'fastify';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { areaInScope, LiveSnapshot, LiveSnapshotQuery } from '../../../../shared/src/schemas/live.ts';
import { notFound } from '../../errors.ts';
import { requirePrincipal } from '../../plugins/authenticate.ts';
import type { SnapshotService } from './snapshot.ts';
import { SNAPSHOT_URL } from './socket.ts';

export async function liveRoutes(app: FastifyInstance, { snapshots }: { snapshots: SnapshotService }) {
  app.get(
    SNAPSHOT_URL,
    {
      schema: {
        tags: ['live'],
        summary: 'The current state of an area, and the event seq it is consistent with',
        description:
          'Connect Socket.IO with auth.afterSeq = seq to receive every change after this state, in order.',
        querystring: LiveSnapshotQuery,
        response: { 200: LiveSnapshot, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const area = (request.query as { area?: string }).area ?? principal.scope;
      if (!areaInScope(area, principal.scope)) throw notFound(`area ${area} does not exist`, 'query.area');
      return snapshots.read(area, principal);
    },
  );
}
