/** The page's one ledger store, over the session's fetch (bearer token). */
import { session } from '../auth/page-session.ts';
import { createLedgerStore } from './ledger-store.ts';

export const ledgerStore = createLedgerStore(() => session.fetch);
