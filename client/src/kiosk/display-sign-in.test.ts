import { describe, expect, it } from 'vitest';
import { AuthRequestError, type Tokens } from '../auth/auth-api.ts';
import { createSessionStore, sessionFromTokens } from '../auth/session-store.ts';
import { displayTokenFromHash, followDisplaySignIn } from './display-sign-in.ts';

const tokens = (n: number): Tokens => ({
  token: `access-${n}`,
  tokenType: 'Bearer',
  expiresIn: 900,
  refreshToken: `refresh-${n}`,
  user: {
    id: 7,
    username: 'wall',
    displayName: '大屏',
    role: 'county_operator',
    scope: '320803',
    scopeName: '淮安区',
    department: null,
  },
});
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('display sign-in', () => {
  it('reads the token from the fragment only', () => {
    expect(displayTokenFromHash('#display=gwd_abc&x=1')).toBe('gwd_abc');
    expect(displayTokenFromHash('')).toBeNull();
    expect(displayTokenFromHash('#other=1')).toBeNull();
    expect(displayTokenFromHash(`#display=${'a'.repeat(201)}`)).toBeNull();
  });

  it('signs in at start and whenever the session ends, retrying what failed', async () => {
    const sessions = createSessionStore(null);
    const asked: string[] = [];
    let n = 0;
    let failWith: unknown = null;
    const stop = followDisplaySignIn({
      token: 'gwd_wall',
      sessions,
      signIn: async (token) => {
        asked.push(token);
        if (failWith) {
          const error = failWith;
          failWith = null;
          throw error;
        }
        sessions.setSession(sessionFromTokens(tokens(++n), Date.now()));
      },
      retryMs: 10,
      refusedRetryMs: 40,
    });
    await wait(5);
    expect(asked).toEqual(['gwd_wall']);
    expect(sessions.getSnapshot().session?.token).toBe('access-1');

    // the server refused a refresh: the session ends, and the display signs in again
    failWith = new AuthRequestError('/api/auth/display', 0, 'offline');
    sessions.endSession('expired');
    await wait(5);
    expect(asked).toHaveLength(2);
    expect(sessions.getSnapshot().session).toBeNull();
    await wait(30);
    expect(asked).toHaveLength(3);
    expect(sessions.getSnapshot().session?.token).toBe('access-2');

    // a refusal (revoked) is tried again, later
    failWith = new AuthRequestError('/api/auth/display', 401, 'revoked');
    sessions.endSession('signed-out');
    await wait(20);
    expect(asked).toHaveLength(4);
    await wait(60);
    expect(asked).toHaveLength(5);
    expect(sessions.getSnapshot().session?.token).toBe('access-3');
    stop();
  });
});
