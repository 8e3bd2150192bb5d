/** The title bar's switch between the wall and the operator's inbox (the URL keeps the choice). */
import { useTranslation } from 'react-i18next';
import { DISPATCH_RECORD_ROLES } from '../../../shared/src/auth.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { viewStore, type ViewState } from '../app/view.ts';
import { sessionStore } from '../auth/page-session.ts';
import type { SessionState } from '../auth/session-store.ts';

const selectView = (state: ViewState) => state.view;

export function ViewSwitch() {
  const { t } = useTranslation();
  const view = useStoreSelector(viewStore, selectView);
  const inbox = view === 'inbox';
  return (
    <button
      type="button"
      className="view-switch"
      data-testid="view-switch"
      data-view={view}
      onClick={() => viewStore.show({ view: inbox ? 'wall' : 'inbox', hazardId: null })}
    >
      {inbox ? t('inbox.backToWall') : t('inbox.open')}
    </button>
  );
}

/** Who gets the dispatch desk: the roles that may send forces. */
const DESK_ROLES: readonly string[] = DISPATCH_RECORD_ROLES;

const selectRole = (state: SessionState) => state.session?.user.role ?? null;

/** Opens the dispatcher's desk (for the roles that dispatch). */
export function DeskSwitch() {
  const { t } = useTranslation();
  const role = useStoreSelector(sessionStore, selectRole);
  if (!role || !DESK_ROLES.includes(role)) return null;
  return (
    <button
      type="button"
      className="view-switch"
      data-testid="desk-switch"
      onClick={() => viewStore.show({ view: 'desk', hazardId: null })}
    >
      {t('desk.open_')}
    </button>
  );
}

/** Who gets the planner's view: planning and the county's centre (anyone may read the figures over the API). */
export const PLAN_ROLES: readonly string[] = ['planner', 'county_operator', 'dispatcher', 'admin'];

/** Opens the planner's view. */
export function PlanSwitch() {
  const { t } = useTranslation();
  const role = useStoreSelector(sessionStore, selectRole);
  if (!role || !PLAN_ROLES.includes(role)) return null;
  return (
    <button
      type="button"
      className="view-switch"
      data-testid="plan-switch"
      onClick={() => viewStore.show({ view: 'plan', hazardId: null })}
    >
      {t('plan.open_')}
    </button>
  );
}

/**
 * Who gets the ledger view: the grid centres, the departments, planning, and the command centre's
 * dispatchers for the video roll-call (grid members work on handhelds).
 */
export const LEDGER_ROLES: readonly string[] = [
  'dispatcher',
  'village_officer',
  'town_operator',
  'county_operator',
  'department_handler',
  'planner',
  'admin',
];

/** Opens the ledger view: patrol compliance and the periodic lists. */
export function LedgerSwitch() {
  const { t } = useTranslation();
  const role = useStoreSelector(sessionStore, selectRole);
  if (!role || !LEDGER_ROLES.includes(role)) return null;
  return (
    <button
      type="button"
      className="view-switch"
      data-testid="ledger-switch"
      onClick={() => viewStore.show({ view: 'ledger', hazardId: null })}
    >
      {t('ledger.open_')}
    </button>
  );
}
