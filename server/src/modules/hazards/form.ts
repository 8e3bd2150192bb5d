import type { FastifyRequest } from 'fastify';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import { HttpError } from '../../errors.ts';
import type { UploadedPhoto } from './photos.ts';

/** How much a hazard report may carry (server/src/config.ts). */
export interface UploadLimits {
  photosMax: number;
  photoMaxBytes: number;
  uploadMaxBytes: number;
}

/** The file field of the form; every other part is a text field. */
export const PHOTO_FIELD = 'photos';
/** Text fields holding JSON (sent as text or as an application/json part). */
const JSON_FIELDS = new Set(['location']);
/** Longest text part read (a 2,000-character description is at most 8,000 bytes of UTF-8). */
const FIELD_MAX_BYTES = 16 * 1024;
const FIELDS_MAX = 16;

const tooLarge = (field: string, message: string) => new HttpError(413, message, field);
const MiB = (n: number) => `${Math.round((n / 1048576) * 10) / 10} MiB`;

declare module 'fastify' {
  interface FastifyRequest {
    /** photos of a multipart hazard report, read before validation (empty for JSON bodies) */
    hazardPhotos?: UploadedPhoto[];
  }
}

/** The form's text fields as a body object: JSON fields parsed (a text that is not JSON stays a string for the schema to refuse). */
function fieldValue(name: string, value: unknown): unknown {
  if (!JSON_FIELDS.has(name) || typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Turns @fastify/multipart's and busboy's errors into 4xx answers naming the input. */
function formError(err: unknown, photoIndex: number, limits: UploadLimits): HttpError {
  if (err instanceof HttpError) return err;
  const code = (err as { code?: string }).code;
  const message = (err as Error).message ?? String(err);
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(
        `body.photos.${photoIndex}`,
        `body.photos.${photoIndex} is larger than ${MiB(limits.photoMaxBytes)} (the largest photo accepted)`,
      );
    case 'FST_FILES_LIMIT':
      return tooLarge('body.photos', `at most ${limits.photosMax} photos per report`);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return tooLarge('body', `too many parts in the form (at most ${FIELDS_MAX} fields)`);
    case 'FST_PROTO_VIOLATION':
      return new HttpError(400, 'a form field has a reserved name (__proto__, constructor, ...)', 'body');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new HttpError(400, 'a form field sent as application/json is not valid JSON', 'body');
  }
  if (/boundary/i.test(message))
    return new HttpError(400, `multipart content type: ${message}`, 'headers.content-type');
  return new HttpError(400, `the multipart body cannot be read: ${message.slice(0, 200)}`, 'body');
}

/**
 * Reads a multipart hazard report (or a step of its loop with photos) before validation: text fields become `request.body` (validated by the
 * route's schema like a JSON body), photos are buffered into `request.hazardPhotos` within the limits.
 * Every limit is answered 413 naming the part; anything unreadable 400. Nothing is stored here.
 */
export async function readHazardForm(request: FastifyRequest, limits: UploadLimits): Promise<void> {
  if (!request.isMultipart()) {
    // anything else Fastify can parse (text/plain) would reach the handler unvalidated
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new HttpError(
        415,
        `send multipart/form-data (with photos) or application/json, not ${type || 'no content type'}`,
        'headers.content-type',
      );
    }
    return;
  }
  const body: Record<string, unknown> = {};
  const photos: UploadedPhoto[] = [];
  let total = 0;
  try {
    const parts = request.parts({
      limits: {
        fileSize: limits.photoMaxBytes,
        // one more than allowed, so the extra photo is seen and named
        files: limits.photosMax + 1,
        fields: FIELDS_MAX,
        fieldSize: FIELD_MAX_BYTES,
        parts: limits.photosMax + FIELDS_MAX + 1,
        headerPairs: 100,
      },
    });
    for await (const part of parts as AsyncIterable<Multipart>) {
      const field = part.fieldname ? `body.${part.fieldname}` : 'body';
      if (part.type === 'file') {
        const file = part as MultipartFile;
        if (part.fieldname !== PHOTO_FIELD) {
          throw new HttpError(400, `${field} is not a file field (photos go in "${PHOTO_FIELD}")`, field);
        }
        const index = photos.length + 1;
        if (index > limits.photosMax)
          throw tooLarge('body.photos', `at most ${limits.photosMax} photos per report`);
        let content: Buffer;
        try {
          content = await file.toBuffer();
        } catch (err) {
          throw formError(err, index, limits);
        }
        total += content.length;
        if (total > limits.uploadMaxBytes) {
          throw tooLarge(
            `body.photos.${index}`,
            `body.photos.${index} takes the report over ${MiB(limits.uploadMaxBytes)} in total`,
          );
        }
        photos.push({ field: `body.photos.${index}`, filename: file.filename || undefined, content });
        continue;
      }
      if (part.fieldname === PHOTO_FIELD) throw new HttpError(400, `${field} must be a file part`, field);
      if (part.fieldnameTruncated) throw new HttpError(400, 'a form field name is too long', 'body');
      if (part.valueTruncated) throw tooLarge(field, `${field} is longer than ${FIELD_MAX_BYTES} bytes`);
      if (Object.hasOwn(body, part.fieldname)) throw new HttpError(400, `${field} is given twice`, field);
      total += Buffer.byteLength(String(part.value));
      body[part.fieldname] = fieldValue(part.fieldname, part.value);
    }
  } catch (err) {
    throw formError(err, photos.length + 1, limits);
  }
  request.body = body;
  request.hazardPhotos = photos;
}
