import { describe, expect, it } from 'vitest';
import { AuthRequestError, createAuthApi, isTokens, type Tokens } from './auth-api.ts';

const ORIGIN = 'http://127.0.0.1:3000';
const TOKENS: Tokens = {
  token: 'access',
  tokenType: 'Bearer',
  expiresIn: 900,
  refreshToken: 'r'.repeat(43),
  user: {
    id: 7,
    username: 'village_officer',
    displayName: '村（社区）平台信息员（演示）',
    role: 'village_officer',
    scope: '320803001001',
    scopeName: '某村',
    department: null,
  },
};

/** A fake server (the outside world) answering every request with `body`, `status` and `headers`. */
function fakeServer(body: unknown, status = 200, headers: Record<string, string> = {}) {
  const requests: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers)),
      body: JSON.parse(String(init?.body)),
    });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const error = (statusCode: number, message: string, field = 'body.password') => ({
  statusCode,
  error: 'Error',
  message,
  field,
});

async function failure(promise: Promise<unknown>): Promise<AuthRequestError> {
  try {
    await promise;
  } catch (caught) {
    if (caught instanceof AuthRequestError) return caught;
    throw caught;
  }
  throw new Error('did not fail');
}

describe('isTokens', () => {
  it.each([
    { name: 'a token response', body: TOKENS, ok: true },
    { name: 'null', body: null, ok: false },
    { name: 'no refresh token', body: { ...TOKENS, refreshToken: undefined }, ok: false },
    { name: 'an empty token', body: { ...TOKENS, token: '' }, ok: false },
    { name: 'a zero lifetime', body: { ...TOKENS, expiresIn: 0 }, ok: false },
    { name: 'no user', body: { ...TOKENS, user: null }, ok: false },
    {
      name: 'a user without scope name',
      body: { ...TOKENS, user: { ...TOKENS.user, scopeName: 1 } },
      ok: false,
    },
  ])('$name → $ok', ({ body, ok }) => {
    expect(isTokens(body)).toBe(ok);
  });
});

describe('createAuthApi', () => {
  it('signs in with a JSON POST to our own /api/auth/login, without a token', async () => {
    const server = fakeServer(TOKENS);
    const api = createAuthApi({ origin: ORIGIN, fetch: server.fetch });
    expect(await api.login('village_officer', 'pw')).toEqual(TOKENS);
    expect(server.requests).toEqual([
      {
        url: `${ORIGIN}/api/auth/login`,
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: { username: 'village_officer', password: 'pw' },
      },
    ]);
  });

  it('refreshes with the refresh token only', async () => {
    const server = fakeServer(TOKENS);
    await createAuthApi({ origin: ORIGIN, fetch: server.fetch }).refresh('old-refresh');
    expect(server.requests.map((r) => [r.url, r.body, r.headers.authorization])).toEqual([
      [`${ORIGIN}/api/auth/refresh`, { refreshToken: 'old-refresh' }, undefined],
    ]);
  });

  it('signs out with the bearer token and the refresh token to revoke', async () => {
    const server = fakeServer({ revokedSessions: 1 });
    const api = createAuthApi({ origin: ORIGIN, fetch: server.fetch });
    expect(await api.logout('access', 'refresh')).toBe(1);
    expect(server.requests.map((r) => [r.url, r.body, r.headers.authorization])).toEqual([
      [`${ORIGIN}/api/auth/logout`, { refreshToken: 'refresh' }, 'Bearer access'],
    ]);
  });

  it.each([
    { status: 401, body: error(401, 'invalid username or password'), detail: 'invalid username or password' },
    {
      status: 423,
      body: error(
        423,
        'account locked until 2026-11-28T07:00:00.000Z after repeated failures',
        'body.username',
      ),
      detail: 'account locked until 2026-11-28T07:00:00.000Z after repeated failures',
    },
    { status: 503, body: 'Service Unavailable', detail: undefined },
  ])('reports HTTP $status with the server message', async ({ status, body, detail }) => {
    const api = createAuthApi({ origin: ORIGIN, fetch: fakeServer(body, status).fetch });
    const caught = await failure(api.login('a', 'b'));
    expect(caught).toMatchObject({ status, detail, url: `${ORIGIN}/api/auth/login` });
  });

  it('reports Retry-After of a 429', async () => {
    const server = fakeServer(error(429, 'too many sign-in attempts', 'body.username'), 429, {
      'retry-after': '42',
    });
    const caught = await failure(createAuthApi({ origin: ORIGIN, fetch: server.fetch }).login('a', 'b'));
    expect(caught).toMatchObject({ status: 429, retryAfterS: 42 });
  });

  it('reports a network failure as status 0', async () => {
    const api = createAuthApi({
      origin: ORIGIN,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const caught = await failure(api.login('a', 'b'));
    expect(caught.status).toBe(0);
    expect(caught.message).toContain('not reached');
  });

  it('refuses a 200 that is not a token response', async () => {
    const api = createAuthApi({ origin: ORIGIN, fetch: fakeServer({ token: 'x' }).fetch });
    expect(await failure(api.refresh('r'))).toMatchObject({ status: 200, detail: 'not a token response' });
  });
});
