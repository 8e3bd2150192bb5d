/** Our server's API over real HTTP, as the browser tests drive it beside the page. */
import { expect } from 'vitest';
import { TEST_PASSWORD } from './paths.ts';

/** Signs in as the test account `username` and returns the bearer header. */
export async function signInOverHttp(
  serverUrl: string,
  username: string,
): Promise<{ authorization: string }> {
  const response = await fetch(new URL('/api/auth/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  expect(response.status, `sign-in as ${username}`).toBe(200);
  return { authorization: `Bearer ${((await response.json()) as { token: string }).token}` };
}
