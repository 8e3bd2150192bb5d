/**
 * A small typed client for our server's OGC API Features endpoint: fetches every page of a
 * collection's items, following `rel: "next"` links until there are none.
 */
import type { CollectionId } from '../../../shared/src/schemas/features.ts';
import { OGC_BASE, OGC_PAGE_LIMIT } from '../config.ts';
import type { OgcFeature, OgcItemsPage } from './geojson.ts';

export type Bbox = readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface FetchCollectionOptions {
  /** Extra query parameters (e.g. `level` for grids, `class` for roads). */
  params?: Readonly<Record<string, string>>;
  bbox?: Bbox;
  limit?: number;
  signal?: AbortSignal;
  /** Origin of our server; relative URLs resolve against it. Defaults to the page's origin. */
  origin?: string;
  fetch?: typeof fetch;
}

export interface CollectionItems<C extends CollectionId> {
  features: OgcFeature<C>[];
  /** The server's `numberMatched` from the first page (undefined where it did not say). */
  numberMatched: number | undefined;
  pages: number;
}

export class OgcRequestError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`OGC request ${url} failed with HTTP ${status}`);
    this.name = 'OgcRequestError';
  }
}

/** A runaway `next` chain (a server bug) must not loop forever: 10,000 items × 1,000 pages is plenty. */
const MAX_PAGES = 1_000;

export function itemsUrl(collection: CollectionId, options: FetchCollectionOptions, origin: string): URL {
  const url = new URL(`${OGC_BASE}/collections/${encodeURIComponent(collection)}/items`, origin);
  url.searchParams.set('limit', String(options.limit ?? OGC_PAGE_LIMIT));
  if (options.bbox) url.searchParams.set('bbox', options.bbox.join(','));
  for (const [key, value] of Object.entries(options.params ?? {})) url.searchParams.set(key, value);
  return url;
}

/**
 * The next page's URL, kept on our own origin: a server behind a proxy may write its own host into
 * the link, and the wall map must never talk to any host but the one it was served from.
 */
export function nextPageUrl(
  page: Pick<OgcItemsPage<CollectionId>, 'links'>,
  origin: string,
): URL | undefined {
  const next = page.links?.find((link) => link.rel === 'next');
  if (!next) return undefined;
  const resolved = new URL(next.href, origin);
  return new URL(`${resolved.pathname}${resolved.search}`, origin);
}

export async function fetchCollection<C extends CollectionId>(
  collection: C,
  options: FetchCollectionOptions = {},
): Promise<CollectionItems<C>> {
  const origin = options.origin ?? globalThis.location.origin;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const features: OgcFeature<C>[] = [];
  let numberMatched: number | undefined;
  let pages = 0;
  let url: URL | undefined = itemsUrl(collection, options, origin);
  const seen = new Set<string>();
  while (url && pages < MAX_PAGES) {
    seen.add(url.href);
    const response = await doFetch(url.href, {
      headers: { accept: 'application/geo+json' },
      signal: options.signal ?? null,
    });
    if (!response.ok) throw new OgcRequestError(url.href, response.status);
    const page = (await response.json()) as OgcItemsPage<C>;
    if (pages === 0) numberMatched = page.numberMatched;
    pages += 1;
    for (const feature of page.features) features.push(feature);
    const next = nextPageUrl(page, origin);
    url = next && page.features.length > 0 && !seen.has(next.href) ? next : undefined;
  }
  return { features, numberMatched, pages };
}
