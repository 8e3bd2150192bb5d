/**
 * The signed-in session (access token, refresh token, when to refresh, the user), kept in
 * sessionStorage so a reload of the tab stays signed in while closing it signs out. Invalid or
 * unreadable stored sessions are dropped (the sign-in screen shows).
 */
import { createStore, type Store } from '../data/store.ts';
import type { Tokens, User } from './auth-api.ts';

export const SESSION_STORAGE_KEY = 'gridwatch.session';

/** Refresh this long before the access token expires, at most… */
export const REFRESH_LEAD_MAX_MS = 60_000;
/** …and at most this share of its lifetime (a short-lived token is not refreshed at once). */
export const REFRESH_LEAD_SHARE = 0.2;

export interface Session {
  token: string;
  refreshToken: string;
  /** When the access token expires, ms since the epoch (our clock: `expiresIn` after it arrived). */
  expiresAt: number;
  /** When to refresh it: shortly before `expiresAt`. */
  refreshAt: number;
  user: User;
}

/** Why the last session ended: signed out by the user, or the server refused to refresh it. */
export type SessionEnd = 'signed-out' | 'expired';

export interface SessionState {
  session: Session | null;
  ended: SessionEnd | null;
}

export type SessionStore = Store<SessionState> & {
  /** Signed in or refreshed. */
  setSession(session: Session): void;
  endSession(reason: SessionEnd): void;
};

/** The part of `Storage` the session needs (a Map does it in tests). */
export type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function sessionFromTokens(tokens: Tokens, now: number): Session {
  const lifetimeMs = tokens.expiresIn * 1000;
  const leadMs = Math.min(REFRESH_LEAD_MAX_MS, lifetimeMs * REFRESH_LEAD_SHARE);
  return {
    token: tokens.token,
    refreshToken: tokens.refreshToken,
    expiresAt: now + lifetimeMs,
    refreshAt: now + lifetimeMs - leadMs,
    user: { ...tokens.user },
  };
}

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const session = value as Record<string, unknown>;
  const user = session.user as Record<string, unknown> | null | undefined;
  return (
    typeof session.token === 'string' &&
    typeof session.refreshToken === 'string' &&
    typeof session.expiresAt === 'number' &&
    typeof session.refreshAt === 'number' &&
    typeof user === 'object' &&
    user !== null &&
    typeof user.id === 'number' &&
    typeof user.username === 'string' &&
    typeof user.displayName === 'string' &&
    typeof user.scopeName === 'string'
  );
}

export function readSession(storage: SessionStorageLike | null): Session | null {
  try {
    const stored = storage?.getItem(SESSION_STORAGE_KEY);
    if (!stored) return null;
    const session: unknown = JSON.parse(stored);
    if (isSession(session)) return session;
    storage?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // unreadable (storage disabled, or not JSON): not signed in
  }
  return null;
}

export function writeSession(storage: SessionStorageLike | null, session: Session | null): void {
  try {
    if (session) storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    else storage?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // storage full or disabled: the session lives in memory until the tab is reloaded
  }
}

/** The page's sessionStorage, or null where it cannot be used (privacy settings, no DOM). */
export function browserSessionStorage(): SessionStorageLike | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** A session store starting from what `storage` holds and writing every change back to it. */
export function createSessionStore(storage: SessionStorageLike | null): SessionStore {
  const store = createStore<SessionState>({ session: readSession(storage), ended: null });
  return {
    ...store,
    setSession(session) {
      writeSession(storage, session);
      store.setState(() => ({ session, ended: null }));
    },
    endSession(reason) {
      writeSession(storage, null);
      store.setState((state) => (state.session ? { session: null, ended: reason } : state));
    },
  };
}
