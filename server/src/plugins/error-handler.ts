import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * The input behind Fastify's (and @fastify/compress's) own 4xx answers, which carry no field: the body
 * could not be read or parsed, its type, size or encoding is refused, or the URL cannot be decoded.
 */
const FRAMEWORK_FIELDS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'headers.content-type',
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: 'headers.content-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'headers.content-length',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'body',
  FST_CP_ERR_INVALID_CONTENT_ENCODING: 'headers.content-encoding',
  FST_CP_ERR_INVALID_CONTENT: 'body',
  FST_ERR_BAD_URL: 'url',
  FST_ERR_MAX_PARAM_LENGTH: 'params',
};

/** Rate limits count requests per client address (the login's per-account limit names body.username). */
const STATUS_FIELDS: Record<number, string> = { 429: 'ip' };

/** SQLSTATEs for text PostgreSQL cannot store: NUL (U+0000) in text (22021) or in jsonb (22P05). */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

/** The first input (`params.featureId`, `query.bbox`, `body.name`) whose value `matches`. */
function findInput(request: FastifyRequest, matches: (value: unknown) => boolean): string | undefined {
  const search = (value: unknown, path: string, depth: number): string | undefined => {
    if (matches(value)) return path;
    if (typeof value !== 'object' || value === null || depth > 32) return undefined;
    for (const [key, inner] of Object.entries(value)) {
      const found = search(inner, `${path}.${key}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return (
    search(request.params, 'params', 0) ??
    search(request.query, 'query', 0) ??
    search(request.body, 'body', 0)
  );
}
const hasNul = (value: unknown) => typeof value === 'string' && value.includes('\u0000');
const nonFinite = (value: unknown) => typeof value === 'number' && !Number.isFinite(value);

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
        ...error.extra,
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
    const nulField = UNSTORABLE_TEXT.has(String(error.code)) ? findInput(request, hasNul) : undefined;
    if (nulField) {
      const message = `${nulField} must not contain the NUL character (U+0000)`;
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message, field: nulField });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const field = FRAMEWORK_FIELDS[error.code] ?? STATUS_FIELDS[status];
      return reply.code(status).send({
        statusCode: status,
        error: REASONS[status] ?? 'Error',
        message: error.message,
        ...(field ? { field } : {}),
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  });

  // ajv's type coercion turns "1e999" or "Infinity" into ±Infinity and then skips minimum/maximum
  // (ajv-validator/ajv#2212): refuse what validation let through before any handler sees it.
  app.addHook('preHandler', async (request) => {
    const field = findInput(request, nonFinite);
    if (field) throw new HttpError(400, `${field} must be a finite number`, field);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `${request.method} ${request.url.split('?')[0]} not found`,
      field: 'url',
    });
  });
}

/**
 * Fastify's `frameworkErrors` option: a URL the router cannot decode (bad percent-encoding) or a path
 * parameter over maxParamLength is answered before any route or error handler runs; this gives it the
 * same shape as every other error.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 400;
  reply.code(status).send({
    statusCode: status,
    error: REASONS[status] ?? 'Error',
    message: error.message,
    field: FRAMEWORK_FIELDS[error.code] ?? 'url',
  });
}
