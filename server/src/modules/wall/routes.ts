import type { FastifyInstance } from 'fastify';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { NoQuery } from '../../../../shared/src/schemas/query.ts';
import { WallSummary } from '../../../../shared/src/schemas/wall.ts';
import { requirePrincipal } from '../../plugins/authenticate.ts';
import type { WallService } from './service.ts';

export async function wallRoutes(app: FastifyInstance, { wall }: { wall: WallService }) {
  app.get(
    '/api/wall/summary',
    {
      schema: {
        tags: ['wall'],
        summary:
          'The wall’s figures for your area: hazards today and this month, overdue, patrols, forces, cover',
        description:
          'Hazards reported today and this month (Beijing) by category and by where they stand now, with the ' +
          'rectification rate; open cases and those past their deadline by the level holding them; patrols on ' +
          'duty and outside their grid; fire forces by tier and status; people within their tier’s minutes of an ' +
          'available force by road. Read in one snapshot with the event log’s head (`seq`): a live event with a ' +
          'greater seq is not yet counted.',
        querystring: NoQuery,
        response: { 200: WallSummary, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => wall.summary(requirePrincipal(request)),
  );
}
