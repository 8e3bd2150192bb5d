import type { Geometry, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { dashLine, labelPoint, pointPosition } from './geometry.ts';

describe('pointPosition', () => {
  it.each<{ name: string; geometry: Geometry | null; expected: number[] | 'nan' }>([
    { name: 'point', geometry: { type: 'Point', coordinates: [119, 33] }, expected: [119, 33] },
    {
      name: 'not a point',
      geometry: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      expected: 'nan',
    },
    { name: 'no geometry', geometry: null, expected: 'nan' },
  ])('$name', ({ geometry, expected }) => {
    const position = pointPosition(geometry);
    if (expected === 'nan') expect(position.every(Number.isNaN)).toBe(true);
    else expect(position).toEqual(expected);
  });
});

describe('labelPoint', () => {
  const square = (x: number, y: number, size: number): Position[] => [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ];
  it.each<{ name: string; geometry: Geometry; expected: [number, number] }>([
    {
      name: 'polygon centroid',
      geometry: { type: 'Polygon', coordinates: [square(0, 0, 2)] },
      expected: [1, 1],
    },
    {
      name: 'multipolygon: the largest part wins',
      geometry: { type: 'MultiPolygon', coordinates: [[square(10, 10, 1)], [square(0, 0, 4)]] },
      expected: [2, 2],
    },
    {
      name: 'clockwise ring gives the same centroid',
      geometry: { type: 'Polygon', coordinates: [[...square(0, 0, 2)].reverse()] },
      expected: [1, 1],
    },
  ])('$name', ({ geometry, expected }) => {
    const [x, y] = labelPoint(geometry);
    expect(x).toBeCloseTo(expected[0]);
    expect(y).toBeCloseTo(expected[1]);
  });
});

describe('dashLine', () => {
  // Along the equator one degree of longitude is 111,320 m.
  const line = (metres: number): Position[] => [
    [0, 0],
    [metres / 111_320, 0],
  ];
  const lengthM = (dash: Position[]) => ((dash.at(-1)?.[0] ?? 0) - (dash[0]?.[0] ?? 0)) * 111_320;

  it.each([
    { name: 'exact multiple', metres: 1000, dash: 150, gap: 100, dashes: 4, lastM: 150 },
    { name: 'ends inside a dash', metres: 1100, dash: 150, gap: 100, dashes: 5, lastM: 100 },
    { name: 'ends inside a gap', metres: 1180, dash: 150, gap: 100, dashes: 5, lastM: 150 },
    { name: 'shorter than one dash', metres: 80, dash: 150, gap: 100, dashes: 1, lastM: 80 },
  ])('$name', ({ metres, dash, gap, dashes, lastM }) => {
    const result = dashLine(line(metres), dash, gap);
    expect(result).toHaveLength(dashes);
    expect(lengthM(result[0] ?? [])).toBeCloseTo(Math.min(dash, metres), 3);
    expect(lengthM(result.at(-1) ?? [])).toBeCloseTo(lastM, 3);
  });

  it('carries a dash across a vertex', () => {
    const d = 100 / 111_320;
    const result = dashLine(
      [
        [0, 0],
        [d, 0],
        [d, d],
      ],
      150,
      1000,
    );
    expect(result).toHaveLength(1);
    expect(result[0]).toHaveLength(3);
  });
});
