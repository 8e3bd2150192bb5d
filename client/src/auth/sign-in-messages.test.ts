import { describe, expect, it } from 'vitest';
import { AuthRequestError } from './auth-api.ts';
import { lockedUntil, prefilledUsername, signInError } from './sign-in-messages.ts';

const URL = 'http://127.0.0.1:3000/api/auth/login';

describe('signInError', () => {
  it.each([
    {
      name: 'wrong credentials (401)',
      error: new AuthRequestError(URL, 401, 'invalid'),
      expected: { key: 'invalid' },
    },
    {
      name: 'input the server refuses (400)',
      error: new AuthRequestError(URL, 400),
      expected: { key: 'invalid' },
    },
    {
      name: 'a locked account (423) with the time',
      error: new AuthRequestError(
        URL,
        423,
        'account locked until 2026-11-28T07:00:00.000Z after repeated failures',
      ),
      expected: { key: 'locked', until: new Date('2026-11-28T07:00:00.000Z') },
    },
    {
      name: 'a locked account (423) without a time',
      error: new AuthRequestError(URL, 423, 'account locked'),
      expected: { key: 'lockedNoTime' },
    },
    {
      name: 'too many attempts (429) with Retry-After',
      error: new AuthRequestError(URL, 429, 'too many', 42),
      expected: { key: 'tooMany', seconds: 42 },
    },
    {
      name: 'too many attempts (429) with Retry-After 0',
      error: new AuthRequestError(URL, 429, 'too many', 0),
      expected: { key: 'tooMany', seconds: 1 },
    },
    {
      name: 'too many attempts (429)',
      error: new AuthRequestError(URL, 429),
      expected: { key: 'tooManyNoTime' },
    },
    {
      name: 'no server (network)',
      error: new AuthRequestError(URL, 0, 'Failed to fetch'),
      expected: { key: 'network' },
    },
    { name: 'a TypeError', error: new TypeError('Failed to fetch'), expected: { key: 'network' } },
    {
      name: 'a database outage (503)',
      error: new AuthRequestError(URL, 503),
      expected: { key: 'server', status: 503 },
    },
    {
      name: 'a server error (500)',
      error: new AuthRequestError(URL, 500),
      expected: { key: 'server', status: 500 },
    },
  ])('$name', ({ error, expected }) => {
    expect(signInError(error)).toEqual(expected);
  });
});

describe('lockedUntil', () => {
  it.each([
    {
      message: 'account locked until 2026-11-28T07:00:00.000Z after repeated failures',
      iso: '2026-11-28T07:00:00.000Z',
    },
    { message: 'locked until 2026-11-28T15:00:00+08:00', iso: '2026-11-28T07:00:00.000Z' },
    { message: 'locked', iso: undefined },
    { message: undefined, iso: undefined },
  ])('$message', ({ message, iso }) => {
    expect(lockedUntil(message)?.toISOString()).toBe(iso);
  });
});

describe('prefilledUsername', () => {
  it.each([
    { search: '', user: '' },
    { search: '?user=county_operator', user: 'county_operator' },
    { search: '?lang=en&user=%20village_officer%20', user: 'village_officer' },
    { search: '?user=a%0Ab', user: '' },
    { search: `?user=${'x'.repeat(65)}`, user: '' },
    // Never a password from the URL: the parameter is not read at all.
    { search: '?user=admin&password=gridwatch-demo', user: 'admin' },
  ])('"$search" → "$user"', ({ search, user }) => {
    expect(prefilledUsername(search)).toBe(user);
  });
});
