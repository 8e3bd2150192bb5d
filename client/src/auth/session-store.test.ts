import { describe, expect, it } from 'vitest';
import type { Tokens } from './auth-api.ts';
import {
  SESSION_STORAGE_KEY,
  createSessionStore,
  readSession,
  sessionFromTokens,
  writeSession,
  type Session,
  type SessionStorageLike,
} from './session-store.ts';

const USER = {
  id: 4,
  username: 'county_operator',
  displayName: '区网格化中心（演示）',
  role: 'county_operator',
  scope: '320803',
  scopeName: '淮安区',
  department: null,
} as const satisfies Tokens['user'];

const tokens = (expiresIn = 900, n = 1): Tokens => ({
  token: `access-${n}`,
  tokenType: 'Bearer',
  expiresIn,
  refreshToken: `refresh-${n}`,
  user: USER,
});

/** sessionStorage as a Map (the unit project has no DOM). */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  const storage: SessionStorageLike = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
  return { storage, items };
}

const brokenStorage: SessionStorageLike = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

describe('sessionFromTokens', () => {
  it('refreshes a minute before a 15-minute token expires', () => {
    const session = sessionFromTokens(tokens(900), 1_000_000);
    expect(session).toEqual({
      token: 'access-1',
      refreshToken: 'refresh-1',
      expiresAt: 1_000_000 + 900_000,
      refreshAt: 1_000_000 + 840_000,
      user: USER,
    });
  });

  it('refreshes a short-lived token at 80% of its life, not at once', () => {
    const session = sessionFromTokens(tokens(30), 0);
    expect(session.expiresAt).toBe(30_000);
    expect(session.refreshAt).toBe(24_000);
  });
});

describe('readSession / writeSession', () => {
  it('round-trips a session through storage under one key', () => {
    const { storage, items } = memoryStorage();
    const session = sessionFromTokens(tokens(), 5);
    writeSession(storage, session);
    expect([...items.keys()]).toEqual([SESSION_STORAGE_KEY]);
    expect(readSession(storage)).toEqual(session);
    writeSession(storage, null);
    expect(items.size).toBe(0);
    expect(readSession(storage)).toBeNull();
  });

  it.each([
    { name: 'not JSON', stored: '{token' },
    { name: 'not a session', stored: JSON.stringify({ token: 'a' }) },
    {
      name: 'a session without its user',
      stored: JSON.stringify({ ...sessionFromTokens(tokens(), 0), user: null }),
    },
    {
      name: 'a string expiry',
      stored: JSON.stringify({ ...sessionFromTokens(tokens(), 0), expiresAt: '1' }),
    },
  ])('drops $name', ({ stored }) => {
    const { storage } = memoryStorage({ [SESSION_STORAGE_KEY]: stored });
    expect(readSession(storage)).toBeNull();
  });

  it('signs out quietly where storage cannot be used', () => {
    expect(readSession(brokenStorage)).toBeNull();
    expect(readSession(null)).toBeNull();
    expect(() => writeSession(brokenStorage, sessionFromTokens(tokens(), 0))).not.toThrow();
  });
});

describe('createSessionStore', () => {
  it('starts from the stored session (a reload stays signed in)', () => {
    const session = sessionFromTokens(tokens(), 0);
    const { storage } = memoryStorage({ [SESSION_STORAGE_KEY]: JSON.stringify(session) });
    expect(createSessionStore(storage).getSnapshot()).toEqual({ session, ended: null });
  });

  it('writes every new session to storage and removes it when the session ends', () => {
    const { storage, items } = memoryStorage();
    const store = createSessionStore(storage);
    const seen: (Session | null)[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().session));
    const first = sessionFromTokens(tokens(900, 1), 0);
    const second = sessionFromTokens(tokens(900, 2), 840_000);
    store.setSession(first);
    store.setSession(second);
    expect(JSON.parse(items.get(SESSION_STORAGE_KEY) ?? 'null')).toEqual(second);
    store.endSession('expired');
    expect(items.has(SESSION_STORAGE_KEY)).toBe(false);
    expect(store.getSnapshot()).toEqual({ session: null, ended: 'expired' });
    expect(seen).toEqual([first, second, null]);
  });

  it('keeps the first reason when an ended session ends again', () => {
    const store = createSessionStore(memoryStorage().storage);
    store.setSession(sessionFromTokens(tokens(), 0));
    store.endSession('signed-out');
    store.endSession('expired');
    expect(store.getSnapshot().ended).toBe('signed-out');
  });

  it('works in memory where storage cannot be used', () => {
    const store = createSessionStore(brokenStorage);
    const session = sessionFromTokens(tokens(), 0);
    store.setSession(session);
    expect(store.getSnapshot().session).toEqual(session);
  });
});
