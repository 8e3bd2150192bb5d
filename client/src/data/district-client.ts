/**
 * A small typed client for `GET /api/district`: the district the server holds (code, name, bbox),
 * which the wall opens on and limits every OGC request to.
 */
import type { DistrictResponse } from '../../../shared/src/schemas/district.ts';
import type { ErrorResponse } from '../../../shared/src/schemas/errors.ts';

export type District = DistrictResponse;

export const DISTRICT_PATH = '/api/district';

export interface FetchDistrictOptions {
  signal?: AbortSignal;
  /** Origin of our server; the path resolves against it. Defaults to the page's origin. */
  origin?: string;
  fetch?: typeof fetch;
}

export class DistrictRequestError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    /** The server's own `message` (our ErrorResponse), where it sent one. */
    readonly detail?: string,
  ) {
    super(`district request ${url} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'DistrictRequestError';
  }
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Whether `body` has the DistrictResponse shape with a bbox that can be fitted (min below max). */
export function isDistrict(body: unknown): body is District {
  if (typeof body !== 'object' || body === null) return false;
  const { code, name, bbox } = body as Record<string, unknown>;
  if (typeof code !== 'string' || typeof name !== 'string') return false;
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(isFiniteNumber)) return false;
  const [minLon, minLat, maxLon, maxLat] = bbox as [number, number, number, number];
  return minLon < maxLon && minLat < maxLat;
}

async function errorMessage(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as Partial<ErrorResponse>;
    return typeof body.message === 'string' ? body.message : undefined;
  } catch {
    return undefined;
  }
}

export async function fetchDistrict(options: FetchDistrictOptions = {}): Promise<District> {
  const origin = options.origin ?? globalThis.location.origin;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const url = new URL(DISTRICT_PATH, origin).href;
  const response = await doFetch(url, {
    headers: { accept: 'application/json' },
    signal: options.signal ?? null,
  });
  if (!response.ok) throw new DistrictRequestError(url, response.status, await errorMessage(response));
  const body: unknown = await response.json();
  if (!isDistrict(body))
    throw new DistrictRequestError(url, response.status, 'not a district (code, name, bbox)');
  return { code: body.code, name: body.name, bbox: [...body.bbox] };
}
