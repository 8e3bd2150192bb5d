/**
 * deck.gl `_dataDiff` for the live layers: their data is a new array shell over row objects that are
 * replaced when they change, so the rows to recompute are those whose object differs, plus any
 * appended. Comparing references is far cheaper than recomputing every row's attributes.
 */
export interface DataRange {
  startRow: number;
  endRow: number;
}

export function changedRows<T>(next: readonly T[], previous: readonly T[] | undefined): DataRange[] {
  if (!previous) return [{ startRow: 0, endRow: next.length }];
  const ranges: DataRange[] = [];
  const common = Math.min(next.length, previous.length);
  let start = -1;
  for (let i = 0; i < common; i++) {
    if (next[i] !== previous[i]) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      ranges.push({ startRow: start, endRow: i });
      start = -1;
    }
  }
  if (next.length < previous.length) {
    // Rows were removed (a new snapshot): everything from the first change on.
    return [{ startRow: start >= 0 ? start : 0, endRow: next.length }];
  }
  if (start >= 0) ranges.push({ startRow: start, endRow: next.length });
  else if (next.length > common) ranges.push({ startRow: common, endRow: next.length });
  return ranges;
}

/** The `_dataDiff` prop (deck.gl passes the new and the previous data). */
export const dataDiffByRow = <T>(next: unknown, previous?: unknown): DataRange[] =>
  changedRows(next as readonly T[], previous as readonly T[] | undefined);
