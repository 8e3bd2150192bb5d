import { describe, expect, it, vi } from 'vitest';
import type { Tokens } from '../auth/auth-api.ts';
import { createSessionStore, sessionFromTokens } from '../auth/session-store.ts';
import { createDistrictStore, type LoadDistrictOptions } from '../data/district-store.ts';
import { loadDistrictPerSession } from './session-data.ts';

const tokens = (id: number, n: number): Tokens => ({
  token: `access-${n}`,
  tokenType: 'Bearer',
  expiresIn: 900,
  refreshToken: `refresh-${n}`,
  user: {
    id,
    username: `user${id}`,
    displayName: `User ${id}`,
    role: 'county_operator',
    scope: '320803',
    scopeName: '淮安区',
    department: null,
  },
});

function setup() {
  const sessions = createSessionStore(null);
  const district = createDistrictStore();
  const loads: LoadDistrictOptions[] = [];
  const load = vi.fn(async (_store: unknown, options: LoadDistrictOptions) => {
    loads.push(options);
  });
  const fetch = vi.fn() as unknown as typeof globalThis.fetch;
  const onSignedOut = vi.fn();
  const stop = loadDistrictPerSession({ sessions, district, fetch, load, onSignedOut });
  return { sessions, district, loads, load, fetch, onSignedOut, stop };
}

describe('loadDistrictPerSession', () => {
  it('loads nothing before sign-in', () => {
    const { load } = setup();
    expect(load).not.toHaveBeenCalled();
  });

  it('loads the district with the session fetch once signed in, not again when the token is refreshed', () => {
    const { sessions, loads, fetch } = setup();
    sessions.setSession(sessionFromTokens(tokens(1, 1), 0));
    sessions.setSession(sessionFromTokens(tokens(1, 2), 840_000));
    expect(loads).toHaveLength(1);
    expect(loads[0]?.fetch).toBe(fetch);
    expect(loads[0]?.signal?.aborted).toBe(false);
  });

  it('aborts the loading and drops the data when the user signs out; loads afresh for the next', () => {
    const { sessions, district, loads, onSignedOut } = setup();
    sessions.setSession(sessionFromTokens(tokens(1, 1), 0));
    district.setState((state) => ({
      ...state,
      district: { code: '1', name: 'x', bbox: [1, 2, 3, 4] },
      pending: [],
    }));
    sessions.endSession('signed-out');
    expect(loads[0]?.signal?.aborted).toBe(true);
    expect(district.getSnapshot().district).toBeNull();
    expect(district.getSnapshot().pending.length).toBeGreaterThan(0);
    expect(onSignedOut).toHaveBeenCalledTimes(1);
    sessions.setSession(sessionFromTokens(tokens(2, 3), 0));
    expect(loads).toHaveLength(2);
    expect(loads[1]?.signal?.aborted).toBe(false);
  });

  it('stops following and aborts when stopped', () => {
    const { sessions, loads, stop } = setup();
    sessions.setSession(sessionFromTokens(tokens(1, 1), 0));
    stop();
    expect(loads[0]?.signal?.aborted).toBe(true);
    sessions.endSession('signed-out');
    sessions.setSession(sessionFromTokens(tokens(2, 2), 0));
    expect(loads).toHaveLength(1);
  });
});
