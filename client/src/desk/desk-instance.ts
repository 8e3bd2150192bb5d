/** The page's one desk, over the session's fetch (bearer token). */
import { session } from '../auth/page-session.ts';
import { createDeskStore } from './desk-store.ts';

export const deskStore = createDeskStore(() => session.fetch);
