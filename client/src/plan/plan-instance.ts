/** The page's one planner store, over the session's fetch (bearer token). */
import { session } from '../auth/page-session.ts';
import { progressBus } from '../live/progress-bus.ts';
import { createPlanStore } from './plan-store.ts';

export const planStore = createPlanStore(() => session.fetch, progressBus);
