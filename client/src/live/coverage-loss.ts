/**
 * Keeps the live store's coverage loss current: GET /api/coverage/live once the first snapshot is in,
 * and again shortly after any station status change (several changes within the delay cost one
 * request; one in flight is followed by one more if something changed meanwhile). The server answers
 * from cached per-force reaches in milliseconds, so the wall shows the loss within a second.
 */
import type { CoverageLive } from '../../../shared/src/schemas/coverage.ts';
import type { LiveState, LiveStore } from './live-store.ts';

export const COVERAGE_REFETCH_DELAY_MS = 250;
export const COVERAGE_LIVE_URL = '/api/coverage/live';

/**
 * Whether a store change calls for a new coverage answer: stations changed, or a snapshot came, while
 * signed in (a reset on sign-out changes the station version too, and must not ask without a session).
 */
export function coverageInputsChanged(previous: LiveState, next: LiveState): boolean {
  if (next.connection === 'stopped' || next.snapshotLoads === 0) return false;
  return next.stationsVersion !== previous.stationsVersion || next.snapshotLoads !== previous.snapshotLoads;
}

export interface CoverageFollowDeps {
  store: LiveStore;
  fetch: typeof globalThis.fetch;
  delayMs?: number;
}

export function followCoverageLoss(deps: CoverageFollowDeps): () => void {
  const delayMs = deps.delayMs ?? COVERAGE_REFETCH_DELAY_MS;
  let previous = deps.store.getSnapshot();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let again = false;
  let stopped = false;

  async function load(): Promise<void> {
    // signed out meanwhile: nothing to ask for
    if (deps.store.getSnapshot().connection === 'stopped') return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const response = await deps.fetch(COVERAGE_LIVE_URL, { headers: { accept: 'application/json' } });
      // a wall that cannot get the figure keeps the last one (the next change asks again)
      if (response.ok && !stopped) deps.store.setCoverageLoss((await response.json()) as CoverageLive);
    } catch {
      // offline: the live connection shows the reconnecting state; the next change asks again
    } finally {
      inFlight = false;
      if (again && !stopped) {
        again = false;
        void load();
      }
    }
  }

  const unsubscribe = deps.store.subscribe(() => {
    const next = deps.store.getSnapshot();
    const changed = coverageInputsChanged(previous, next);
    previous = next;
    if (!changed || stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void load(), delayMs);
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}
