import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchDistrict } from '../data/district-client.ts';
import { fetchCollection } from '../data/ogc-client.ts';
import { createAuthApi, type Tokens } from './auth-api.ts';
import { carriesToken, createSessionManager, REFRESH_RETRY_MS, withBearer } from './session.ts';
import { createSessionStore, type SessionStorageLike } from './session-store.ts';

const ORIGIN = 'http://127.0.0.1:3000';
const USER = {
  id: 4,
  username: 'county_operator',
  displayName: '区网格化中心（演示）',
  role: 'county_operator',
  scope: '320803',
  scopeName: '淮安区',
  department: null,
} as const satisfies Tokens['user'];

interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  body?: unknown;
}

/**
 * A fake server (the outside world): issues numbered token pairs (`access-n`, `refresh-n`), accepts
 * the live access tokens on /api and /ogc, rotates refresh tokens (each one once) and revokes them
 * at logout. `refresh` can be made to fail (a status, or 0 for a network error) or to hang.
 */
function fakeServer(options: { expiresIn?: number } = {}) {
  const seen: Seen[] = [];
  let issued = 0;
  const liveAccess = new Set<string>();
  const liveRefresh = new Set<string>();
  const revoked: string[] = [];
  const state = {
    refreshStatus: 200,
    refreshGate: null as Promise<void> | null,
    /** `/api/slow` answers only once this settles. */
    slowGate: null as Promise<void> | null,
    /** Every access token is refused, fresh ones too. */
    refuseAccess: false,
  };
  const issue = (): Tokens => {
    issued += 1;
    liveAccess.add(`access-${issued}`);
    liveRefresh.add(`refresh-${issued}`);
    return {
      token: `access-${issued}`,
      tokenType: 'Bearer',
      expiresIn: options.expiresIn ?? 900,
      refreshToken: `refresh-${issued}`,
      user: USER,
    };
  };
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const error = (status: number, message: string) =>
    json({ statusCode: status, error: 'Error', message, field: 'headers.authorization' }, status);

  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const authorization = request.headers.get('authorization');
    const body: unknown = request.method === 'POST' ? await request.json() : undefined;
    seen.push({ method: request.method, path: `${url.pathname}${url.search}`, authorization, body });
    const bearer = authorization?.replace(/^Bearer /, '') ?? '';
    const signedIn = () => liveAccess.has(bearer) && !state.refuseAccess;
    switch (url.pathname) {
      case '/api/auth/login':
        return json(issue());
      case '/api/auth/refresh': {
        if (state.refreshGate) await state.refreshGate;
        if (state.refreshStatus === 0) throw new TypeError('Failed to fetch');
        if (state.refreshStatus !== 200) return error(state.refreshStatus, 'refresh refused');
        const { refreshToken } = body as { refreshToken: string };
        if (!liveRefresh.delete(refreshToken)) return error(401, 'refresh token is not valid');
        return json(issue());
      }
      case '/api/auth/logout': {
        if (!liveAccess.has(bearer)) return error(401, 'access token has expired: refresh it');
        const { refreshToken } = body as { refreshToken: string };
        const ok = liveRefresh.delete(refreshToken);
        if (ok) revoked.push(refreshToken);
        return json({ revokedSessions: ok ? 1 : 0 });
      }
      case '/api/slow':
        if (state.slowGate) await state.slowGate;
        if (!signedIn()) return error(401, 'access token has expired: refresh it');
        return json({ slow: true });
      case '/api/district':
        if (!signedIn()) return error(401, 'sign in first');
        return json({ code: '320803', name: '淮安区', bbox: [1, 2, 3, 4] });
      default: {
        if (!signedIn()) return error(401, 'sign in first');
        // Two pages of OGC items, the first linking to the second.
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const next = new URL(url);
        next.searchParams.set('offset', String(offset + 1));
        return json({
          type: 'FeatureCollection',
          numberMatched: 2,
          links: offset === 0 ? [{ rel: 'next', href: next.href }] : [],
          features: [{ type: 'Feature', id: `S${offset}`, geometry: null, properties: {} }],
        });
      }
    }
  }) as typeof globalThis.fetch;

  return {
    fetch,
    seen,
    revoked,
    state,
    /** Access tokens stop working (as if they had expired), refresh tokens do not. */
    expireAccessTokens: () => liveAccess.clear(),
    refreshCalls: () => seen.filter((s) => s.path === '/api/auth/refresh'),
  };
}

function memoryStorage() {
  const items = new Map<string, string>();
  const storage: SessionStorageLike = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
  return { storage, items };
}

function setup(options: { expiresIn?: number } = {}) {
  const server = fakeServer(options);
  const { storage, items } = memoryStorage();
  const store = createSessionStore(storage);
  const api = createAuthApi({ origin: ORIGIN, fetch: server.fetch });
  const manager = createSessionManager({ store, api, fetch: server.fetch, origin: ORIGIN });
  return { server, store, items, api, manager };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('carriesToken', () => {
  it.each([
    { url: '/api/district', carries: true },
    { url: '/ogc/collections/stations/items?limit=1', carries: true },
    { url: `${ORIGIN}/ogc/collections/stations/items`, carries: true },
    { url: `${ORIGIN}/api`, carries: true },
    { url: '/apiary', carries: false },
    { url: '/assets/index.js', carries: false },
    { url: 'http://127.0.0.1:3001/api/district', carries: false },
    { url: 'https://tiles.example.com/ogc/collections', carries: false },
    { url: '//evil.example/api/district', carries: false },
  ])('$url → $carries', ({ url, carries }) => {
    expect(carriesToken(url, ORIGIN)).toBe(carries);
  });
});

describe('withBearer', () => {
  it('adds the token to the headers of the request and of init, keeping them', () => {
    const request = new Request(`${ORIGIN}/api/x`, { headers: { accept: 'application/json', 'x-a': '1' } });
    const init = withBearer(request, { headers: { 'x-b': '2' }, method: 'GET' }, 'tok');
    expect(Object.fromEntries(new Headers(init.headers))).toEqual({
      accept: 'application/json',
      authorization: 'Bearer tok',
      'x-a': '1',
      'x-b': '2',
    });
    expect(init.method).toBe('GET');
  });

  it('replaces an authorization header already there', () => {
    const init = withBearer('/api/x', { headers: [['Authorization', 'Bearer old']] }, 'new');
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer new');
  });
});

describe('signing in and header injection', () => {
  it('keeps the session in storage and sends the bearer token to /api and /ogc only', async () => {
    const { server, store, items, manager } = setup();
    const session = await manager.signIn('county_operator', 'secret');
    expect(store.getSnapshot().session).toEqual(session);
    expect(session).toMatchObject({ token: 'access-1', refreshToken: 'refresh-1', user: USER });
    expect(items.size).toBe(1);
    expect(server.seen[0]).toEqual({
      method: 'POST',
      path: '/api/auth/login',
      authorization: null,
      body: { username: 'county_operator', password: 'secret' },
    });

    await manager.fetch(`${ORIGIN}/api/district`, { headers: { accept: 'application/json' } });
    await manager.fetch(new URL('/ogc/collections', ORIGIN));
    await manager.fetch(`${ORIGIN}/assets/app.js`);
    expect(server.seen.slice(1).map(({ path, authorization }) => ({ path, authorization }))).toEqual([
      { path: '/api/district', authorization: 'Bearer access-1' },
      { path: '/ogc/collections', authorization: 'Bearer access-1' },
      { path: '/assets/app.js', authorization: null },
    ]);
  });

  it('never sends the token to another host, whatever the path', async () => {
    const { server, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    await manager.fetch('https://tiles.example.com/api/district');
    await manager.fetch('http://127.0.0.1:3001/ogc/collections');
    expect(server.seen.slice(1).map((s) => s.authorization)).toEqual([null, null]);
  });

  it('sends no token while signed out', async () => {
    const { server, manager } = setup();
    const response = await manager.fetch(`${ORIGIN}/api/district`);
    expect(response.status).toBe(401);
    expect(server.seen).toEqual([
      { method: 'GET', path: '/api/district', authorization: null, body: undefined },
    ]);
    expect(server.refreshCalls()).toEqual([]);
  });

  it('carries the token on every page of an OGC collection (next links) and to /api/district', async () => {
    const { server, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    const items = await fetchCollection('stations', { origin: ORIGIN, fetch: manager.fetch, limit: 1 });
    expect(items.features.map((f) => f.id)).toEqual(['S0', 'S1']);
    expect(await fetchDistrict({ origin: ORIGIN, fetch: manager.fetch })).toMatchObject({ code: '320803' });
    const data = server.seen.filter((s) => !s.path.startsWith('/api/auth/'));
    expect(data.map((s) => s.path)).toEqual([
      '/ogc/collections/stations/items?limit=1',
      '/ogc/collections/stations/items?limit=1&offset=1',
      '/api/district',
    ]);
    expect(data.every((s) => s.authorization === 'Bearer access-1')).toBe(true);
  });
});

describe('refresh scheduling (fake clock)', () => {
  it('refreshes a minute before the access token expires, and again after each refresh', async () => {
    const { server, store, manager } = setup({ expiresIn: 900 });
    await manager.signIn('county_operator', 'secret');
    await vi.advanceTimersByTimeAsync(839_999);
    expect(server.refreshCalls()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.refreshCalls().map((s) => s.body)).toEqual([{ refreshToken: 'refresh-1' }]);
    expect(store.getSnapshot().session).toMatchObject({
      token: 'access-2',
      refreshToken: 'refresh-2',
      expiresAt: Date.now() + 900_000,
    });
    await vi.advanceTimersByTimeAsync(840_000);
    expect(server.refreshCalls().map((s) => s.body)).toEqual([
      { refreshToken: 'refresh-1' },
      { refreshToken: 'refresh-2' },
    ]);
    expect(store.getSnapshot().session?.token).toBe('access-3');
    manager.stop();
  });

  it('refreshes a session restored from storage when due, at once when it has expired', async () => {
    const { server, store, manager } = setup();
    // A pair the server issued, stored by a page that was closed 20 minutes ago.
    await manager.signIn('county_operator', 'secret');
    manager.stop();
    const stored = store.getSnapshot().session;
    if (!stored) throw new Error('not signed in');
    store.setSession({ ...stored, expiresAt: Date.now() - 300_000, refreshAt: Date.now() - 360_000 });
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.refreshCalls().map((s) => s.body)).toEqual([{ refreshToken: 'refresh-1' }]);
    expect(store.getSnapshot().session?.token).toBe('access-2');
    manager.stop();
  });

  it('keeps the session and tries again when a refresh does not get through', async () => {
    const { server, store, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    server.state.refreshStatus = 0;
    await vi.advanceTimersByTimeAsync(840_000);
    expect(server.refreshCalls()).toHaveLength(1);
    expect(store.getSnapshot().session?.token).toBe('access-1');
    server.state.refreshStatus = 503;
    await vi.advanceTimersByTimeAsync(REFRESH_RETRY_MS);
    expect(server.refreshCalls()).toHaveLength(2);
    expect(store.getSnapshot().session?.token).toBe('access-1');
    server.state.refreshStatus = 200;
    await vi.advanceTimersByTimeAsync(REFRESH_RETRY_MS);
    expect(server.refreshCalls()).toHaveLength(3);
    expect(store.getSnapshot().session?.token).toBe('access-2');
    manager.stop();
  });

  it('ends the session (back to the sign-in screen) when the server refuses the refresh', async () => {
    const { server, store, items, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    server.state.refreshStatus = 401;
    await vi.advanceTimersByTimeAsync(840_000);
    expect(store.getSnapshot()).toEqual({ session: null, ended: 'expired' });
    expect(items.size).toBe(0);
    // Nothing is scheduled any more.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(server.refreshCalls()).toHaveLength(1);
  });
});

describe('refresh on 401', () => {
  it('refreshes once for concurrent requests and retries each of them once with the new token', async () => {
    const { server, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    server.expireAccessTokens();
    let release!: () => void;
    server.state.refreshGate = new Promise((resolve) => (release = resolve));
    const responses = Promise.all(
      ['/api/district', '/ogc/collections/stations/items', '/ogc/collections/grids/items'].map((path) =>
        manager.fetch(`${ORIGIN}${path}`),
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    release();
    expect((await responses).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(server.refreshCalls().map((s) => s.body)).toEqual([{ refreshToken: 'refresh-1' }]);
    const data = server.seen.filter((s) => !s.path.startsWith('/api/auth/'));
    expect(data).toHaveLength(6);
    expect(data.slice(0, 3).every((s) => s.authorization === 'Bearer access-1')).toBe(true);
    expect(data.slice(3).every((s) => s.authorization === 'Bearer access-2')).toBe(true);
    manager.stop();
  });

  it('does not refresh again for a 401 to a token another request has already replaced', async () => {
    const { server, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    server.expireAccessTokens();
    let release!: () => void;
    server.state.slowGate = new Promise((resolve) => (release = resolve));
    // Sent with access-1; answered (401) only after another request has refreshed.
    const slow = manager.fetch(`${ORIGIN}/api/slow`);
    expect((await manager.fetch(`${ORIGIN}/api/district`)).status).toBe(200);
    expect(server.refreshCalls()).toHaveLength(1);
    release();
    expect((await slow).status).toBe(200);
    expect(server.refreshCalls()).toHaveLength(1);
    expect(server.seen.filter((s) => s.path === '/api/slow').map((s) => s.authorization)).toEqual([
      'Bearer access-1',
      'Bearer access-2',
    ]);
    manager.stop();
  });

  it('retries only once: a second 401 is the answer', async () => {
    const { server, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    server.state.refuseAccess = true;
    const response = await manager.fetch(`${ORIGIN}/ogc/collections/stations/items`);
    expect(response.status).toBe(401);
    expect(server.refreshCalls()).toHaveLength(1);
    expect(server.seen.filter((s) => s.path.startsWith('/ogc/')).map((s) => s.authorization)).toEqual([
      'Bearer access-1',
      'Bearer access-2',
    ]);
    manager.stop();
  });

  it('retries a Request object with its body', async () => {
    const { server, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    server.expireAccessTokens();
    const request = new Request(`${ORIGIN}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: 'refresh-9' }),
    });
    expect((await manager.fetch(request)).status).toBe(200);
    expect(server.seen.filter((s) => s.path === '/api/auth/logout').map((s) => s.body)).toEqual([
      { refreshToken: 'refresh-9' },
      { refreshToken: 'refresh-9' },
    ]);
    manager.stop();
  });

  it('ends the session when the refresh after a 401 is refused, and answers the 401', async () => {
    const { server, store, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    server.expireAccessTokens();
    server.state.refreshStatus = 401;
    const response = await manager.fetch(`${ORIGIN}/api/district`);
    expect(response.status).toBe(401);
    expect(store.getSnapshot()).toEqual({ session: null, ended: 'expired' });
  });

  it('keeps the session when the refresh after a 401 does not get through', async () => {
    const { server, store, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    server.expireAccessTokens();
    server.state.refreshStatus = 0;
    expect((await manager.fetch(`${ORIGIN}/api/district`)).status).toBe(401);
    expect(store.getSnapshot().session?.token).toBe('access-1');
    server.state.refreshStatus = 200;
    await vi.advanceTimersByTimeAsync(REFRESH_RETRY_MS);
    expect(store.getSnapshot().session?.token).toBe('access-2');
    expect((await manager.fetch(`${ORIGIN}/api/district`)).status).toBe(200);
    manager.stop();
  });
});

describe('signOut', () => {
  it('ends the session at once and revokes the refresh token on the server', async () => {
    const { server, store, items, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    const done = manager.signOut();
    expect(store.getSnapshot()).toEqual({ session: null, ended: 'signed-out' });
    expect(items.size).toBe(0);
    await done;
    expect(server.seen.at(-1)).toEqual({
      method: 'POST',
      path: '/api/auth/logout',
      authorization: 'Bearer access-1',
      body: { refreshToken: 'refresh-1' },
    });
    expect(server.revoked).toEqual(['refresh-1']);
    // No refresh is scheduled for the ended session.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(server.refreshCalls()).toEqual([]);
  });

  it('refreshes an expired access token to sign out with it', async () => {
    const { server, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    server.expireAccessTokens();
    await manager.signOut();
    expect(server.refreshCalls().map((s) => s.body)).toEqual([{ refreshToken: 'refresh-1' }]);
    expect(server.revoked).toEqual(['refresh-2']);
  });

  it('revokes the pair a refresh on its way brings, and does not adopt it', async () => {
    const { server, store, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    let release!: () => void;
    server.state.refreshGate = new Promise((resolve) => (release = resolve));
    const refreshing = manager.refresh();
    await vi.advanceTimersByTimeAsync(0);
    const done = manager.signOut();
    release();
    await done;
    expect(await refreshing).toBeNull();
    expect(store.getSnapshot().session).toBeNull();
    expect(server.revoked).toEqual(['refresh-2']);
  });

  it('signs out locally even when the server cannot be reached', async () => {
    const { store, manager } = setup();
    await manager.signIn('county_operator', 'secret');
    const unreachable = createSessionManager({
      store,
      api: createAuthApi({
        origin: ORIGIN,
        fetch: async () => {
          throw new TypeError('Failed to fetch');
        },
      }),
      origin: ORIGIN,
    });
    await expect(unreachable.signOut()).resolves.toBeUndefined();
    expect(store.getSnapshot().session).toBeNull();
    manager.stop();
  });
});
