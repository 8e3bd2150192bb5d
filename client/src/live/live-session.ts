/**
 * The live connection follows the signed-in user, as the district's data does: it starts after sign-in,
 * stops at sign-out, and starts afresh (with an empty store) for another user.
 */
import type { SessionStore } from '../auth/session-store.ts';
import type { User } from '../auth/auth-api.ts';
import { startLiveConnection, type LiveConnection, type LiveConnectionDeps } from './live-connection.ts';
import type { LiveStore } from './live-store.ts';
import type { ProgressListener } from './progress-bus.ts';

/**
 * Whether the default subscription (the account's scope, every topic) receives every event of the log,
 * so that a skipped seq means a lost batch: a county-wide account that is not a department handler.
 * Narrower scopes skip the other areas' events by design. (A deployment serving several counties makes
 * this false for county accounts too; the connection notices repeated gaps and stops reloading.)
 */
export const receivesWholeLog = (user: Pick<User, 'role' | 'scope'>): boolean =>
  user.role !== 'department_handler' && /^\d{6}$/.test(user.scope);

export interface LiveSessionDeps {
  sessions: SessionStore;
  store: LiveStore;
  fetch: typeof fetch;
  refresh: () => Promise<unknown>;
  start?: (deps: LiveConnectionDeps) => LiveConnection;
  /** Told of the progress reports the connection receives. */
  onProgress?: ProgressListener;
  /** Resolves when a connection may open its socket (see live-connection.ts); at once when absent. */
  socketReady?: Promise<void>;
  /** Told of every new connection (null when signed out), e.g. for the test hooks. */
  onConnection?: (connection: LiveConnection | null) => void;
}

export function followLivePerSession(deps: LiveSessionDeps): () => void {
  const start = deps.start ?? startLiveConnection;
  let connection: LiveConnection | null = null;
  let userId: number | null = null;

  const follow = () => {
    const session = deps.sessions.getSnapshot().session;
    const id = session?.user.id ?? null;
    if (id === userId) return;
    userId = id;
    connection?.stop();
    connection = null;
    deps.store.reset();
    if (session) {
      connection = start({
        store: deps.store,
        fetch: deps.fetch,
        token: () => deps.sessions.getSnapshot().session?.token ?? null,
        refresh: deps.refresh,
        contiguous: receivesWholeLog(session.user),
        ...(deps.onProgress && { onProgress: deps.onProgress }),
        ...(deps.socketReady && { socketReady: deps.socketReady }),
      });
    }
    deps.onConnection?.(connection);
  };

  const unsubscribe = deps.sessions.subscribe(follow);
  follow();
  return () => {
    unsubscribe();
    connection?.stop();
  };
}
