import type { FastifyInstance } from 'fastify';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import {
  EnterpriseDetail,
  EnterpriseImportErrors,
  EnterpriseImportQuery,
  EnterpriseImportResult,
  EnterpriseList,
  EnterpriseListQuery,
  EnterpriseParams,
  InspectionBody,
  ResponsibilityBoardBody,
} from '../../../../shared/src/schemas/enterprises.ts';
import { HttpError } from '../../errors.ts';
import { auditActor, requirePrincipal } from '../../plugins/authenticate.ts';
import type { EnterpriseService } from './service.ts';

/** Who keeps the ledger: the grid centres of each level and administrators. */
export const ENTERPRISE_EDIT_ROLES = [
  'village_officer',
  'town_operator',
  'county_operator',
  'admin',
] as const;
/** Who records inspections: the ledger keepers, grid members on patrol and the county departments. */
export const ENTERPRISE_INSPECT_ROLES = [
  ...ENTERPRISE_EDIT_ROLES,
  'grid_member',
  'department_handler',
] as const;
/** Who imports a CSV: the town and county grid centres and administrators. */
export const ENTERPRISE_IMPORT_ROLES = ['town_operator', 'county_operator', 'admin'] as const;
/** Largest CSV upload, bytes. */
export const ENTERPRISE_CSV_MAX_BYTES = 8 * 1024 * 1024;

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function enterpriseRoutes(
  app: FastifyInstance,
  { enterprises }: { enterprises: EnterpriseService },
) {
  // the import's body is the file itself; parsed here, in this plugin only
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'buffer', bodyLimit: ENTERPRISE_CSV_MAX_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/enterprises',
    {
      schema: {
        tags: ['enterprises'],
        summary: 'Enterprises of your area, highest risk first, with inspection and board due dates',
        querystring: EnterpriseListQuery,
        response: { 200: EnterpriseList, ...errors },
      },
    },
    async (request) => enterprises.list(requirePrincipal(request), request.query as EnterpriseListQuery),
  );

  app.get(
    '/api/enterprises.csv',
    {
      schema: {
        tags: ['enterprises'],
        summary: 'The ledger of your area as CSV (UTF-8 with BOM; the import reads the same columns)',
        response: {
          200: { description: 'text/csv', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...errors,
        },
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="enterprises.csv"')
        .send(await enterprises.exportCsv(requirePrincipal(request))),
  );

  app.post(
    '/api/enterprises/import',
    {
      config: { auth: ENTERPRISE_IMPORT_ROLES },
      schema: {
        tags: ['enterprises'],
        summary: 'Import enterprises (and their boards) from CSV: all rows or none, every bad row reported',
        description:
          'Body: the CSV file (Content-Type text/csv), UTF-8 or GB18030. Columns: code, name, category, risk ' +
          '(red/orange/yellow/blue or 红/橙/黄/蓝), lon, lat, employees, address, and the eight board columns ' +
          '(all or none). Rows with a known code update it.',
        querystring: EnterpriseImportQuery,
        response: {
          200: EnterpriseImportResult,
          ...errors,
          413: ErrorResponse,
          415: ErrorResponse,
          422: EnterpriseImportErrors,
        },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new HttpError(
          415,
          'send the CSV file as the body with Content-Type text/csv',
          'headers.content-type',
        );
      }
      return enterprises.importCsv(
        requirePrincipal(request),
        request.body,
        (request.query as { crs: 'wgs84' }).crs,
        auditActor(request),
      );
    },
  );

  app.get(
    '/api/enterprises/:code',
    {
      schema: {
        tags: ['enterprises'],
        summary: 'An enterprise with its responsibility board and inspections (404 outside your area)',
        params: EnterpriseParams,
        response: { 200: EnterpriseDetail, ...errors },
      },
    },
    async (request) =>
      enterprises.detail(requirePrincipal(request), (request.params as { code: string }).code),
  );

  app.put(
    '/api/enterprises/:code/board',
    {
      config: { auth: ENTERPRISE_EDIT_ROLES },
      schema: {
        tags: ['enterprises'],
        summary:
          'Post or re-post the safety responsibility board (安全责任公示牌); posting counts as its check',
        params: EnterpriseParams,
        body: ResponsibilityBoardBody,
        response: { 200: EnterpriseDetail, ...errors },
      },
    },
    async (request) =>
      enterprises.postBoard(
        requirePrincipal(request),
        (request.params as { code: string }).code,
        request.body as ResponsibilityBoardBody,
        auditActor(request),
      ),
  );

  app.post(
    '/api/enterprises/:code/board/check',
    {
      config: { auth: ENTERPRISE_EDIT_ROLES },
      schema: {
        tags: ['enterprises'],
        summary: "Record the board's half-yearly check",
        params: EnterpriseParams,
        response: { 200: EnterpriseDetail, ...errors, 409: ErrorResponse },
      },
    },
    async (request) =>
      enterprises.checkBoard(
        requirePrincipal(request),
        (request.params as { code: string }).code,
        auditActor(request),
      ),
  );

  app.post(
    '/api/enterprises/:code/inspections',
    {
      config: { auth: ENTERPRISE_INSPECT_ROLES },
      schema: {
        tags: ['enterprises'],
        summary: 'Record an inspection and its findings',
        params: EnterpriseParams,
        body: InspectionBody,
        response: { 201: EnterpriseDetail, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await enterprises.inspect(
            requirePrincipal(request),
            (request.params as { code: string }).code,
            request.body as InspectionBody,
            auditActor(request),
          ),
        ),
  );
}
