import { describe, expect, it } from 'vitest';
import { HttpError } from '../../errors.ts';
import { polygonalToWgs84 } from './convert.ts';

const square = (x: number, y: number, d = 0.01): [number, number][][] => [
  [
    [x, y],
    [x + d, y],
    [x + d, y + d],
    [x, y + d],
    [x, y],
  ],
];

describe('polygonalToWgs84', () => {
  it('leaves WGS84 and CGCS2000 coordinates as they are', () => {
    for (const crs of ['wgs84', 'cgcs2000'] as const) {
      const out = polygonalToWgs84({ type: 'Polygon', coordinates: square(119.1, 33.5) }, crs);
      expect(out.coordinates).toEqual(square(119.1, 33.5));
    }
  });

  it.each([
    ['gcj02', 0.004, 0.008],
    ['bd09', 0.008, 0.016],
  ] as const)('moves %s coordinates west and south by the datum shift in 淮安', (crs, min, max) => {
    const out = polygonalToWgs84({ type: 'Polygon', coordinates: square(119.1, 33.5) }, crs);
    const [lon, lat] = out.coordinates[0]![0]! as [number, number];
    expect(119.1 - lon).toBeGreaterThan(min);
    expect(119.1 - lon).toBeLessThan(max);
    expect(Math.abs(33.5 - lat)).toBeLessThan(0.01);
  });

  it('rejects an unclosed ring naming the field and the ring', () => {
    const open = square(119.1, 33.5);
    open[0]!.pop();
    open[0]!.push([119.1, 33.50001]);
    try {
      polygonalToWgs84({ type: 'MultiPolygon', coordinates: [open] }, 'wgs84');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).field).toBe('body.geometry');
      expect((err as HttpError).message).toMatch(/polygon 0 ring 0 is not closed/);
    }
  });
});
