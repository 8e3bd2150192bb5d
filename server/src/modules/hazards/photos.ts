import { createHash } from 'node:crypto';
import exifr from 'exifr';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { HAZARD_PHOTO_TYPES, type HazardPhotoType } from '../../../../shared/src/schemas/hazards.ts';
import { HttpError } from '../../errors.ts';

/** A photo as uploaded: the part's bytes, with what the client claimed about it (for messages only). */
export interface UploadedPhoto {
  /** the input it came in, e.g. `body.photos.2` */
  field: string;
  filename: string | undefined;
  content: Buffer;
}

/** A photo checked by content, with its thumbnail and what its EXIF says. */
export interface CheckedPhoto {
  mime: HazardPhotoType;
  bytes: number;
  sha256: string;
  width: number;
  height: number;
  content: Buffer;
  thumbnail: Buffer;
  exifLon: number | null;
  exifLat: number | null;
  exifTakenAt: Date | null;
}

/**
 * EXIF times carry no zone unless the camera wrote OffsetTimeOriginal (EXIF 2.31); handhelds in China
 * keep Beijing time, so a time without an offset is read as UTC+08:00.
 */
export const EXIF_DEFAULT_OFFSET = '+08:00';
/** Decoding a photo larger than this many pixels is refused (a decompression bomb, not a photo). */
const MAX_PIXELS = 100_000_000;

const unsupported = (field: string, message: string) => new HttpError(415, message, field);

export const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** `2026:03:01 10:20:30` + `+08:00` → a Date; null when the text is not an EXIF date-time. */
export function exifDateTime(text: unknown, offset: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(text.trim());
  if (!m) return null;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone ?? EXIF_DEFAULT_OFFSET}`);
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year < 1990 || year > 2100 ? null : date;
}

interface ExifFields {
  latitude?: unknown;
  longitude?: unknown;
  DateTimeOriginal?: unknown;
  OffsetTimeOriginal?: unknown;
  CreateDate?: unknown;
}

/** GPS position (decimal degrees, as EXIF defines them: WGS84) and time the photo was taken, when present. */
export async function readExif(
  content: Buffer,
): Promise<Pick<CheckedPhoto, 'exifLon' | 'exifLat' | 'exifTakenAt'>> {
  let tags: ExifFields | undefined;
  try {
    tags = (await exifr.parse(content, {
      gps: true,
      exif: true,
      reviveValues: false,
      pick: [
        'GPSLatitude',
        'GPSLatitudeRef',
        'GPSLongitude',
        'GPSLongitudeRef',
        'DateTimeOriginal',
        'OffsetTimeOriginal',
        'CreateDate',
      ],
    })) as ExifFields | undefined;
  } catch {
    // a photo with a broken EXIF block is still a photo: it just tells us nothing
    tags = undefined;
  }
  const lon = Number(tags?.longitude);
  const lat = Number(tags?.latitude);
  const hasPosition =
    typeof tags?.longitude === 'number' &&
    typeof tags.latitude === 'number' &&
    Number.isFinite(lon) &&
    Number.isFinite(lat) &&
    Math.abs(lon) <= 180 &&
    Math.abs(lat) <= 90 &&
    !(lon === 0 && lat === 0);
  return {
    exifLon: hasPosition ? Math.round(lon * 1e7) / 1e7 : null,
    exifLat: hasPosition ? Math.round(lat * 1e7) / 1e7 : null,
    exifTakenAt: exifDateTime(tags?.DateTimeOriginal ?? tags?.CreateDate, tags?.OffsetTimeOriginal),
  };
}

/**
 * Checks a photo by its content (JPEG, PNG or WebP by magic bytes, then fully decoded by sharp), makes
 * its thumbnail (WebP, longest side `thumbnailPx`, EXIF orientation applied) and reads its EXIF. A
 * `.jpg` name on a PDF is refused with 415 naming the part.
 */
export async function checkPhoto(photo: UploadedPhoto, thumbnailPx: number): Promise<CheckedPhoto> {
  const { field, content } = photo;
  const named = photo.filename ? ` (${JSON.stringify(photo.filename.slice(0, 80))})` : '';
  if (content.length === 0) throw new HttpError(400, `${field}${named} is empty`, field);
  const detected = await fileTypeFromBuffer(content).catch(() => undefined);
  if (!detected || !(HAZARD_PHOTO_TYPES as readonly string[]).includes(detected.mime)) {
    const what = detected ? `${detected.mime} content` : 'content of no known image type';
    throw unsupported(
      field,
      `${field}${named} holds ${what}; photos must be ${HAZARD_PHOTO_TYPES.join(', ')}`,
    );
  }
  const mime = detected.mime as HazardPhotoType;
  try {
    const image = sharp(content, { limitInputPixels: MAX_PIXELS, failOn: 'error' });
    const meta = await image.metadata();
    const thumbnail = await image
      .clone()
      .rotate()
      .resize(thumbnailPx, thumbnailPx, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer();
    // metadata() reads the header only; the thumbnail decoded every pixel, so the photo is whole
    const rotated = (meta.orientation ?? 1) >= 5;
    return {
      mime,
      bytes: content.length,
      sha256: sha256Hex(content),
      width: (rotated ? meta.height : meta.width) ?? 0,
      height: (rotated ? meta.width : meta.height) ?? 0,
      content,
      thumbnail,
      ...(await readExif(content)),
    };
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0]!.slice(0, 200);
    throw new HttpError(422, `${field}${named} is not a readable ${mime} image: ${reason}`, field);
  }
}
