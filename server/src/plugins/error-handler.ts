import type { FastifyError, FastifyInstance } from 'fastify';
import { DATABASE_RETRY_AFTER_S, databaseUnavailable } from '../db/errors.ts';
import { HttpError } from '../errors.ts';

const CONTEXT: Record<string, string> = {
  querystring: 'query',
  body: 'body',
  params: 'params',
  headers: 'headers',
};
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Names the input a schema validation failed on, e.g. `query.limit` or `body.location.lon`. */
function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const prefix = CONTEXT[error.validationContext ?? ''] ?? error.validationContext ?? '';
  const params = first.params as Record<string, unknown>;
  const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const path = [first.instancePath.replace(/^\//, '').replaceAll('/', '.'), extra].filter(Boolean).join('.');
  return [prefix, path].filter(Boolean).join('.');
}

function validationMessage(error: FastifyError, field: string | undefined): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'additionalProperties') return `${field} is not a recognised parameter`;
  if (first.keyword === 'required') return `${field} is required`;
  const allowed = params.allowedValues as unknown[] | undefined;
  if (allowed) return `${field} must be one of ${allowed.join(', ')}`;
  return `${field} ${first.message ?? 'is invalid'}`;
}

/** One error shape everywhere: `{ statusCode, error, message, field? }`; no stack traces leave the server. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    if (error.validation) {
      const field = validationField(error);
      return reply
        .code(400)
        .send({ statusCode: 400, error: 'Bad Request', message: validationMessage(error, field), field });
    }
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({
        statusCode: error.statusCode,
        error: REASONS[error.statusCode] ?? 'Error',
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
      });
    }
    const unavailable = databaseUnavailable(error);
    if (unavailable) {
      // the database is down or dropped us: tell the client to come back, not that we have a bug
      request.log.warn({ code: unavailable.code, err: error.message }, unavailable.reason);
      return reply.code(503).header('retry-after', String(DATABASE_RETRY_AFTER_S)).send({
        statusCode: 503,
        error: 'Service Unavailable',
        message: unavailable.reason,
        field: 'database',
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply
        .code(status)
        .send({ statusCode: status, error: REASONS[status] ?? 'Error', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `${request.method} ${request.url.split('?')[0]} not found`,
    });
  });
}
