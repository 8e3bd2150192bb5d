import { describe, expect, it } from 'vitest';
import { changedRows } from './data-diff.ts';

const a = { n: 'a' };
const b = { n: 'b' };
const c = { n: 'c' };
const d = { n: 'd' };
const b2 = { n: 'b2' };
const d2 = { n: 'd2' };

describe('changedRows', () => {
  it.each([
    {
      name: 'first data: everything',
      next: [a, b],
      previous: undefined,
      ranges: [{ startRow: 0, endRow: 2 }],
    },
    { name: 'nothing changed', next: [a, b], previous: [a, b], ranges: [] },
    { name: 'appended rows only', next: [a, b, c], previous: [a, b], ranges: [{ startRow: 2, endRow: 3 }] },
    { name: 'one row replaced', next: [a, b2, c], previous: [a, b, c], ranges: [{ startRow: 1, endRow: 2 }] },
    {
      name: 'two separate rows replaced',
      next: [a, b2, c, d2],
      previous: [a, b, c, d],
      ranges: [
        { startRow: 1, endRow: 2 },
        { startRow: 3, endRow: 4 },
      ],
    },
    {
      name: 'a replaced row at the end runs into the appended ones',
      next: [a, b2, c],
      previous: [a, b],
      ranges: [{ startRow: 1, endRow: 3 }],
    },
    {
      name: 'rows removed (a new snapshot): from the first change',
      next: [a, c],
      previous: [a, b, c],
      ranges: [{ startRow: 1, endRow: 2 }],
    },
    { name: 'fewer rows, same prefix', next: [a], previous: [a, b], ranges: [{ startRow: 0, endRow: 1 }] },
  ])('$name', ({ next, previous, ranges }) => {
    expect(changedRows(next, previous)).toEqual(ranges);
  });
});
