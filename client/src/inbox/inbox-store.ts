/**
 * The inbox's rows outside React: the open list as the server answered it, kept current by the live
 * store's `hazard.*` rows (no refetch), and by the answers of the operator's own steps.
 */
import type { HazardSummary } from '../../../shared/src/schemas/hazards.ts';
import { createStore, type Store } from '../data/store.ts';
import type { HazardRow, LiveState } from '../live/live-store.ts';
import { listOpenHazards } from './hazard-api.ts';
import { applyLiveHazard, type InboxHazard } from './queue.ts';

export interface InboxState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  error: string | null;
  rows: ReadonlyMap<number, InboxHazard>;
}

export type InboxStore = Store<InboxState> & {
  /** Loads the open list (again); rows the live stream brought meanwhile stay when newer. */
  load(fetch: typeof globalThis.fetch): Promise<void>;
  /** A hazard as a step answered it (or a detail read): newer versions replace the row. */
  put(hazard: HazardSummary): void;
  /**
   * Follows the live store's hazard rows; returns the unsubscribe. A snapshot's row carries no village,
   * so an open case the list did not have is read with `fetchOne` (once).
   */
  follow(
    live: Pick<Store<LiveState>, 'getSnapshot' | 'subscribe'>,
    fetchOne: (id: number) => Promise<HazardSummary>,
  ): () => void;
  reset(): void;
};

const emptyState = (): InboxState => ({ status: 'idle', error: null, rows: new Map() });

/** A summary replaces the row when it is newer (same rule as the live payloads). */
function putSummary(
  rows: ReadonlyMap<number, InboxHazard>,
  hazard: HazardSummary,
): ReadonlyMap<number, InboxHazard> {
  return applyLiveHazard(rows, hazard, { villageCode: hazard.villageCode, gridCode: hazard.gridCode });
}

export function createInboxStore(): InboxStore {
  const store = createStore(emptyState());
  let generation = 0;
  /** The live rows are looked at again once the list is in (cases it lacks are then read one by one). */
  let resync: (() => void) | null = null;
  const setRows = (update: (rows: ReadonlyMap<number, InboxHazard>) => ReadonlyMap<number, InboxHazard>) =>
    store.setState((state) => {
      const rows = update(state.rows);
      return rows === state.rows ? state : { ...state, rows };
    });

  return {
    ...store,
    async load(fetch) {
      const mine = ++generation;
      store.setState((state) => ({ ...state, status: 'loading', error: null }));
      try {
        const items = await listOpenHazards(fetch);
        if (mine !== generation) return;
        setRows((rows) => items.reduce(putSummary, rows));
        store.setState((state) => ({ ...state, status: 'ready' }));
        resync?.();
      } catch (error) {
        if (mine !== generation) return;
        store.setState((state) => ({ ...state, status: 'failed', error: String(error) }));
      }
    },
    put(hazard) {
      setRows((rows) => putSummary(rows, hazard));
    },
    follow(live, fetchOne) {
      // The row objects already applied: a live publish replaces only the rows it changed.
      const seen = new WeakSet<HazardRow>();
      const requested = new Set<number>();
      const fetchMissing = (id: number) => {
        if (requested.has(id)) return;
        requested.add(id);
        fetchOne(id).then(
          (hazard) => setRows((rows) => putSummary(rows, hazard)),
          () => requested.delete(id),
        );
      };
      let hazards: readonly HazardRow[] | null = null;
      const sync = (again = false) => {
        const next = live.getSnapshot().hazards;
        if (next === hazards && !again) return;
        hazards = next;
        setRows((rows) => {
          let result = rows;
          const listed = store.getSnapshot().status === 'ready';
          for (const row of next) {
            if (seen.has(row)) continue;
            const payload = row.open ? row.hazard : { ...row.hazard, state: 'closed' as const };
            if (row.open && row.place === null && !result.has(row.hazard.id)) {
              // until the list is in, it probably has the case: look again then
              if (!listed) continue;
              fetchMissing(row.hazard.id);
            }
            seen.add(row);
            result = applyLiveHazard(result, payload, row.place);
          }
          return result;
        });
      };
      sync();
      resync = () => sync(true);
      const unsubscribe = live.subscribe(() => sync());
      return () => {
        unsubscribe();
        resync = null;
      };
    },
    reset() {
      generation += 1;
      store.setState(emptyState);
    },
  };
}

/** The page's one inbox. */
export const inboxStore = createInboxStore();
