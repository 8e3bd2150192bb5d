/**
 * A small typed client for the account endpoints: `POST /api/auth/login`, `/api/auth/refresh` and
 * `/api/auth/logout`. Failures are `AuthRequestError`s carrying the HTTP status (0: the server was
 * not reached), the server's message and `Retry-After`, so the sign-in screen can say what happened.
 */
import type { TokenResponse, UserView } from '../../../shared/src/schemas/auth.ts';
import type { ErrorResponse } from '../../../shared/src/schemas/errors.ts';

export const LOGIN_PATH = '/api/auth/login';
export const REFRESH_PATH = '/api/auth/refresh';
export const LOGOUT_PATH = '/api/auth/logout';
export const DISPLAY_PATH = '/api/auth/display';

export type Tokens = TokenResponse;
export type User = UserView;

export class AuthRequestError extends Error {
  constructor(
    readonly url: string,
    /** HTTP status; 0 when the server was not reached (network error). */
    readonly status: number,
    /** The server's own `message` (our ErrorResponse), where it sent one. */
    readonly detail?: string,
    /** `Retry-After` in seconds (429), where the server sent it. */
    readonly retryAfterS?: number,
  ) {
    super(
      status === 0
        ? `${url}: the server was not reached${detail ? ` (${detail})` : ''}`
        : `${url} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`,
    );
    this.name = 'AuthRequestError';
  }
}

export interface AuthApiOptions {
  /** Origin of our server; the paths resolve against it. Defaults to the page's origin. */
  origin?: string;
  fetch?: typeof fetch;
}

const isString = (value: unknown): value is string => typeof value === 'string';

function isUser(value: unknown): value is User {
  if (typeof value !== 'object' || value === null) return false;
  const user = value as Record<string, unknown>;
  return (
    typeof user.id === 'number' &&
    [user.username, user.displayName, user.role, user.scope, user.scopeName].every(isString)
  );
}

/** Whether `body` has the TokenResponse shape the session needs. */
export function isTokens(body: unknown): body is Tokens {
  if (typeof body !== 'object' || body === null) return false;
  const { token, refreshToken, expiresIn, user } = body as Record<string, unknown>;
  return (
    isString(token) &&
    token.length > 0 &&
    isString(refreshToken) &&
    refreshToken.length > 0 &&
    typeof expiresIn === 'number' &&
    Number.isFinite(expiresIn) &&
    expiresIn > 0 &&
    isUser(user)
  );
}

async function serverMessage(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as Partial<ErrorResponse>;
    return isString(body.message) ? body.message : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export function createAuthApi(options: AuthApiOptions = {}) {
  const origin = () => options.origin ?? globalThis.location.origin;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function post(path: string, body: unknown, token?: string): Promise<unknown> {
    const url = new URL(path, origin()).href;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/json',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    } catch (error) {
      throw new AuthRequestError(url, 0, error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) {
      throw new AuthRequestError(
        url,
        response.status,
        await serverMessage(response),
        retryAfterSeconds(response),
      );
    }
    try {
      return await response.json();
    } catch {
      throw new AuthRequestError(url, response.status, 'the answer is not JSON');
    }
  }

  async function tokens(path: string, body: unknown): Promise<Tokens> {
    const answer = await post(path, body);
    if (!isTokens(answer)) {
      throw new AuthRequestError(new URL(path, origin()).href, 200, 'not a token response');
    }
    return answer;
  }

  return {
    /** Signs in; the access token, a refresh token and the user. */
    login: (username: string, password: string) => tokens(LOGIN_PATH, { username, password }),
    /** A wall display signs in with its display token (the kiosk URL's `#display=`). */
    display: (token: string) => tokens(DISPLAY_PATH, { token }),
    /** Exchanges a (single-use) refresh token for a new pair. */
    refresh: (refreshToken: string) => tokens(REFRESH_PATH, { refreshToken }),
    /** Revokes `refreshToken` on the server; the number of sessions it ended. */
    async logout(token: string, refreshToken: string): Promise<number> {
      const answer = (await post(LOGOUT_PATH, { refreshToken }, token)) as { revokedSessions?: unknown };
      return typeof answer?.revokedSessions === 'number' ? answer.revokedSessions : 0;
    },
  };
}

export type AuthApi = ReturnType<typeof createAuthApi>;
