/**
 * The hazard endpoints the inbox and the hazard page use, over the session's `fetch` (bearer token):
 * the open list (all pages), one hazard, a step of the closed loop, and photos as object URLs (an
 * `<img src>` cannot carry the token).
 */
import type {
  HazardActionBody,
  HazardAssignee,
  HazardDetail,
  HazardList,
} from '../../../shared/src/schemas/hazards.ts';
import type { HazardCover } from '../../../shared/src/schemas/coverage.ts';

export const HAZARD_LIST_PAGE = 500;
/** More than this many open cases in one inbox would not be read anyway: the rest wait for a filter. */
export const HAZARD_LIST_MAX = 5000;

export class HazardRequestError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly field?: string,
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'HazardRequestError';
  }
}

async function failure(response: Response): Promise<HazardRequestError> {
  const body = (await response.json().catch(() => ({}))) as { message?: string; field?: string };
  return new HazardRequestError(response.status, body.message ?? response.statusText, body.field);
}

async function getJson<T>(fetch: typeof globalThis.fetch, url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** Every open hazard in the caller's area (newest first), page by page. */
export async function listOpenHazards(fetch: typeof globalThis.fetch): Promise<HazardList['items']> {
  const items: HazardList['items'] = [];
  for (let offset = 0; offset < HAZARD_LIST_MAX; offset += HAZARD_LIST_PAGE) {
    const page = await getJson<HazardList>(fetch, `/api/hazards?limit=${HAZARD_LIST_PAGE}&offset=${offset}`);
    items.push(...page.items);
    if (page.items.length < HAZARD_LIST_PAGE || items.length >= page.total) break;
  }
  return items;
}

export const getHazard = (fetch: typeof globalThis.fetch, id: number) =>
  getJson<HazardDetail>(fetch, `/api/hazards/${id}`);

/** The grid members of the hazard's village, who may follow it up (the assign form's choices). */
export const getAssignees = (fetch: typeof globalThis.fetch, id: number) =>
  getJson<HazardAssignee[]>(fetch, `/api/hazards/${id}/assignees`);

/**
 * A step of the loop, with photos as a multipart form (the steps PHOTO_ACTIONS names); a refusal (409
 * changed meanwhile, 403, 400, 413) is a HazardRequestError.
 */
export async function actOnHazard(
  fetch: typeof globalThis.fetch,
  id: number,
  body: HazardActionBody,
  photos: readonly File[] = [],
): Promise<HazardDetail> {
  let request: RequestInit;
  if (photos.length === 0) {
    request = { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  } else {
    const form = new FormData();
    for (const [field, value] of Object.entries(body)) form.append(field, String(value));
    for (const photo of photos) form.append('photos', photo, photo.name);
    // the browser sets the multipart content type with its boundary
    request = { body: form };
  }
  const response = await fetch(`/api/hazards/${id}/actions`, {
    ...request,
    method: 'POST',
    headers: { ...(request.headers as Record<string, string> | undefined), accept: 'application/json' },
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as HazardDetail;
}

/** A photo (or thumbnail) as an object URL; revoke it when the image leaves the page. */
export async function photoObjectUrl(fetch: typeof globalThis.fetch, url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw await failure(response);
  return URL.createObjectURL(await response.blob());
}

/**
 * Whether an open hazard's priority is raised by where it lies (outside the road reach, far from a
 * hydrant); null for a closed one or where the planner's figures are not to be had.
 */
export async function getHazardCover(
  fetch: typeof globalThis.fetch,
  id: number,
): Promise<HazardCover | null> {
  const response = await fetch(`/api/coverage/hazards/${id}`, { headers: { accept: 'application/json' } });
  if (!response.ok) return null;
  return (await response.json()) as HazardCover;
}
