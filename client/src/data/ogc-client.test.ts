import { describe, expect, it } from 'vitest';
import { fetchCollection, itemsUrl, nextPageUrl, OgcRequestError } from './ogc-client.ts';

const ORIGIN = 'http://127.0.0.1:3000';

/** A fake server (the outside world): pages of `total` point features, `pageSize` per page. */
function fakeServer(total: number, options: { nextHost?: string; status?: number } = {}) {
  const requests: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    requests.push(`${url.pathname}${url.search}`);
    if (options.status) return new Response('{}', { status: options.status });
    const limit = Number(url.searchParams.get('limit'));
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const count = Math.max(0, Math.min(limit, total - offset));
    const next = new URL(url);
    next.searchParams.set('offset', String(offset + limit));
    if (options.nextHost) next.host = options.nextHost;
    const body = {
      type: 'FeatureCollection',
      numberMatched: total,
      numberReturned: count,
      links:
        offset + limit < total
          ? [
              { rel: 'next', href: next.href },
              { rel: 'self', href: url.href },
            ]
          : [],
      features: Array.from({ length: count }, (_, i) => ({
        type: 'Feature',
        id: `S${offset + i}`,
        geometry: { type: 'Point', coordinates: [119, 33] },
        properties: { code: `S${offset + i}` },
      })),
    };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/geo+json' } });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('itemsUrl', () => {
  it('asks for the largest page, the bbox and the filters', () => {
    const url = itemsUrl(
      'grids',
      { bbox: [118.9, 33.2, 119.6, 33.8], params: { level: 'town' }, limit: 500 },
      ORIGIN,
    );
    expect(url.pathname).toBe('/ogc/collections/grids/items');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      limit: '500',
      bbox: '118.9,33.2,119.6,33.8',
      level: 'town',
    });
  });
});

describe('nextPageUrl', () => {
  it.each([
    { name: 'no links', links: undefined, expected: undefined },
    { name: 'no next link', links: [{ rel: 'self', href: '/ogc/x' }], expected: undefined },
    {
      name: 'relative next link',
      links: [{ rel: 'next', href: '/ogc/x?offset=10' }],
      expected: `${ORIGIN}/ogc/x?offset=10`,
    },
    {
      name: 'absolute next link on another host stays on our origin',
      links: [{ rel: 'next', href: 'http://elsewhere.example:8080/ogc/x?offset=10' }],
      expected: `${ORIGIN}/ogc/x?offset=10`,
    },
  ])('$name', ({ links, expected }) => {
    expect(nextPageUrl({ links }, ORIGIN)?.href).toBe(expected);
  });
});

describe('fetchCollection', () => {
  it.each([
    { name: 'one page', total: 7, limit: 10, pages: 1 },
    { name: 'exactly two pages', total: 20, limit: 10, pages: 2 },
    { name: 'three pages, last one short', total: 25, limit: 10, pages: 3 },
    { name: 'empty collection', total: 0, limit: 10, pages: 1 },
  ])('$name: follows next links until there are none', async ({ total, limit, pages }) => {
    const server = fakeServer(total);
    const result = await fetchCollection('stations', { origin: ORIGIN, fetch: server.fetch, limit });
    expect(result.features).toHaveLength(total);
    expect(new Set(result.features.map((f) => f.id)).size).toBe(total);
    expect(result.numberMatched).toBe(total);
    expect(result.pages).toBe(pages);
    expect(server.requests).toHaveLength(pages);
  });

  it('never leaves our origin even when the server links elsewhere', async () => {
    const server = fakeServer(25, { nextHost: 'tiles.example.com' });
    const seen: string[] = [];
    const fetch = ((input: string | URL | Request, init?: RequestInit) => {
      seen.push(new URL(String(input)).origin);
      return server.fetch(input, init);
    }) as typeof globalThis.fetch;
    await fetchCollection('stations', { origin: ORIGIN, fetch, limit: 10 });
    expect(new Set(seen)).toEqual(new Set([ORIGIN]));
  });

  it('reports a failed page with its URL and status', async () => {
    const server = fakeServer(5, { status: 503 });
    await expect(fetchCollection('roads', { origin: ORIGIN, fetch: server.fetch })).rejects.toBeInstanceOf(
      OgcRequestError,
    );
    await expect(fetchCollection('roads', { origin: ORIGIN, fetch: server.fetch })).rejects.toThrow(
      /HTTP 503/,
    );
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch = ((_input: string | URL | Request, init?: RequestInit) =>
      init?.signal?.aborted
        ? Promise.reject(new DOMException('aborted', 'AbortError'))
        : Promise.reject(new Error('signal not passed'))) as typeof globalThis.fetch;
    await expect(
      fetchCollection('stations', { origin: ORIGIN, fetch, signal: controller.signal }),
    ).rejects.toThrow('aborted');
  });

  it('stops at a next link that points back to a page already read', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls += 1;
      return new Response(
        JSON.stringify({
          type: 'FeatureCollection',
          links: [{ rel: 'next', href: '/ogc/collections/stations/items?limit=10000' }],
          features: [{ type: 'Feature', id: calls, geometry: null, properties: {} }],
        }),
      );
    }) as typeof globalThis.fetch;
    const result = await fetchCollection('stations', { origin: ORIGIN, fetch });
    expect(calls).toBe(1);
    expect(result.numberMatched).toBeUndefined();
  });
});
