import { describe, expect, it, vi } from 'vitest';
import type { ViewState } from '../app/view.ts';
import { createStore } from '../data/store.ts';
import { lateViewStore } from './late-view-store.ts';

function setup(view: ViewState['view'] = 'wall') {
  const views = createStore<ViewState>({ view, hazardId: null });
  const store = createStore({ n: 0 });
  let resolve: (value: typeof store) => void = () => {};
  const load = vi.fn(() => new Promise<typeof store>((r) => (resolve = r)));
  const late = lateViewStore({ view: 'plan', views, load });
  return { views, store, load, late, arrive: () => resolve(store) };
}

describe('lateViewStore', () => {
  it('loads the view’s store when the view first opens, not before, and only once', async () => {
    const { views, load, late } = setup();
    expect(load).not.toHaveBeenCalled();
    expect(late.active()).toBe(false);
    views.setState(() => ({ view: 'plan', hazardId: null }));
    views.setState(() => ({ view: 'wall', hazardId: null }));
    views.setState(() => ({ view: 'plan', hazardId: null }));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tells the map’s listeners once it arrives, then follows the store; inactive on other views', async () => {
    const { views, store, late, arrive } = setup('plan');
    const listener = vi.fn();
    const unsubscribe = late.subscribe(listener);
    expect(late.active()).toBe(false);
    arrive();
    await Promise.resolve();
    await Promise.resolve();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(late.active()).toBe(true);
    expect(late.current()).toBe(store);
    store.setState(() => ({ n: 1 }));
    expect(listener).toHaveBeenCalledTimes(2);
    views.setState(() => ({ view: 'ledger', hazardId: null }));
    expect(late.active()).toBe(false);
    unsubscribe();
    store.setState(() => ({ n: 2 }));
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('asks again the next time the view opens when its code failed to load', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const views = createStore<ViewState>({ view: 'plan', hazardId: null });
    const load = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(createStore({}));
    const late = lateViewStore({ view: 'plan', views, load });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(late.current()).toBeNull();
    views.setState(() => ({ view: 'wall', hazardId: null }));
    views.setState(() => ({ view: 'plan', hazardId: null }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(load).toHaveBeenCalledTimes(2);
    expect(late.current()).not.toBeNull();
    vi.restoreAllMocks();
  });
});
