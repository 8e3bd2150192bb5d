import { describe, expect, it, vi } from 'vitest';
import { createStore, memoizeOne } from './store.ts';

describe('createStore', () => {
  it('notifies subscribers of a new state and not of an unchanged one', () => {
    const store = createStore({ n: 1 });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.setState((state) => state);
    expect(listener).not.toHaveBeenCalled();
    store.setState((state) => ({ n: state.n + 1 }));
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toEqual({ n: 2 });
    unsubscribe();
    store.setState(() => ({ n: 3 }));
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('memoizeOne', () => {
  it('derives once per input identity', () => {
    const derive = vi.fn((input: { n: number }) => ({ double: input.n * 2 }));
    const memo = memoizeOne(derive);
    const a = { n: 2 };
    expect(memo(a)).toBe(memo(a));
    expect(derive).toHaveBeenCalledTimes(1);
    expect(memo({ n: 2 })).toEqual({ double: 4 });
    expect(derive).toHaveBeenCalledTimes(2);
  });
});
