import { useSyncExternalStore } from 'react';
import type { Store } from '../data/store.ts';

/**
 * Subscribes a component to part of a store. The selector must return a stable value for an unchanged
 * state (a field, or a memoised derivation), or React would re-render forever.
 */
export function useStoreSelector<T, S>(
  store: Pick<Store<T>, 'subscribe' | 'getSnapshot'>,
  selector: (state: T) => S,
): S {
  return useSyncExternalStore(store.subscribe, () => selector(store.getSnapshot()));
}
