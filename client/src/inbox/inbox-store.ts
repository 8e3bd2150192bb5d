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
  /** Follows the live store's hazard rows; returns the unsubscribe. */
  follow(live: Pick<Store<LiveState>, 'getSnapshot' | 'subscribe'>): () => void;
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
      } catch (error) {
        if (mine !== generation) return;
        store.setState((state) => ({ ...state, status: 'failed', error: String(error) }));
      }
    },
    put(hazard) {
      setRows((rows) => putSummary(rows, hazard));
    },
    follow(live) {
      // The row objects already applied: a live publish replaces only the rows it changed.
      let seen = new WeakSet<HazardRow>();
      let hazards: readonly HazardRow[] | null = null;
      const sync = () => {
        const next = live.getSnapshot().hazards;
        if (next === hazards) return;
        // A new snapshot starts the arrays afresh: every row is looked at once more (versions decide).
        if (next.length < (hazards?.length ?? 0)) seen = new WeakSet();
        hazards = next;
        setRows((rows) => {
          let result = rows;
          for (const row of next) {
            if (seen.has(row)) continue;
            seen.add(row);
            const payload = row.open ? row.hazard : { ...row.hazard, state: 'closed' as const };
            result = applyLiveHazard(result, payload, row.place);
          }
          return result;
        });
      };
      sync();
      return live.subscribe(sync);
    },
    reset() {
      generation += 1;
      store.setState(emptyState);
    },
  };
}

/** The page's one inbox. */
export const inboxStore = createInboxStore();
