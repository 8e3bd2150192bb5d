import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { validityError } from './validity.ts';

const sq = (x: number, y: number, s: number, cw = false): Position[] => {
  const r: Position[] = [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ];
  return cw ? r.reverse() : r;
};
const poly = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });
const multi = (...polys: Position[][][]): MultiPolygon => ({ type: 'MultiPolygon', coordinates: polys });

describe('validityError (OGC rules on 6-decimal coordinates)', () => {
  it('accepts a square, a square with a hole, and parts that touch at a point', () => {
    expect(validityError(poly(sq(119, 33, 0.01)))).toBeNull();
    expect(validityError(poly(sq(119, 33, 0.01), sq(119.002, 33.002, 0.003, true)))).toBeNull();
    expect(validityError(multi([sq(119, 33, 0.01)], [sq(119.01, 33.01, 0.01)]))).toBeNull();
    // hole touching the shell at one point is valid
    const touching: Position[] = [
      [119, 33.002],
      [119.003, 33.004],
      [119.003, 33.001],
      [119, 33.002],
    ];
    expect(validityError(poly(sq(119, 33, 0.01), touching))).toBeNull();
  });

  it('rejects self-intersection, spikes, overlapping parts and holes outside the shell', () => {
    const bowtie: Position[] = [
      [119, 33],
      [119.01, 33.01],
      [119.01, 33],
      [119, 33.02],
      [119, 33],
    ];
    expect(validityError(poly(bowtie))).toMatch(/cross/);
    const spike: Position[] = [
      [119, 33],
      [119.01, 33],
      [119.02, 33],
      [119.01, 33],
      [119.01, 33.01],
      [119, 33],
    ];
    expect(validityError(poly(spike))).not.toBeNull();
    expect(validityError(multi([sq(119, 33, 0.01)], [sq(119.005, 33.005, 0.01)]))).not.toBeNull();
    expect(validityError(poly(sq(119, 33, 0.01), sq(119.02, 33.02, 0.001, true)))).toMatch(/hole/);
    expect(
      validityError(
        poly([
          [119, 33],
          [119.01, 33],
          [119, 33],
        ]),
      ),
    ).toMatch(/positions/);
  });

  it('rejects a polygon nested inside another part of the same MultiPolygon', () => {
    expect(validityError(multi([sq(119, 33, 0.01)], [sq(119.002, 33.002, 0.002)]))).toMatch(
      /inside|overlap|cross/,
    );
  });
});
