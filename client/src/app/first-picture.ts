/**
 * When the page's first picture is up: what can wait for it (the charts' code, the live socket) does.
 * The map has loaded and drawn, or could not start (`mapDrawn`), or the page shows a view without a
 * map (the inbox); at the latest `maxWaitMs` after sign-in, so a map that never finishes holds nothing
 * back for long.
 */
import type { SessionState } from '../auth/session-store.ts';
import type { Store } from '../data/store.ts';
import type { UiState } from './ui-store.ts';
import type { ViewState } from './view.ts';

/** The longest the live socket waits for the first picture after sign-in. */
export const FIRST_PICTURE_WAIT_MAX_MS = 15_000;

type Readable<T> = Pick<Store<T>, 'getSnapshot' | 'subscribe'>;

export function whenFirstPictureUp(deps: {
  ui: Readable<UiState>;
  view: Readable<ViewState>;
  sessions: Readable<SessionState>;
  maxWaitMs?: number;
}): Promise<void> {
  const maxWaitMs = deps.maxWaitMs ?? FIRST_PICTURE_WAIT_MAX_MS;
  return new Promise<void>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribes: (() => void)[] = [];
    const done = () => {
      clearTimeout(timer);
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      resolve();
    };
    const check = () => {
      if (deps.ui.getSnapshot().mapDrawn || deps.view.getSnapshot().view === 'inbox') return done();
      if (timer === undefined && deps.sessions.getSnapshot().session) timer = setTimeout(done, maxWaitMs);
    };
    unsubscribes.push(deps.ui.subscribe(check), deps.view.subscribe(check), deps.sessions.subscribe(check));
    check();
  });
}
