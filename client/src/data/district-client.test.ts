import { describe, expect, it } from 'vitest';
import { DistrictRequestError, fetchDistrict, isDistrict } from './district-client.ts';

const ORIGIN = 'http://127.0.0.1:3000';
const DISTRICT = { code: '320803', name: '淮安区', bbox: [118.981991, 33.287612, 119.61408, 33.762119] };

/** A fake server (the outside world) answering `/api/district` with `body` and `status`. */
function fakeServer(body: unknown, status = 200) {
  const requests: { url: string; accept: string | null }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(input), accept: new Headers(init?.headers).get('accept') });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('isDistrict', () => {
  it.each([
    { name: 'a district', body: DISTRICT, ok: true },
    { name: 'null', body: null, ok: false },
    { name: 'no name', body: { code: '1', bbox: [1, 2, 3, 4] }, ok: false },
    { name: 'a numeric code', body: { code: 1, name: 'x', bbox: [1, 2, 3, 4] }, ok: false },
    { name: 'three numbers', body: { code: '1', name: 'x', bbox: [1, 2, 3] }, ok: false },
    { name: 'a string in the bbox', body: { code: '1', name: 'x', bbox: [1, 2, '3', 4] }, ok: false },
    { name: 'a null in the bbox', body: { code: '1', name: 'x', bbox: [1, 2, null, 4] }, ok: false },
    { name: 'min above max', body: { code: '1', name: 'x', bbox: [3, 2, 1, 4] }, ok: false },
  ])('$name → $ok', ({ body, ok }) => {
    expect(isDistrict(body)).toBe(ok);
  });
});

describe('fetchDistrict', () => {
  it('asks our own origin for /api/district and returns the district', async () => {
    const server = fakeServer({ ...DISTRICT, extra: 'ignored' });
    expect(await fetchDistrict({ origin: ORIGIN, fetch: server.fetch })).toEqual(DISTRICT);
    expect(server.requests).toEqual([{ url: `${ORIGIN}/api/district`, accept: 'application/json' }]);
  });

  it('reports an error status with the server message', async () => {
    const server = fakeServer(
      { statusCode: 404, error: 'Not Found', message: 'no district has been loaded (seed the database)' },
      404,
    );
    const failure = fetchDistrict({ origin: ORIGIN, fetch: server.fetch });
    await expect(failure).rejects.toBeInstanceOf(DistrictRequestError);
    await expect(failure).rejects.toMatchObject({
      status: 404,
      detail: 'no district has been loaded (seed the database)',
      message: `district request ${ORIGIN}/api/district failed with HTTP 404: no district has been loaded (seed the database)`,
    });
  });

  it('reports an error status whose body is not JSON', async () => {
    const server = fakeServer('Bad Gateway', 502);
    await expect(fetchDistrict({ origin: ORIGIN, fetch: server.fetch })).rejects.toThrow(/HTTP 502$/);
  });

  it('rejects a 200 that is not a district', async () => {
    const server = fakeServer({ code: '320803', name: '淮安区' });
    await expect(fetchDistrict({ origin: ORIGIN, fetch: server.fetch })).rejects.toThrow(/not a district/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch = ((_input: string | URL | Request, init?: RequestInit) =>
      init?.signal?.aborted
        ? Promise.reject(new DOMException('aborted', 'AbortError'))
        : Promise.reject(new Error('signal not passed'))) as typeof globalThis.fetch;
    await expect(fetchDistrict({ origin: ORIGIN, fetch, signal: controller.signal })).rejects.toThrow(
      'aborted',
    );
  });
});
