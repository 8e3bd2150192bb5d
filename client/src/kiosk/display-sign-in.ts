/**
 * A wall display signs itself in: its URL carries a display token in the fragment (`#display=<token>`,
 * never sent to the server with the page request, so it stays out of access logs), issued by an
 * administrator for the wall's account (POST /api/devices with kind "display"). Whenever the page has
 * no session (at start, after a refresh the server refused, after a sign-out) it signs in with it;
 * attempts that fail are tried again, sooner when the server was not reached than when it refused.
 */
import type { SessionStore } from '../auth/session-store.ts';
import { AuthRequestError } from '../auth/auth-api.ts';

export const DISPLAY_RETRY_MS = 5_000;
export const DISPLAY_REFUSED_RETRY_MS = 60_000;

/** The display token of a page's fragment, or null. */
export function displayTokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('display');
  return token && token.length <= 200 ? token : null;
}

export interface DisplaySignInDeps {
  token: string;
  sessions: SessionStore;
  signIn(token: string): Promise<unknown>;
  retryMs?: number;
  refusedRetryMs?: number;
}

export function followDisplaySignIn(deps: DisplaySignInDeps): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let trying = false;
  let stopped = false;

  async function attempt(): Promise<void> {
    timer = undefined;
    if (stopped || trying || deps.sessions.getSnapshot().session) return;
    trying = true;
    try {
      await deps.signIn(deps.token);
    } catch (error) {
      const refused = error instanceof AuthRequestError && error.status >= 400 && error.status < 500;
      console.warn(`gridwatch: the display could not sign in: ${String(error)}`);
      if (!stopped)
        timer = setTimeout(
          () => void attempt(),
          refused ? (deps.refusedRetryMs ?? DISPLAY_REFUSED_RETRY_MS) : (deps.retryMs ?? DISPLAY_RETRY_MS),
        );
    } finally {
      trying = false;
    }
  }

  const unsubscribe = deps.sessions.subscribe(() => {
    if (!deps.sessions.getSnapshot().session && timer === undefined) void attempt();
  });
  void attempt();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}
