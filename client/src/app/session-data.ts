/**
 * The wall's data follows the signed-in user: their district and features load once they have signed
 * in (each user sees their own scope), and are dropped when they sign out. A token refresh keeps the
 * data; another user signing in loads theirs afresh.
 */
import type { SessionStore } from '../auth/session-store.ts';
import {
  initialDistrictState,
  loadDistrict,
  type DistrictStore,
  type LoadDistrictOptions,
} from '../data/district-store.ts';

export interface SessionDataDeps {
  sessions: SessionStore;
  district: DistrictStore;
  /** The fetch that carries the session's token. */
  fetch: typeof fetch;
  /** Called when the user signs out (e.g. to clear the selection). */
  onSignedOut?: () => void;
  load?: (store: DistrictStore, options: LoadDistrictOptions) => Promise<void>;
}

/** Starts following the session; returns the function that stops it (and aborts any loading). */
export function loadDistrictPerSession(deps: SessionDataDeps): () => void {
  const load = deps.load ?? loadDistrict;
  let loadedFor: number | null = null;
  let controller: AbortController | null = null;

  const stopLoading = () => {
    controller?.abort();
    controller = null;
  };

  const follow = () => {
    const user = deps.sessions.getSnapshot().session?.user ?? null;
    const id = user?.id ?? null;
    if (id === loadedFor) return;
    const signedOut = loadedFor !== null;
    stopLoading();
    loadedFor = id;
    deps.district.setState(() => initialDistrictState());
    if (signedOut) deps.onSignedOut?.();
    if (id === null) return;
    controller = new AbortController();
    void load(deps.district, { fetch: deps.fetch, signal: controller.signal });
  };

  const unsubscribe = deps.sessions.subscribe(follow);
  follow();
  return () => {
    unsubscribe();
    stopLoading();
  };
}
