import type { FastifyInstance } from 'fastify';
import { ROLLCALL_ROLES } from '../../../../shared/src/auth.ts';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import {
  RollcallDay,
  RollcallDayQuery,
  RollcallMonth,
  RollcallMonthQuery,
  RollcallResultBody,
} from '../../../../shared/src/schemas/rollcall.ts';
import { auditActor, requirePrincipal } from '../../plugins/authenticate.ts';
import type { RollcallService } from './service.ts';

export { ROLLCALL_ROLES };

const tags = ['rollcall'];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export async function rollcallRoutes(app: FastifyInstance, { rollcall }: { rollcall: RollcallService }) {
  app.get(
    '/api/rollcall',
    {
      schema: {
        tags,
        summary:
          'The video roll-call (视频点名) of a day: the skid-mounted stations drawn, with what was recorded',
        description:
          'One third of the county’s skid-mounted stations each day: the days run in cycles of three, and each ' +
          'cycle the stations are shuffled by a generator seeded from the county and the cycle, so every station ' +
          'is called once per cycle and a date always gives the same draw. Narrowed to your area.',
        querystring: RollcallDayQuery,
        response: { 200: RollcallDay, ...errors },
      },
    },
    async (request) => rollcall.day(requirePrincipal(request), request.query as RollcallDayQuery),
  );

  app.post(
    '/api/rollcall/results',
    {
      config: { auth: ROLLCALL_ROLES },
      schema: {
        tags,
        summary: 'Record the roll-call of a station drawn that day: present, absent or an equipment problem',
        description:
          'Once per station and day (409 when already recorded); 400 naming body.station when it was not drawn ' +
          'that day, body.date for a day still to come. Audited.',
        body: RollcallResultBody,
        response: { 201: RollcallDay, ...errors, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await rollcall.record(
            requirePrincipal(request),
            request.body as RollcallResultBody,
            auditActor(request),
          ),
        ),
  );

  app.get(
    '/api/rollcall/monthly',
    {
      schema: {
        tags,
        summary: 'Each skid-mounted station’s roll-calls in a month: days drawn, present, absent, equipment',
        querystring: RollcallMonthQuery,
        response: { 200: RollcallMonth, ...errors },
      },
    },
    async (request) => rollcall.month(requirePrincipal(request), request.query as RollcallMonthQuery),
  );
}
