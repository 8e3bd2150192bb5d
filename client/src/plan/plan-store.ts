/**
 * The planner's view (`?view=plan`): the county's road reach beside the circles, the gap table at the
 * chosen level, the service districts with their 建标152-2017 verdicts and the hydrant gaps, each read
 * from the planner's routes; the map draws them from this store. Exports download with the session's
 * token (a plain link would carry none).
 */
import type { StationTier } from '../../../shared/src/domain.ts';
import type {
  CoverageDistricts,
  CoverageGaps,
  CoverageReach,
  CoverageSiting,
  CoverageSitingBody,
  CoverageWhatIf,
  HydrantGaps,
} from '../../../shared/src/schemas/coverage.ts';
import type { LiveProgress } from '../../../shared/src/schemas/live.ts';
import { downloadFile, failureText, openPrintable } from '../data/documents.ts';
import { createStore } from '../data/store.ts';
import { progressToken, type ProgressSource } from '../live/progress-bus.ts';

export type PlanLevel = CoverageGaps['level'];
export type PlanTab = 'gaps' | 'districts' | 'hydrants' | 'whatif';
/** What the planner reads; each reports its progress under its own key. */
export type PlanRead =
  'reach' | 'gaps' | 'districts' | 'hydrants' | 'whatIf' | 'siting' | 'report' | 'export';

export interface ProposedStation {
  lon: number;
  lat: number;
  tier: StationTier;
}

export interface PlanState {
  level: PlanLevel;
  tab: PlanTab;
  reach: CoverageReach | null;
  gaps: CoverageGaps | null;
  districts: CoverageDistricts | null;
  hydrants: HydrantGaps | null;
  /** what is being read, for the progress line */
  loading: readonly string[];
  /** the server's latest progress report of each read still on its way (when the live stream is up) */
  progress: Readonly<Partial<Record<PlanRead, LiveProgress>>>;
  error: string | null;
  /** the gap row picked in the table (its grid is outlined) */
  picked: string | null;
  /** what-if: stations proposed (a map click adds one of `tier`; dragging moves it) and stations switched off */
  proposed: readonly ProposedStation[];
  switchedOff: readonly string[];
  tier: StationTier;
  whatIf: CoverageWhatIf | null;
  siting: CoverageSiting | null;
}

export const initialPlanState = (): PlanState => ({
  level: 'village',
  tab: 'gaps',
  reach: null,
  gaps: null,
  districts: null,
  hydrants: null,
  loading: [],
  progress: {},
  error: null,
  picked: null,
  proposed: [],
  switchedOff: [],
  tier: 'joint_station',
  whatIf: null,
  siting: null,
});

export function createPlanStore(fetch: () => typeof globalThis.fetch, progress?: ProgressSource) {
  const store = createStore<PlanState>(initialPlanState());
  let generation = 0;
  const latest: Record<string, number> = {};

  /**
   * A `Progress-Token` header for one request, and the server's reports for it kept under `key` until
   * `stop()` (the answer came, or a newer request for the same key took over).
   */
  function track(key: PlanRead): { headers: Record<string, string>; stop(): void } {
    if (!progress) return { headers: {}, stop() {} };
    const token = progressToken();
    const mine = generation;
    const unsubscribe = progress.subscribe((report) => {
      // the last report (finished) comes with the answer, which ends the bar anyway
      if (report.token !== token || report.finished || mine !== generation) return;
      store.setState((s) => ({ ...s, progress: { ...s.progress, [key]: report } }));
    });
    return {
      headers: { 'progress-token': token },
      stop() {
        unsubscribe();
        if (mine !== generation) return;
        store.setState((s) => {
          const current = s.progress[key];
          if (!current || current.token !== token) return s;
          const rest = { ...s.progress };
          delete rest[key];
          return { ...s, progress: rest };
        });
      },
    };
  }

  async function read<K extends 'reach' | 'gaps' | 'districts' | 'hydrants' | 'whatIf' | 'siting'>(
    key: K,
    url: string,
    body?: object,
  ): Promise<void> {
    const mine = generation;
    // a newer request for the same answer wins over an older one still on its way (dragging, toggling)
    const ticket = (latest[key] = (latest[key] ?? 0) + 1);
    const current = () => mine === generation && latest[key] === ticket;
    store.setState((s) => ({ ...s, loading: [...s.loading, key], error: null }));
    const tracking = track(key);
    try {
      const response = await fetch()(url, {
        headers: {
          accept: 'application/json',
          ...(body && { 'content-type': 'application/json' }),
          ...tracking.headers,
        },
        ...(body && { method: 'POST', body: JSON.stringify(body) }),
      });
      if (!current()) return;
      if (!response.ok) {
        const error = await failureText(response);
        store.setState((s) => ({ ...s, error }));
        return;
      }
      const value = (await response.json()) as PlanState[K];
      if (current()) store.setState((s) => ({ ...s, [key]: value }));
    } catch (err) {
      if (current()) store.setState((s) => ({ ...s, error: (err as Error).message }));
    } finally {
      tracking.stop();
      if (mine === generation)
        store.setState((s) => {
          const i = s.loading.indexOf(key);
          return i < 0 ? s : { ...s, loading: [...s.loading.slice(0, i), ...s.loading.slice(i + 1)] };
        });
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
    setTier(tier: StationTier) {
      store.setState((s) => ({ ...s, tier }));
    },
    /** Adds a proposed station of the chosen tier at a point, and recomputes. */
    async propose(lon: number, lat: number): Promise<void> {
      store.setState((s) => ({ ...s, proposed: [...s.proposed, { lon, lat, tier: s.tier }] }));
      await this.recompute();
    },
    /** Moves proposed station i (dragged on the map), and recomputes. */
    async move(i: number, lon: number, lat: number): Promise<void> {
      store.setState((s) => ({
        ...s,
        proposed: s.proposed.map((p, k) => (k === i ? { ...p, lon, lat } : p)),
      }));
      await this.recompute();
    },
    async drop(i: number): Promise<void> {
      store.setState((s) => ({ ...s, proposed: s.proposed.filter((_, k) => k !== i) }));
      await this.recompute();
    },
    /** Switches an existing station off (or back on) in the what-if, and recomputes. */
    async toggleOff(code: string): Promise<void> {
      store.setState((s) => ({
        ...s,
        switchedOff: s.switchedOff.includes(code)
          ? s.switchedOff.filter((c) => c !== code)
          : [...s.switchedOff, code],
      }));
      await this.recompute();
    },
    /** The what-if answer for the stations proposed and switched off (none: the figures now). */
    async recompute(): Promise<void> {
      const { proposed, switchedOff, level } = store.getSnapshot();
      if (proposed.length === 0 && switchedOff.length === 0) {
        store.setState((s) => ({ ...s, whatIf: null }));
        return;
      }
      await read('whatIf', '/api/coverage/what-if', { add: proposed, remove: switchedOff, level });
    },
    /** Asks where k new stations of the chosen tier help most. */
    async site(k: number, objective: CoverageSitingBody['objective']): Promise<void> {
      const { tier } = store.getSnapshot();
      await read('siting', '/api/coverage/siting', { tier, k, objective });
    },
    /** Takes the sites found into the what-if. */
    async adoptSiting(): Promise<void> {
      const { siting } = store.getSnapshot();
      if (!siting) return;
      store.setState((s) => ({
        ...s,
        proposed: [
          ...s.proposed,
          ...siting.steps.map((step) => ({ lon: step.lon, lat: step.lat, tier: siting.tier })),
        ],
        siting: null,
      }));
      await this.recompute();
    },
    /** Opens the printable report (HTML for A4) in a new tab, read under the session. */
    async openReport(): Promise<void> {
      const tracking = track('report');
      const error = await openPrintable(fetch(), '/api/coverage/report.html', tracking.headers).finally(() =>
        tracking.stop(),
      );
      if (error) store.setState((s) => ({ ...s, error }));
    },
    /** Downloads the gap table as CSV or GeoJSON under the session. */
    async download(format: 'csv' | 'geojson'): Promise<void> {
      const { level } = store.getSnapshot();
      const tracking = track('export');
      const error = await downloadFile(
        fetch(),
        `/api/coverage/gaps.${format}?level=${level}`,
        `coverage-gaps-${level}.${format}`,
        tracking.headers,
      ).finally(() => tracking.stop());
      if (error) store.setState((s) => ({ ...s, error }));
    },
  };
}
export type PlanStore = ReturnType<typeof createPlanStore>;
