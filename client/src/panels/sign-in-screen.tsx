/**
 * The sign-in screen, in the wall's style and sizes (rem scales with the screen): username,
 * password, one message per failure. `?user=<name>` prefills the username for a wall display.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStoreSelector } from '../app/use-store.ts';
import { session, sessionStore } from '../auth/page-session.ts';
import type { SessionState } from '../auth/session-store.ts';
import { prefilledUsername, signInError, type SignInError } from '../auth/sign-in-messages.ts';
import { formatClock } from '../i18n/format.ts';
import { HealthBadge } from './health-badge.tsx';
import { LanguageSwitch } from './language-switch.tsx';

const selectEnded = (state: SessionState) => state.ended;

type Problem = SignInError | { key: 'missing' };

export function SignInScreen() {
  const { t, i18n } = useTranslation();
  const ended = useStoreSelector(sessionStore, selectEnded);
  const [username, setUsername] = useState(() => prefilledUsername(globalThis.location?.search ?? ''));
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const usernameInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t('signIn.title')} · ${t('app.product')}`;
  }, [t]);

  // With the name prefilled (`?user=`) only the password is left to type.
  useEffect(() => {
    (usernameInput.current?.value ? passwordInput : usernameInput).current?.focus();
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const name = username.trim();
    if (!name || !password) {
      setProblem({ key: 'missing' });
      (name ? passwordInput : usernameInput).current?.focus();
      return;
    }
    setPending(true);
    setProblem(null);
    try {
      // On success the wall replaces this screen.
      await session.signIn(name, password);
    } catch (error) {
      const failure = signInError(error);
      setProblem(failure);
      setPending(false);
      if (failure.key === 'invalid') {
        setPassword('');
        passwordInput.current?.focus();
      }
    }
  };

  let message: string | null = null;
  if (problem) {
    if (problem.key === 'missing') message = t('signIn.missing');
    else
      message = t(`signIn.errors.${problem.key}`, {
        until: problem.until && formatClock(problem.until, i18n.language).time,
        seconds: problem.seconds,
        status: problem.status,
      });
  }
  const notice = !problem && ended ? t(`signIn.ended.${ended}`) : null;

  return (
    <div className="sign-in" data-testid="sign-in">
      <header className="sign-in-top">
        <HealthBadge />
        <span className="synthetic-note">{t('app.synthetic')}</span>
        <span className="sign-in-top-spacer" />
        <LanguageSwitch />
      </header>
      <main className="sign-in-panel panel">
        <h1 className="sign-in-product">{t('app.product')}</h1>
        <h2 className="sign-in-title">{t('signIn.title')}</h2>
        <form className="sign-in-form" data-testid="sign-in-form" noValidate onSubmit={(e) => void submit(e)}>
          <label className="sign-in-field">
            <span>{t('signIn.username')}</span>
            <input
              ref={usernameInput}
              data-testid="sign-in-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={64}
              value={username}
              disabled={pending}
              aria-invalid={problem?.key === 'invalid' || (problem?.key === 'missing' && !username.trim())}
              onChange={(e) => setUsername(e.target.value)}
            />
          </label>
          <label className="sign-in-field">
            <span>{t('signIn.password')}</span>
            <input
              ref={passwordInput}
              data-testid="sign-in-password"
              name="password"
              type="password"
              autoComplete="current-password"
              maxLength={256}
              value={password}
              disabled={pending}
              aria-invalid={problem?.key === 'invalid' || (problem?.key === 'missing' && !password)}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <p className="sign-in-message" aria-live="polite">
            {message !== null && (
              <span
                className="sign-in-error"
                role="alert"
                data-testid="sign-in-error"
                data-error={problem?.key}
              >
                {message}
              </span>
            )}
            {notice !== null && (
              <span className="sign-in-notice" data-testid="sign-in-notice">
                {notice}
              </span>
            )}
          </p>
          <button type="submit" className="sign-in-submit" data-testid="sign-in-submit" disabled={pending}>
            {pending ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
