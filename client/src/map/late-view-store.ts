/**
 * A view's store (the desk's, the planner's, the ledger's) as the wall map follows it: the view's code
 * (its store and API client) loads when the view is first opened, not with the map, so the first map
 * does not wait for it. Until it has loaded the map takes the view as inactive; then the map's
 * listeners follow the store, and are told once that it has arrived.
 */
import type { ViewName, ViewState } from '../app/view.ts';

interface Followable {
  subscribe(listener: () => void): () => void;
}

export interface LateViewStore<T extends Followable> {
  /** the store once its code has loaded (null until then) */
  current(): T | null;
  /** the view is open and its store is here */
  active(): boolean;
  subscribe(listener: () => void): () => void;
}

export function lateViewStore<T extends Followable>(options: {
  view: ViewName;
  views: { getSnapshot(): ViewState; subscribe(listener: () => void): () => void };
  load: () => Promise<T>;
}): LateViewStore<T> {
  let store: T | null = null;
  let asked = false;
  /** the map's listeners, and their subscriptions to the store once it is here */
  const listeners = new Map<() => void, (() => void) | null>();
  const isOpen = () => options.views.getSnapshot().view === options.view;
  const arrive = (loaded: T) => {
    store = loaded;
    for (const listener of listeners.keys()) listeners.set(listener, loaded.subscribe(listener));
    for (const listener of listeners.keys()) listener();
  };
  const loadWhenOpen = () => {
    if (asked || !isOpen()) return;
    asked = true;
    options
      .load()
      .then(arrive)
      .catch((error: unknown) => {
        asked = false;
        console.error(`gridwatch: the ${options.view} view's code did not load: ${String(error)}`);
      });
  };
  options.views.subscribe(loadWhenOpen);
  loadWhenOpen();
  return {
    current: () => store,
    active: () => store !== null && isOpen(),
    subscribe(listener) {
      listeners.set(listener, store ? store.subscribe(listener) : null);
      return () => {
        listeners.get(listener)?.();
        listeners.delete(listener);
      };
    },
  };
}
