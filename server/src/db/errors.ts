/**
 * Tells "the database is unreachable or dropped us" apart from every other error, so the API can answer
 * 503 + Retry-After (try again shortly) instead of 500 (a bug). Ordinary SQL errors (constraint
 * violations, statement timeouts, syntax) are not outages and are left alone.
 */

/** Seconds a client should wait before retrying while the database is unavailable (Retry-After). */
export const DATABASE_RETRY_AFTER_S = 5;

export interface DatabaseUnavailable {
  /** human-readable reason, sent as the 503 message */
  reason: string;
  /** the errno or SQLSTATE that decided it, when there was one */
  code?: string;
}

/** Socket-level failures reaching or talking to the server. */
const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: 'the database refused the connection',
  ECONNRESET: 'the database connection was reset',
  EPIPE: 'the database connection was lost',
  ECONNABORTED: 'the database connection was aborted',
  ETIMEDOUT: 'the database did not answer in time',
  EHOSTUNREACH: 'the database host is unreachable',
  ENETUNREACH: 'the database network is unreachable',
  EHOSTDOWN: 'the database host is down',
  ENOTFOUND: 'the database host name does not resolve',
  EAI_AGAIN: 'the database host name does not resolve',
};

/** SQLSTATEs outside class 08 that mean "not now" rather than "wrong". */
const SQLSTATES: Record<string, string> = {
  '57P01': 'the database is shutting down (admin shutdown)',
  '57P02': 'the database crashed and is restarting',
  '57P03': 'the database is not accepting connections yet',
  '53300': 'the database has too many connections',
};

/** Messages pg and pg-pool use for dropped or never-established connections (they carry no code). */
const MESSAGES: [RegExp, string][] = [
  [/timeout exceeded when trying to connect/i, 'no database connection became available in time'],
  [/connection terminated due to connection timeout/i, 'the database did not accept a connection in time'],
  [/connection terminated/i, 'the database connection was lost'],
  [/not queryable/i, 'the database connection was lost'],
  [/cannot use a pool after calling end/i, 'the database pool is closed'],
];

function classifyOne(err: object): DatabaseUnavailable | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    const socket = SOCKET_CODES[code];
    if (socket) return { reason: `database unavailable: ${socket}`, code };
    const state = SQLSTATES[code];
    if (state) return { reason: `database unavailable: ${state}`, code };
    if (/^08[0-9A-Z]{3}$/.test(code)) {
      return { reason: `database unavailable: connection failure (SQLSTATE ${code})`, code };
    }
  }
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string') {
    for (const [pattern, reason] of MESSAGES) {
      if (pattern.test(message)) return { reason: `database unavailable: ${reason}` };
    }
  }
  return undefined;
}

/**
 * Why the database is unavailable, if `err` says it is; undefined for any other error. Looks through
 * `cause` chains and AggregateError members (Node's connect to several addresses reports those).
 */
export function databaseUnavailable(err: unknown, depth = 0): DatabaseUnavailable | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const direct = classifyOne(err);
  if (direct) return direct;
  const nested: unknown[] = [];
  if (err instanceof AggregateError) nested.push(...err.errors);
  if ('cause' in err) nested.push(err.cause);
  for (const inner of nested) {
    const found = databaseUnavailable(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}
