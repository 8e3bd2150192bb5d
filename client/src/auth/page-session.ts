/** The page's one session: kept in sessionStorage, signed in against our own server. */
import { createAuthApi } from './auth-api.ts';
import { createSessionManager } from './session.ts';
import { browserSessionStorage, createSessionStore } from './session-store.ts';

export const sessionStore = createSessionStore(browserSessionStorage());

export const session = createSessionManager({ store: sessionStore, api: createAuthApi() });

/** The access token of this moment (null: signed out), for requests made outside `session.fetch` (tiles). */
export const currentToken = (): string | null => sessionStore.getSnapshot().session?.token ?? null;
