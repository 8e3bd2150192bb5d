/**
 * Documents the server writes (printable pages, CSV, GeoJSON, Excel), read under the session's token: a
 * plain link would carry none, so the page reads the answer and hands the browser an object URL.
 */

/** "403 message (field)" of a refused request. */
export async function failureText(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { message?: string; field?: string };
  return `${response.status} ${body.message ?? response.statusText}${body.field ? ` (${body.field})` : ''}`;
}

/** The answer, or the reason there is none. */
async function fetchDocument(
  fetch: typeof globalThis.fetch,
  url: string,
  headers: Record<string, string>,
): Promise<Response | string> {
  const response = await fetch(url, { headers }).catch((err: Error) => err);
  if (response instanceof Error) return response.message;
  return response.ok ? response : failureText(response);
}

/**
 * Opens a printable page in a new tab (opened at once, so the click's permission to open one is not
 * lost while the page is read). Resolves to an error message, or null when shown.
 */
export async function openPrintable(
  fetch: typeof globalThis.fetch,
  url: string,
  headers: Record<string, string> = {},
): Promise<string | null> {
  const tab = window.open('', '_blank');
  const response = await fetchDocument(fetch, url, headers);
  if (typeof response === 'string') {
    tab?.close();
    return response;
  }
  const page = URL.createObjectURL(new Blob([await response.text()], { type: 'text/html;charset=utf-8' }));
  if (tab) tab.location.href = page;
  else window.location.assign(page);
  setTimeout(() => URL.revokeObjectURL(page), 60_000);
  return null;
}

/** Saves a file under `fileName`. Resolves to an error message, or null when handed to the browser. */
export async function downloadFile(
  fetch: typeof globalThis.fetch,
  url: string,
  fileName: string,
  headers: Record<string, string> = {},
): Promise<string | null> {
  const response = await fetchDocument(fetch, url, headers);
  if (typeof response === 'string') return response;
  const file = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = file;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(file), 10_000);
  return null;
}
