/**
 * The ledger view (`?view=ledger`): patrol compliance per grid for a month (a table, and the map
 * coloured by it), and the periodic lists and the monthly bulletin with their Excel and printable
 * exports. Read from /api/patrols/compliance and /api/ledger/*; the map draws from this store.
 */
import { beijingDay, beijingHalf, beijingMonth } from '../../../shared/src/beijing-time.ts';
import type { Bulletin, KeyHazardList, MonthList } from '../../../shared/src/schemas/ledger.ts';
import type { PatrolCompliance } from '../../../shared/src/schemas/patrol.ts';
import type { RollcallDay, RollcallMonth, RollcallOutcome } from '../../../shared/src/schemas/rollcall.ts';
import { downloadFile, failureText, openPrintable } from '../data/documents.ts';
import { createStore } from '../data/store.ts';

export type LedgerTab = 'patrol' | 'lists' | 'rollcall';
export type ComplianceLevel = PatrolCompliance['level'];
export const LEDGER_LISTS = ['key-hazards', 'joint-tackling', 'coordination', 'bulletin'] as const;
export type LedgerList = (typeof LEDGER_LISTS)[number];
export type LedgerFigures =
  | { list: 'key-hazards'; value: KeyHazardList }
  | { list: 'joint-tackling' | 'coordination'; value: MonthList }
  | { list: 'bulletin'; value: Bulletin };

export interface LedgerState {
  tab: LedgerTab;
  /** YYYY-MM, Beijing */
  month: string;
  /** the half month of the key-hazard list */
  half: 1 | 2;
  level: ComplianceLevel;
  compliance: PatrolCompliance | null;
  list: LedgerList;
  figures: LedgerFigures | null;
  loading: number;
  error: string | null;
  /** the compliance row picked in the table (its grid is outlined) */
  picked: string | null;
  /** the video roll-call's day (YYYY-MM-DD, Beijing), its draw and the month's figures */
  rollcallDate: string;
  rollcall: RollcallDay | null;
  rollcallMonth: RollcallMonth | null;
}

export const initialLedgerState = (now = new Date()): LedgerState => ({
  tab: 'patrol',
  month: beijingMonth(now),
  half: beijingHalf(now).endsWith('-1') ? 1 : 2,
  level: 'village',
  compliance: null,
  list: 'key-hazards',
  figures: null,
  loading: 0,
  error: null,
  picked: null,
  rollcallDate: beijingDay(now),
  rollcall: null,
  rollcallMonth: null,
});

/** The query of a list: its period (the key-hazard list by half month) and format. */
export function listUrl(state: Pick<LedgerState, 'list' | 'month' | 'half'>, format = 'json'): string {
  const period = state.list === 'key-hazards' ? `half=${state.month}-${state.half}` : `month=${state.month}`;
  return `/api/ledger/${state.list}?${period}&format=${format}`;
}

/** The name of a list's Excel file. */
export const listFileName = (state: Pick<LedgerState, 'list' | 'month' | 'half'>) =>
  `${state.list}-${state.month}${state.list === 'key-hazards' ? `-${state.half}` : ''}.xlsx`;

export function createLedgerStore(fetch: () => typeof globalThis.fetch) {
  const store = createStore<LedgerState>(initialLedgerState());
  let generation = 0;
  const latest = { compliance: 0, figures: 0, rollcall: 0, rollcallMonth: 0 };

  async function read<K extends 'compliance' | 'figures' | 'rollcall' | 'rollcallMonth'>(
    key: K,
    url: string,
    wrap: (json: unknown) => LedgerState[K],
  ): Promise<void> {
    const mine = generation;
    // a newer read of the same thing wins over one still on its way (a month changed twice)
    const ticket = ++latest[key];
    const current = () => mine === generation && latest[key] === ticket;
    store.setState((s) => ({ ...s, loading: s.loading + 1, error: null }));
    try {
      const response = await fetch()(url, { headers: { accept: 'application/json' } });
      if (!current()) return;
      if (!response.ok) {
        const error = await failureText(response);
        store.setState((s) => ({ ...s, error }));
        return;
      }
      const value = wrap(await response.json());
      if (current()) store.setState((s) => ({ ...s, [key]: value }));
    } catch (err) {
      if (current()) store.setState((s) => ({ ...s, error: (err as Error).message }));
    } finally {
      if (mine === generation) store.setState((s) => ({ ...s, loading: s.loading - 1 }));
    }
  }

  const readCompliance = () => {
    const { month, level } = store.getSnapshot();
    return read(
      'compliance',
      `/api/patrols/compliance?month=${month}&level=${level}`,
      (json) => json as PatrolCompliance,
    );
  };
  const readFigures = () => {
    const state = store.getSnapshot();
    const list = state.list;
    return read('figures', listUrl(state), (json) => ({ list, value: json }) as LedgerFigures);
  };

  const readRollcall = () => {
    const { rollcallDate } = store.getSnapshot();
    return Promise.all([
      read('rollcall', `/api/rollcall?date=${rollcallDate}`, (json) => json as RollcallDay),
      read(
        'rollcallMonth',
        `/api/rollcall/monthly?month=${rollcallDate.slice(0, 7)}`,
        (json) => json as RollcallMonth,
      ),
    ]);
  };

  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    reset() {
      generation++;
      store.setState(() => initialLedgerState());
    },
    async load(): Promise<void> {
      await Promise.all([readCompliance(), readFigures(), readRollcall()]);
    },
    async setRollcallDate(date: string): Promise<void> {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
      store.setState((s) => ({ ...s, rollcallDate: date }));
      await readRollcall();
    },
    /** Records what the roll-call of a drawn station found; resolves to an error message, or null. */
    async recordRollcall(station: string, outcome: RollcallOutcome, note: string): Promise<string | null> {
      const { rollcallDate } = store.getSnapshot();
      const response = await fetch()('/api/rollcall/results', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          date: rollcallDate,
          station,
          outcome,
          ...(note.trim() && { note: note.trim() }),
        }),
      }).catch((err: Error) => err);
      if (response instanceof Error) return response.message;
      if (!response.ok) return failureText(response);
      const day = (await response.json()) as RollcallDay;
      if (day.date === store.getSnapshot().rollcallDate) store.setState((s) => ({ ...s, rollcall: day }));
      await readRollcall();
      return null;
    },
    /**
     * A roll-call result was recorded somewhere (the live stream's `rollcall.recorded`): the day shown
     * and its month are read again, if the roll-call has been read at all.
     */
    async rollcallRecorded(): Promise<void> {
      if (store.getSnapshot().rollcall) await readRollcall();
    },
    setTab(tab: LedgerTab) {
      store.setState((s) => ({ ...s, tab }));
    },
    async setMonth(month: string): Promise<void> {
      if (!/^\d{4}-\d{2}$/.test(month)) return;
      store.setState((s) => ({ ...s, month, picked: null }));
      await Promise.all([readCompliance(), readFigures()]);
    },
    async setLevel(level: ComplianceLevel): Promise<void> {
      store.setState((s) => ({ ...s, level, picked: null }));
      await readCompliance();
    },
    async setList(list: LedgerList): Promise<void> {
      store.setState((s) => ({ ...s, list, figures: s.figures?.list === list ? s.figures : null }));
      await readFigures();
    },
    async setHalf(half: 1 | 2): Promise<void> {
      store.setState((s) => ({ ...s, half }));
      await readFigures();
    },
    pick(code: string | null) {
      store.setState((s) => ({ ...s, picked: s.picked === code ? null : code }));
    },
    /** The chosen list as a printable page, in a new tab. */
    async print(): Promise<void> {
      const error = await openPrintable(fetch(), listUrl(store.getSnapshot(), 'html'));
      if (error) store.setState((s) => ({ ...s, error }));
    },
    /** The chosen list as an Excel workbook. */
    async downloadExcel(): Promise<void> {
      const state = store.getSnapshot();
      const error = await downloadFile(fetch(), listUrl(state, 'xlsx'), listFileName(state));
      if (error) store.setState((s) => ({ ...s, error }));
    },
  };
}
export type LedgerStore = ReturnType<typeof createLedgerStore>;
