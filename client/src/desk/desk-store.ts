/**
 * The dispatcher's desk (`?view=desk`): an incident placed by a click on the map or typed in (with its
 * CRS), the nearest forces by road for it, the forces ticked to send, and the confirmation. The map
 * draws the candidates' routes and the 150 m hydrant ring from this store.
 */
import type { InputCrs } from '../../../shared/src/schemas/geometry-input.ts';
import type { DispatchNearest, DispatchRecord } from '../../../shared/src/schemas/dispatch.ts';
import { createStore } from '../data/store.ts';

export interface DeskState {
  incident: { lon: number; lat: number; crs: InputCrs } | null;
  loading: boolean;
  nearest: DispatchNearest | null;
  /** station codes ticked to send (all candidates at first) */
  chosen: readonly string[];
  error: string | null;
  /** the dispatch just confirmed */
  confirmed: DispatchRecord | null;
  sending: boolean;
}

export const initialDeskState = (): DeskState => ({
  incident: null,
  loading: false,
  nearest: null,
  chosen: [],
  error: null,
  confirmed: null,
  sending: false,
});

/** The answer's error text: the server names the field. */
async function failure(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { message?: string; field?: string };
  return `${response.status} ${body.message ?? response.statusText}${body.field ? ` (${body.field})` : ''}`;
}

export function createDeskStore(fetch: () => typeof globalThis.fetch) {
  const store = createStore<DeskState>(initialDeskState());
  let request = 0;
  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    reset() {
      request++;
      store.setState(() => initialDeskState());
    },
    /** Places the incident and asks for the nearest forces (a newer placement wins over an older answer). */
    async place(lon: number, lat: number, crs: InputCrs = 'wgs84', limit = 3): Promise<void> {
      const mine = ++request;
      store.setState((s) => ({
        ...s,
        incident: { lon, lat, crs },
        loading: true,
        error: null,
        confirmed: null,
      }));
      const query = new URLSearchParams({ lon: String(lon), lat: String(lat), crs, limit: String(limit) });
      try {
        const response = await fetch()(`/api/dispatch/nearest?${query}`, {
          headers: { accept: 'application/json' },
        });
        if (mine !== request) return;
        if (!response.ok) {
          const error = await failure(response);
          store.setState((s) => ({ ...s, loading: false, nearest: null, chosen: [], error }));
          return;
        }
        const nearest = (await response.json()) as DispatchNearest;
        if (mine !== request) return;
        store.setState((s) => ({ ...s, loading: false, nearest, chosen: nearest.stations.map((f) => f.id) }));
      } catch (err) {
        if (mine === request)
          store.setState((s) => ({ ...s, loading: false, error: (err as Error).message }));
      }
    },
    toggle(code: string) {
      store.setState((s) => ({
        ...s,
        chosen: s.chosen.includes(code) ? s.chosen.filter((c) => c !== code) : [...s.chosen, code],
      }));
    },
    /** Sends the ticked forces (in the order of the answer: first response first). */
    async confirm(): Promise<DispatchRecord | null> {
      const { incident, nearest, chosen, sending } = store.getSnapshot();
      if (!incident || !nearest || chosen.length === 0 || sending) return null;
      const stations = nearest.stations.map((f) => f.id).filter((id) => chosen.includes(id));
      store.setState((s) => ({ ...s, sending: true, error: null }));
      const response = await fetch()('/api/dispatches', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ...incident, stations }),
      }).catch((err: Error) => err);
      if (response instanceof Error || !response.ok) {
        const error = response instanceof Error ? response.message : await failure(response);
        store.setState((s) => ({ ...s, sending: false, error }));
        return null;
      }
      const confirmed = (await response.json()) as DispatchRecord;
      store.setState((s) => ({ ...s, sending: false, confirmed, nearest: null, chosen: [] }));
      return confirmed;
    },
    async close(id: number): Promise<void> {
      const response = await fetch()(`/api/dispatches/${id}/close`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: '处置完毕' }),
      }).catch((err: Error) => err);
      if (response instanceof Error || !response.ok) {
        const error = response instanceof Error ? response.message : await failure(response);
        store.setState((s) => ({ ...s, error }));
      }
    },
  };
}
export type DeskStore = ReturnType<typeof createDeskStore>;
