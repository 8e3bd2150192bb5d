import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import {
  Bulletin,
  KeyHazardList,
  KeyHazardQuery,
  LedgerMonthQuery,
  MonthList,
  type LedgerFormat,
} from '../../../../shared/src/schemas/ledger.ts';
import { requirePrincipal } from '../../plugins/authenticate.ts';
import {
  bulletinDocument,
  coordinationDocument,
  jointTacklingDocument,
  keyHazardDocument,
  renderPage,
  renderWorkbook,
  type LedgerDocument,
} from './documents.ts';
import type { LedgerService } from './service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tags = ['ledger'];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };
const formats = `\`format=json\` (default) gives the figures, \`xlsx\` an Excel workbook, \`html\` a printable page
(A4 landscape) in Chinese.`;

/** The answer in the format asked for: the figures, or the document made from them. */
async function answer<T>(
  reply: FastifyReply,
  format: LedgerFormat,
  figures: T,
  document: (figures: T) => LedgerDocument,
) {
  if (format === 'json') return figures;
  const d = document(figures);
  const disposition = (ext: string) =>
    `attachment; filename="${d.file}.${ext}"; filename*=UTF-8''${encodeURIComponent(d.title)}.${ext}`;
  reply.header('cache-control', 'private, no-store');
  if (format === 'html') return reply.type('text/html; charset=utf-8').send(renderPage(d));
  return reply
    .type(XLSX)
    .header('content-disposition', disposition('xlsx'))
    .send(await renderWorkbook(d));
}

const documentResponse = (schema: unknown) => ({
  200: {
    description: 'the figures (json), the workbook (xlsx) or the printable page (html)',
    content: {
      'application/json': { schema },
      'text/html': { schema: { type: 'string' } },
      [XLSX]: { schema: { type: 'string', format: 'binary' } },
    },
  },
  ...errors,
});

export async function ledgerRoutes(app: FastifyInstance, opts: { ledger: LedgerService }) {
  const { ledger } = opts;

  app.get(
    '/api/ledger/key-hazards',
    {
      schema: {
        tags,
        summary: 'The key-hazard list (重点隐患清单) of a half month, per industry department',
        description:
          'Hazards of your area open at some time in the half month (Beijing time) that are major, were past ' +
          'their deadline, or had been escalated above the village, as they stood at its end; grouped by the ' +
          'department in charge (the county department holding the case, else its category’s). A department ' +
          `handler gets its own department only. ${formats}`,
        querystring: KeyHazardQuery,
        response: documentResponse(KeyHazardList),
      },
    },
    async (request, reply) => {
      const query = request.query as KeyHazardQuery;
      const list = await ledger.keyHazards(requirePrincipal(request), query);
      return answer(reply, query.format, list, keyHazardDocument);
    },
  );

  app.get(
    '/api/ledger/joint-tackling',
    {
      schema: {
        tags,
        summary:
          'The joint-tackling list (联合攻坚清单) of a month: what the county asks the city to take on',
        description:
          'Hazards still open at the month’s end with the county grid centre or a county department that are ' +
          `major or past their deadline. ${formats}`,
        querystring: LedgerMonthQuery,
        response: documentResponse(MonthList),
      },
    },
    async (request, reply) => {
      const query = request.query as LedgerMonthQuery;
      const list = await ledger.jointTackling(requirePrincipal(request), query);
      return answer(reply, query.format, list, jointTacklingDocument);
    },
  );

  app.get(
    '/api/ledger/coordination',
    {
      schema: {
        tags,
        summary: 'The coordination-request list (提请协调清单) of a month, for the leader in charge',
        description: `Hazards still open at the month’s end after being pressed under supervision. ${formats}`,
        querystring: LedgerMonthQuery,
        response: documentResponse(MonthList),
      },
    },
    async (request, reply) => {
      const query = request.query as LedgerMonthQuery;
      const list = await ledger.coordination(requirePrincipal(request), query);
      return answer(reply, query.format, list, coordinationDocument);
    },
  );

  app.get(
    '/api/ledger/bulletin',
    {
      schema: {
        tags,
        summary:
          'The monthly bulletin (月度通报): towns ranked by rectification, overdue cases, patrol compliance',
        description:
          'Per town: hazards found in the month and rectified by its end, the rate, closed in the month, open and ' +
          'overdue at its end, presses under supervision, patrol compliance; the categories; the previous month; ' +
          `how many hazards the month's lists hold. ${formats}`,
        querystring: LedgerMonthQuery,
        response: documentResponse(Bulletin),
      },
    },
    async (request, reply) => {
      const query = request.query as LedgerMonthQuery;
      const bulletin = await ledger.bulletin(requirePrincipal(request), query);
      return answer(reply, query.format, bulletin, bulletinDocument);
    },
  );
}
