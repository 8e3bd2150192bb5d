import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../data/store.ts';
import type { SessionState } from '../auth/session-store.ts';
import { createUiStore } from './ui-store.ts';
import type { ViewState } from './view.ts';
import { whenFirstPictureUp } from './first-picture.ts';

function setup() {
  const ui = createUiStore();
  const view = createStore<ViewState>({ view: 'wall', hazardId: null });
  const sessions = createStore<SessionState>({ session: null } as SessionState);
  let up = false;
  void whenFirstPictureUp({ ui, view, sessions, maxWaitMs: 5_000 }).then(() => (up = true));
  return { ui, view, sessions, isUp: () => up };
}

describe('whenFirstPictureUp', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for the map to be drawn', async () => {
    const { ui, isUp } = setup();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(isUp()).toBe(false);
    ui.markMapDrawn();
    await vi.advanceTimersByTimeAsync(0);
    expect(isUp()).toBe(true);
  });

  it('does not wait on a view without a map', async () => {
    const { view, isUp } = setup();
    view.setState(() => ({ view: 'inbox', hazardId: null }));
    await vi.advanceTimersByTimeAsync(0);
    expect(isUp()).toBe(true);
  });

  it('waits at most maxWaitMs after sign-in for a map that never finishes', async () => {
    const { sessions, isUp } = setup();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(isUp()).toBe(false);
    sessions.setState(() => ({ session: { token: 't' } }) as unknown as SessionState);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(isUp()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(isUp()).toBe(true);
  });
});
