/**
 * The wall's figures (GET /api/wall/summary), kept live: the server reads them in one snapshot with the
 * event log's head (`seq`), so a live event past that seq means the figures are behind and are read
 * again. Reads are spaced at least WALL_REFETCH_MS apart (a thousand position events a second cost
 * one read a second), and made every WALL_CLOCK_MS as well, because a deadline passing turns a case
 * overdue without any event. A read that fails is retried with doubling spacing (up to
 * WALL_RETRY_MAX_MS), and at once when the live connection comes back.
 */
import type { WallSummary } from '../../../shared/src/schemas/wall.ts';
import { createStore, type Store } from '../data/store.ts';
import type { LiveState, LiveStore } from '../live/live-store.ts';

export const WALL_SUMMARY_URL = '/api/wall/summary';
/** the first read after an event waits this long, so a burst of events costs one read */
export const WALL_SETTLE_MS = 200;
export const WALL_REFETCH_MS = 1_000;
export const WALL_CLOCK_MS = 60_000;
export const WALL_RETRY_MAX_MS = 30_000;

export interface WallSummaryState {
  summary: WallSummary | null;
  /** client time (ms) of the last good read */
  readAt: number | null;
  /** the last read failed (the figures shown are older) */
  failed: boolean;
}

export const createWallSummaryStore = (): Store<WallSummaryState> =>
  createStore<WallSummaryState>({ summary: null, readAt: null, failed: false });

/** Whether the live stream has moved past what the figures include (or a new snapshot came). */
export function summaryBehind(summary: WallSummary | null, live: LiveState): boolean {
  if (live.connection === 'stopped' || live.snapshotLoads === 0) return false;
  return summary === null || live.appliedSeq > summary.seq;
}

export interface WallSummaryDeps {
  live: LiveStore;
  store: Store<WallSummaryState>;
  fetch: typeof globalThis.fetch;
  now?: () => number;
  settleMs?: number;
  refetchMs?: number;
  clockMs?: number;
  retryMaxMs?: number;
}

/** Follows the live store until the returned function is called. */
export function followWallSummary(deps: WallSummaryDeps): () => void {
  const now = deps.now ?? (() => Date.now());
  const settleMs = deps.settleMs ?? WALL_SETTLE_MS;
  const refetchMs = deps.refetchMs ?? WALL_REFETCH_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let lastStart = -Infinity;
  let stopped = false;
  /** reads failed in a row (a server away is not asked every second) */
  let failures = 0;
  let connection = deps.live.getSnapshot().connection;
  const retryWait = () =>
    Math.min(deps.retryMaxMs ?? WALL_RETRY_MAX_MS, refetchMs * 2 ** Math.min(failures, 16));
  const failed = () => {
    failures += 1;
    if (!stopped) deps.store.setState((s) => (s.failed ? s : { ...s, failed: true }));
  };

  async function load(): Promise<void> {
    timer = undefined;
    if (stopped || inFlight) return;
    if (deps.live.getSnapshot().connection === 'stopped') return;
    inFlight = true;
    lastStart = now();
    try {
      const response = await deps.fetch(WALL_SUMMARY_URL, { headers: { accept: 'application/json' } });
      if (stopped) return;
      if (response.ok) {
        const summary = (await response.json()) as WallSummary;
        failures = 0;
        if (!stopped) deps.store.setState(() => ({ summary, readAt: now(), failed: false }));
      } else failed();
    } catch {
      // offline: the live connection shows it is reconnecting; the figures stay, marked as old
      failed();
    } finally {
      inFlight = false;
      // events that came while reading: read again, spaced (further after each failure)
      if (!stopped && summaryBehind(deps.store.getSnapshot().summary, deps.live.getSnapshot()))
        schedule(failures > 0 ? retryWait() : 0);
    }
  }

  function schedule(atLeast = 0): void {
    if (timer !== undefined || inFlight || stopped) return;
    const wait = Math.max(settleMs, lastStart + refetchMs - now(), atLeast);
    timer = setTimeout(() => void load(), wait);
  }

  const unsubscribe = deps.live.subscribe(() => {
    const live = deps.live.getSnapshot();
    if (live.connection === 'stopped') {
      connection = live.connection;
      // signed out: another user's figures must not show
      if (deps.store.getSnapshot().summary !== null)
        deps.store.setState(() => ({ summary: null, readAt: null, failed: false }));
      return;
    }
    const back = live.connection === 'live' && connection !== 'live';
    connection = live.connection;
    if (back && failures > 0) {
      // the server answers again: no need to sit out the retry spacing
      failures = 0;
      clearTimeout(timer);
      timer = undefined;
    }
    if (summaryBehind(deps.store.getSnapshot().summary, live)) schedule();
  });
  const clock = setInterval(() => {
    if (deps.live.getSnapshot().snapshotLoads > 0) void load();
  }, deps.clockMs ?? WALL_CLOCK_MS);
  if (summaryBehind(deps.store.getSnapshot().summary, deps.live.getSnapshot())) schedule();

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(clock);
    unsubscribe();
  };
}
