/** Errors that map to a 4xx answer naming the offending field. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
    /** more of the answer's body (e.g. the bad rows of an import) */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (field: string, message: string) => new HttpError(400, message, field);
export const notFound = (message: string, field?: string) => new HttpError(404, message, field);
