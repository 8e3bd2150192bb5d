/** The page's one ledger store, over the session's fetch (bearer token). */
import { session } from '../auth/page-session.ts';
import { liveStore } from '../live/live-store.ts';
import { createLedgerStore } from './ledger-store.ts';

export const ledgerStore = createLedgerStore(() => session.fetch);

// Another screen recorded a roll-call result: the roll-call tab shows it without a reload.
let rollcallSeq = liveStore.getSnapshot().rollcallSeq;
liveStore.subscribe(() => {
  const { rollcallSeq: seq } = liveStore.getSnapshot();
  if (seq === rollcallSeq) return;
  rollcallSeq = seq;
  void ledgerStore.rollcallRecorded();
});
