/**
 * The planner's view (`?view=plan`): the county's road reach beside the circles, the gap table at the
 * chosen level, the service districts with their 建标152-2017 verdicts and the hydrant gaps, each read
 * from the planner's routes; the map draws them from this store. Exports download with the session's
 * token (a plain link would carry none).
 */
import type {
  CoverageDistricts,
  CoverageGaps,
  CoverageReach,
  HydrantGaps,
} from '../../../shared/src/schemas/coverage.ts';
import { createStore } from '../data/store.ts';

export type PlanLevel = CoverageGaps['level'];
export type PlanTab = 'gaps' | 'districts' | 'hydrants';

export interface PlanState {
  level: PlanLevel;
  tab: PlanTab;
  reach: CoverageReach | null;
  gaps: CoverageGaps | null;
  districts: CoverageDistricts | null;
  hydrants: HydrantGaps | null;
  /** what is being read, for the progress line */
  loading: readonly string[];
  error: string | null;
  /** the gap row picked in the table (its grid is outlined) */
  picked: string | null;
}

export const initialPlanState = (): PlanState => ({
  level: 'village',
  tab: 'gaps',
  reach: null,
  gaps: null,
  districts: null,
  hydrants: null,
  loading: [],
  error: null,
  picked: null,
});

async function failure(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { message?: string; field?: string };
  return `${response.status} ${body.message ?? response.statusText}${body.field ? ` (${body.field})` : ''}`;
}

export function createPlanStore(fetch: () => typeof globalThis.fetch) {
  const store = createStore<PlanState>(initialPlanState());
  let generation = 0;

  async function read<K extends 'reach' | 'gaps' | 'districts' | 'hydrants'>(
    key: K,
    url: string,
  ): Promise<void> {
    const mine = generation;
    store.setState((s) => ({ ...s, loading: [...s.loading, key], error: null }));
    try {
      const response = await fetch()(url, { headers: { accept: 'application/json' } });
      if (mine !== generation) return;
      if (!response.ok) {
        const error = await failure(response);
        store.setState((s) => ({ ...s, error }));
        return;
      }
      const value = (await response.json()) as PlanState[K];
      if (mine === generation) store.setState((s) => ({ ...s, [key]: value }));
    } catch (err) {
      if (mine === generation) store.setState((s) => ({ ...s, error: (err as Error).message }));
    } finally {
      if (mine === generation) store.setState((s) => ({ ...s, loading: s.loading.filter((k) => k !== key) }));
    }
  }

  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    reset() {
      generation++;
      store.setState(() => initialPlanState());
    },
    /** Reads everything the view shows (the server keeps the computations, so this is cheap again). */
    async load(): Promise<void> {
      const { level } = store.getSnapshot();
      await Promise.all([
        read('reach', '/api/coverage/reach'),
        read('gaps', `/api/coverage/gaps?level=${level}`),
        read('districts', '/api/coverage/districts'),
        read('hydrants', '/api/coverage/hydrants'),
      ]);
    },
    async setLevel(level: PlanLevel): Promise<void> {
      store.setState((s) => ({ ...s, level, picked: null }));
      await read('gaps', `/api/coverage/gaps?level=${level}`);
    },
    setTab(tab: PlanTab) {
      store.setState((s) => ({ ...s, tab }));
    },
    pick(code: string | null) {
      store.setState((s) => ({ ...s, picked: s.picked === code ? null : code }));
    },
    /** Downloads the gap table as CSV or GeoJSON under the session. */
    async download(format: 'csv' | 'geojson'): Promise<void> {
      const { level } = store.getSnapshot();
      const response = await fetch()(`/api/coverage/gaps.${format}?level=${level}`).catch(
        (err: Error) => err,
      );
      if (response instanceof Error || !response.ok) {
        const error = response instanceof Error ? response.message : await failure(response);
        store.setState((s) => ({ ...s, error }));
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `coverage-gaps-${level}.${format}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}
export type PlanStore = ReturnType<typeof createPlanStore>;
