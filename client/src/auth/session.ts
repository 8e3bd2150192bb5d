/**
 * The signed-in session at work: signs in and out, refreshes the access token shortly before it
 * expires, and gives the data clients a `fetch` that carries `Authorization: Bearer <token>` on
 * every request to our own /api and /ogc.
 *
 * - A 401 answer is refreshed once and the request retried once with the new token; concurrent
 *   requests share one refresh (refresh tokens are single-use: two refreshes with the same token
 *   would look like a stolen token to the server, which then signs the user out everywhere).
 * - A refresh the server refuses (4xx: expired, revoked, reused) ends the session: the sign-in
 *   screen shows. One that did not get through (network, 5xx, 429) keeps the session and is tried
 *   again after `REFRESH_RETRY_MS`, so a wall survives a server restart or a network blip.
 *
 * Device (kiosk) tokens for walls that start unattended come with the live-stream issue; until then
 * a wall signs in here like anyone else (`?user=` only prefills the name).
 */
import { AuthRequestError, type AuthApi, type Tokens } from './auth-api.ts';
import { sessionFromTokens, type Session, type SessionEnd, type SessionStore } from './session-store.ts';

/** How soon a refresh that did not get through is tried again. */
export const REFRESH_RETRY_MS = 30_000;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SessionManagerDeps {
  store: SessionStore;
  api: Pick<AuthApi, 'login' | 'refresh' | 'logout'> & Partial<Pick<AuthApi, 'display'>>;
  /** The fetch requests go out through (the page's). */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Our server's origin: only requests to it carry the token. Defaults to the page's origin. */
  origin?: string;
}

/** Paths that take the bearer token (`/api/health` does not need it, and gets it all the same). */
const GUARDED_PATH = /^\/(api|ogc)(\/|$)/;

function requestUrl(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/** Whether a request to `url` carries the token: our own origin, under /api or /ogc, nothing else. */
export function carriesToken(url: string, origin: string): boolean {
  let resolved: URL;
  try {
    resolved = new URL(url, origin);
  } catch {
    return false;
  }
  return resolved.origin === new URL(origin).origin && GUARDED_PATH.test(resolved.pathname);
}

/** `init` with `Authorization: Bearer <token>` added to the headers of `input` and `init`. */
export function withBearer(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  token: string,
): RequestInit {
  const headers = new Headers(input instanceof Request ? input.headers : undefined);
  new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
  headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}

/** A refusal (the refresh token is no good) as opposed to a refresh that did not get through. */
const refused = (error: unknown) =>
  error instanceof AuthRequestError && error.status >= 400 && error.status < 500 && error.status !== 429;

export function createSessionManager(deps: SessionManagerDeps) {
  const { store, api } = deps;
  const clock = deps.clock ?? systemClock;
  const baseFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const origin = () => deps.origin ?? globalThis.location.origin;

  /** Bumped whenever the session ends or is replaced by a sign-in: stale refreshes are dropped. */
  let generation = 0;
  let timer: unknown = null;
  let inflight: Promise<Tokens> | null = null;

  const current = () => store.getSnapshot().session;

  function cancelTimer() {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  }

  function scheduleAt(at: number) {
    cancelTimer();
    timer = clock.setTimeout(
      () => {
        timer = null;
        void refresh();
      },
      Math.max(0, at - clock.now()),
    );
  }

  function adopt(tokens: Tokens): Session {
    const session = sessionFromTokens(tokens, clock.now());
    store.setSession(session);
    scheduleAt(session.refreshAt);
    return session;
  }

  /** A new session or none: timers and refreshes of the one before are dropped. */
  function nextGeneration() {
    generation += 1;
    inflight = null;
    cancelTimer();
  }

  function end(reason: SessionEnd) {
    nextGeneration();
    store.endSession(reason);
  }

  /** One refresh at a time: every caller while one is on its way shares it. */
  function refreshTokens(): Promise<Tokens> {
    if (inflight) return inflight;
    const session = current();
    if (!session) return Promise.reject(new Error('not signed in'));
    const started = generation;
    const attempt = api.refresh(session.refreshToken).then(
      (tokens) => {
        if (generation === started) adopt(tokens);
        return tokens;
      },
      (error: unknown) => {
        if (generation === started) {
          if (refused(error)) {
            console.warn(`gridwatch: the session could not be refreshed, sign in again: ${String(error)}`);
            end('expired');
          } else {
            console.warn(`gridwatch: refreshing the session failed, retrying: ${String(error)}`);
            scheduleAt(clock.now() + REFRESH_RETRY_MS);
          }
        }
        throw error;
      },
    );
    const shared: Promise<Tokens> = attempt.finally(() => {
      if (inflight === shared) inflight = null;
    });
    // The caller may not wait for it (the timer does not): no unhandled rejection.
    shared.catch(() => {});
    inflight = shared;
    return shared;
  }

  /** Refreshes now (single-flight); the new session, or null where there is none. */
  async function refresh(): Promise<Session | null> {
    const started = generation;
    try {
      await refreshTokens();
    } catch {
      return null;
    }
    return generation === started ? current() : null;
  }

  /** `fetch` with the bearer token on our /api and /ogc, refreshed and retried once on a 401. */
  const authFetch: typeof fetch = async (input, init) => {
    const session = current();
    if (!session || !carriesToken(requestUrl(input), origin())) return baseFetch(input, init);
    // A Request's body can be read once: keep a copy for the retry.
    const retryInput = input instanceof Request ? input.clone() : input;
    const response = await baseFetch(input, withBearer(input, init, session.token));
    if (response.status !== 401) return response;
    let latest = current();
    if (!latest) return response;
    // Another request may have refreshed while this one was on its way.
    if (latest.token === session.token) latest = await refresh();
    if (!latest || latest.token === session.token) return response;
    return baseFetch(retryInput, withBearer(retryInput, init, latest.token));
  };

  /** Revokes a refresh token on the server; the access token may have expired, so refresh first then. */
  async function revoke(pair: { token: string; refreshToken: string }): Promise<void> {
    try {
      await api.logout(pair.token, pair.refreshToken);
    } catch (error) {
      if (!(error instanceof AuthRequestError && error.status === 401)) throw error;
      const fresh = await api.refresh(pair.refreshToken);
      await api.logout(fresh.token, fresh.refreshToken);
    }
  }

  return {
    /** Picks up a session restored from storage: refreshes it when due (at once if it expired). */
    start() {
      const session = current();
      if (session) scheduleAt(session.refreshAt);
    },
    /** Stops the refresh timer (the session stays). */
    stop: cancelTimer,

    async signIn(username: string, password: string): Promise<Session> {
      const tokens = await api.login(username, password);
      nextGeneration();
      return adopt(tokens);
    },

    /** Signs a wall display in with its display token. */
    async signInDisplay(token: string): Promise<Session> {
      if (!api.display) throw new Error('this session manager has no display sign-in');
      const tokens = await api.display(token);
      nextGeneration();
      return adopt(tokens);
    },

    /**
     * Signs out at once (the sign-in screen shows) and revokes the refresh token on the server;
     * resolves when the server has answered. A refresh on its way is waited for, so the token it
     * brings is the one revoked.
     */
    async signOut(): Promise<void> {
      const session = current();
      const pending = inflight;
      end('signed-out');
      if (!session) return;
      let pair: { token: string; refreshToken: string } = session;
      if (pending) pair = await pending.catch(() => session);
      try {
        await revoke(pair);
      } catch (error) {
        console.warn(`gridwatch: signing out on the server failed: ${String(error)}`);
      }
    },

    refresh,
    fetch: authFetch,
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;
