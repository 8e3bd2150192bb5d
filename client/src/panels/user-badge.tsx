/**
 * Who is signed in (display name over the area they work in) and the sign-out button, in the title
 * bar. Stacked in two lines like the clock, so the English title still fits a 1920-px wall.
 */
import { useTranslation } from 'react-i18next';
import { useStoreSelector } from '../app/use-store.ts';
import { session, sessionStore } from '../auth/page-session.ts';
import type { SessionState } from '../auth/session-store.ts';

const selectUser = (state: SessionState) => state.session?.user ?? null;

export function UserBadge() {
  const { t } = useTranslation();
  const user = useStoreSelector(sessionStore, selectUser);
  if (!user) return null;
  return (
    <div
      className="user-badge"
      data-testid="user-badge"
      title={t('session.user', { username: user.username })}
    >
      <span className="user-display-name" data-testid="user-display-name">
        {user.displayName}
      </span>
      <span className="user-scope-line">
        <span className="user-scope-name" data-testid="user-scope-name">
          {user.scopeName}
        </span>
        <button
          type="button"
          className="sign-out"
          data-testid="sign-out"
          onClick={() => void session.signOut()}
        >
          {t('session.signOut')}
        </button>
      </span>
    </div>
  );
}
