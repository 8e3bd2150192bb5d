/**
 * What the sign-in screen says when signing in failed (one message per cause: wrong credentials,
 * a locked account with the time it opens again, too many attempts, no server), and the `?user=`
 * prefill for wall displays.
 */
import { AuthRequestError } from './auth-api.ts';

export const SIGN_IN_ERROR_KEYS = [
  'invalid',
  'locked',
  'lockedNoTime',
  'tooMany',
  'tooManyNoTime',
  'network',
  'server',
] as const;
export type SignInErrorKey = (typeof SIGN_IN_ERROR_KEYS)[number];

export interface SignInError {
  /** under `signIn.errors` in the locales */
  key: SignInErrorKey;
  /** locked: until when (the server says so in its message) */
  until?: Date;
  /** too many attempts: `Retry-After` */
  seconds?: number;
  /** server: the HTTP status */
  status?: number;
}

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})/;

/** The instant in a message such as "account locked until 2026-11-28T07:00:00.000Z after …". */
export function lockedUntil(message: string | undefined): Date | undefined {
  const match = message ? ISO_INSTANT.exec(message) : null;
  if (!match) return undefined;
  const date = new Date(match[0]);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function signInError(error: unknown): SignInError {
  if (!(error instanceof AuthRequestError)) return { key: 'network' };
  switch (error.status) {
    case 0:
      return { key: 'network' };
    // 400: a name or password the server does not take (too long, …) is a wrong one too.
    case 400:
    case 401:
      return { key: 'invalid' };
    case 423: {
      const until = lockedUntil(error.detail);
      return until ? { key: 'locked', until } : { key: 'lockedNoTime' };
    }
    case 429:
      return error.retryAfterS !== undefined
        ? { key: 'tooMany', seconds: Math.max(1, error.retryAfterS) }
        : { key: 'tooManyNoTime' };
    default:
      return { key: 'server', status: error.status };
  }
}

/** Longest username the server takes at sign-in (LoginBody). */
const MAX_USERNAME_LENGTH = 64;

/**
 * `?user=<name>` prefills the username, so a wall display opens with only the password to type.
 * Passwords are never taken from the URL (it ends up in history, logs and screenshots).
 */
export function prefilledUsername(search: string): string {
  const user = new URLSearchParams(search).get('user')?.trim() ?? '';
  // eslint-disable-next-line no-control-regex
  if (user.length > MAX_USERNAME_LENGTH || /[\u0000-\u001f\u007f]/.test(user)) return '';
  return user;
}
