import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../errors.ts';
import { checkPhoto, exifDateTime } from './photos.ts';
import { hazardTitle } from './service.ts';

describe('exifDateTime', () => {
  it.each([
    ['2026:03:01 10:20:30', undefined, '2026-03-01T02:20:30.000Z'],
    ['2026:03:01 10:20:30', '+02:00', '2026-03-01T08:20:30.000Z'],
    ['2026:03:01 10:20:30', 'garbage', '2026-03-01T02:20:30.000Z'],
    ['0000:00:00 00:00:00', undefined, null],
    ['2026-03-01', undefined, null],
    [20260301, undefined, null],
  ])('reads %s with offset %s as %s (no offset: Beijing time)', (text, offset, expected) => {
    expect(exifDateTime(text, offset)?.toISOString() ?? null).toBe(expected);
  });
});

describe('hazardTitle', () => {
  it('flattens whitespace and cuts at 120 characters without splitting a code point', () => {
    expect(hazardTitle('  楼道\n堆放   杂物 ')).toBe('楼道 堆放 杂物');
    const long = hazardTitle('🔥'.repeat(200));
    expect(Array.from(long)).toHaveLength(120);
    expect(long.endsWith('🔥…')).toBe(true);
  });
});

describe('checkPhoto', () => {
  it('reports width and height as displayed (EXIF orientation applied) and a WebP thumbnail', async () => {
    const sideways = await sharp({ create: { width: 400, height: 100, channels: 3, background: '#fff' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const checked = await checkPhoto({ field: 'body.photos.1', filename: 'a.jpg', content: sideways }, 320);
    expect([checked.width, checked.height]).toEqual([100, 400]);
    const thumb = await sharp(checked.thumbnail).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 80, 320]);
  });

  it('refuses a PNG declaring more pixels than any photo has (a decompression bomb)', async () => {
    // a valid 1×1 PNG whose header says 20,000 × 20,000, with the header's CRC recomputed
    const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    png.writeUInt32BE(20_000, 16);
    png.writeUInt32BE(20_000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    const err = await checkPhoto({ field: 'body.photos.1', filename: 'bomb.png', content: png }, 320).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ statusCode: 422, field: 'body.photos.1', message: /pixel limit/ });
  });
});
