/**
 * Which screen shows: the wall (default), the operator's inbox with the hazard open in it, the
 * dispatcher's desk, the planner's view or the ledger (patrol compliance, the periodic lists). Kept in the
 * URL (`?view=inbox&hazard=12`) so a desk can bookmark its inbox and the browser's back button works.
 */
import { createStore } from '../data/store.ts';

export type ViewName = 'wall' | 'inbox' | 'desk' | 'plan' | 'ledger';

export interface ViewState {
  view: ViewName;
  /** The hazard open in the inbox. */
  hazardId: number | null;
}

export function viewFromSearch(search: string): ViewState {
  const params = new URLSearchParams(search);
  const asked = params.get('view');
  const view: ViewName =
    asked === 'inbox' || asked === 'desk' || asked === 'plan' || asked === 'ledger' ? asked : 'wall';
  const id = Number(params.get('hazard'));
  return { view, hazardId: view === 'inbox' && Number.isSafeInteger(id) && id > 0 ? id : null };
}

/** The search string for a view, keeping the page's other parameters (`lang`). */
export function searchForView(search: string, state: ViewState): string {
  const params = new URLSearchParams(search);
  params.delete('view');
  params.delete('hazard');
  if (state.view !== 'wall') params.set('view', state.view);
  if (state.view === 'inbox' && state.hazardId !== null) params.set('hazard', String(state.hazardId));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function createViewStore() {
  const store = createStore<ViewState>(viewFromSearch(globalThis.location?.search ?? ''));
  globalThis.addEventListener?.('popstate', () => store.setState(() => viewFromSearch(location.search)));
  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    /** `replace`: change the URL without a history entry (a kiosk cycling all day must not pile them up). */
    show(next: ViewState, { replace = false } = {}) {
      const current = store.getSnapshot();
      if (current.view === next.view && current.hazardId === next.hazardId) return;
      // the fragment stays (a wall display's `#display=` token must survive its playlist)
      const url = `${location.pathname}${searchForView(location.search, next)}${location.hash}`;
      if (replace) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
      store.setState(() => next);
    },
  };
}

export const viewStore = createViewStore();
