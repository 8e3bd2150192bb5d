/**
 * A tiny external store (subscribe / getSnapshot) for useSyncExternalStore and for code outside React:
 * live data lands here, and only the components that read it re-render.
 */
export interface Store<T> {
  getSnapshot(): T;
  subscribe(listener: () => void): () => void;
  setState(update: (previous: T) => T): void;
}

export function createStore<T>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setState(update) {
      const next = update(state);
      if (Object.is(next, state)) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
  };
}

/** Memoises a derivation on the identity of its arguments, so a selector returns a stable snapshot. */
export function memoizeOne<A extends unknown[], O>(derive: (...args: A) => O): (...args: A) => O {
  let last: { args: A; output: O } | undefined;
  return (...args) => {
    const same =
      last && last.args.length === args.length && args.every((arg, i) => Object.is(arg, last?.args[i]));
    if (!last || !same) last = { args, output: derive(...args) };
    return last.output;
  };
}
