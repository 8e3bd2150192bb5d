/**
 * A kiosk screen plays its playlist while someone is signed in: each step shows its view for its
 * seconds, then the next, round and round, without mouse or keyboard. Steps the account may not see
 * (the planner's view for a town centre) are passed over, as is the busiest-town step while no open
 * hazard lies in a town. The live connection carries on underneath: a server restart shows the
 * reconnecting state and resumes by sequence while the playlist keeps turning.
 */
import { createStore, type Store } from '../data/store.ts';
import type { BusiestTown } from './busiest-town.ts';
import type { KioskConfig, KioskStep, KioskStepView } from './playlist.ts';

export interface KioskState {
  index: number;
  step: KioskStep;
  /** client time (ms) the step began */
  startedAt: number;
  /** the town the `town` step zoomed to */
  town: BusiestTown | null;
  /** how many steps have been shown since the start */
  advances: number;
}

export interface KioskDeps {
  config: KioskConfig;
  show(view: 'wall' | 'plan' | 'ledger'): void;
  focus(town: BusiestTown | null): void;
  busiest(): BusiestTown | null;
  allowed(view: KioskStepView): boolean;
  store?: Store<KioskState | null>;
  now?: () => number;
}

/** When no step can be shown, the overview stays this long before the playlist is tried again. */
export const KIOSK_RETRY_MS = 30_000;

export const kioskStore: Store<KioskState | null> = createStore<KioskState | null>(null);

/** Plays the playlist until the returned function is called. */
export function startKiosk(deps: KioskDeps): () => void {
  const store = deps.store ?? kioskStore;
  const now = deps.now ?? (() => Date.now());
  const { steps } = deps.config;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let advances = store.getSnapshot()?.advances ?? 0;

  function play(index: number, tried = 0): void {
    if (tried >= steps.length) {
      // nothing on the list can be shown now: the overview, and another try later
      deps.show('wall');
      deps.focus(null);
      timer = setTimeout(() => play(0), KIOSK_RETRY_MS);
      return;
    }
    const step = steps[index]!;
    const next = (index + 1) % steps.length;
    if (!deps.allowed(step.view)) return play(next, tried + 1);
    const town = step.view === 'town' ? deps.busiest() : null;
    if (step.view === 'town' && !town) return play(next, tried + 1);
    deps.show(step.view === 'town' ? 'wall' : step.view);
    deps.focus(town);
    advances += 1;
    store.setState(() => ({ index, step, startedAt: now(), town, advances }));
    timer = setTimeout(() => play(next), step.seconds * 1000);
  }

  play(0);
  return () => {
    clearTimeout(timer);
    deps.focus(null);
    store.setState(() => null);
  };
}
