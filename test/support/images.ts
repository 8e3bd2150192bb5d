/** Test photos made with sharp: plain JPEG/PNG/WebP, one with EXIF GPS and time, and large noise. */
import sharp from 'sharp';

const canvas = (width: number, height: number, colour: string) =>
  sharp({ create: { width, height, channels: 3, background: colour } });

/** Degrees as the EXIF rational triple degrees/minutes/seconds. */
function dms(value: number): string {
  const abs = Math.abs(value);
  const d = Math.floor(abs);
  const m = Math.floor((abs - d) * 60);
  const s = Math.round(((abs - d) * 60 - m) * 60 * 10_000);
  return `${d}/1 ${m}/1 ${s}/10000`;
}

/** A JPEG carrying GPS position (WGS84) and DateTimeOriginal (`YYYY:MM:DD HH:MM:SS`, local time). */
export function jpegWithGps(
  lon: number,
  lat: number,
  takenAt: string,
  size: [number, number] = [800, 600],
): Promise<Buffer> {
  return canvas(size[0], size[1], '#d04020')
    .jpeg({ quality: 80 })
    .withExif({
      IFD0: { Make: 'gridwatch-test', Model: 'handheld' },
      IFD2: { DateTimeOriginal: takenAt },
      IFD3: {
        GPSLatitudeRef: lat >= 0 ? 'N' : 'S',
        GPSLatitude: dms(lat),
        GPSLongitudeRef: lon >= 0 ? 'E' : 'W',
        GPSLongitude: dms(lon),
      },
    } as never)
    .toBuffer();
}

export const jpeg = (width = 640, height = 480) => canvas(width, height, '#2060c0').jpeg().toBuffer();
export const png = (width = 300, height = 500) => canvas(width, height, '#30a050').png().toBuffer();
export const webp = (width = 200, height = 200) => canvas(width, height, '#a0a030').webp().toBuffer();

/** A PNG of random pixels: incompressible, so its size is about width × height × 3 bytes. */
export function noisePng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 2654435761) >>> 24;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** Not images, whatever their names say. */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
export const HTML = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
export const ZIP = Buffer.from([
  0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
