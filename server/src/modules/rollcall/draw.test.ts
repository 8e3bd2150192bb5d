import { describe, expect, it } from 'vitest';
import { dayNumber, drawnOn, ROLLCALL_CYCLE_DAYS } from './draw.ts';

const stations = (n: number) =>
  Array.from({ length: n }, (_, i) => `ST320803-J${String(i + 1).padStart(2, '0')}`);
const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

describe('the daily roll-call draw', () => {
  it('calls every station exactly once in each three-day cycle, a third a day', () => {
    const codes = stations(8);
    const start = dayNumber('2026-11-28') - (dayNumber('2026-11-28') % ROLLCALL_CYCLE_DAYS);
    for (let cycle = 0; cycle < 40; cycle++) {
      const days = [0, 1, 2].map((k) => drawnOn(codes, day(start + cycle * 3 + k), '320803'));
      expect(days.map((d) => d.length)).toEqual([2, 3, 3]);
      expect(days.flat().sort()).toEqual(codes);
    }
  });

  it('gives the same draw for the same date, whatever order the stations are listed in', () => {
    const codes = stations(8);
    const once = drawnOn(codes, '2026-11-29', '320803');
    expect(drawnOn([...codes].reverse(), '2026-11-29', '320803')).toEqual(once);
    expect(drawnOn(codes, '2026-11-29', '320803')).toEqual(once);
  });

  it('is fair: over a year each station is called about every three days, never more than five apart', () => {
    const codes = stations(9);
    const first = dayNumber('2026-01-01') - (dayNumber('2026-01-01') % 3);
    const calls = new Map<string, number[]>(codes.map((c) => [c, []]));
    for (let d = first; d < first + 366; d++)
      for (const code of drawnOn(codes, day(d), '320803')) calls.get(code)!.push(d);
    for (const [, days] of calls) {
      expect(days.length).toBe(122);
      const gaps = days.slice(1).map((d, i) => d - days[i]!);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(5);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1);
    }
    // the order within the cycle changes: not the same station first every cycle
    const firsts = new Set(
      Array.from({ length: 30 }, (_, c) => drawnOn(codes, day(first + c * 3), '320803')[0]),
    );
    expect(firsts.size).toBeGreaterThan(3);
  });

  it('draws differently in another county', () => {
    const codes = stations(12);
    const days = Array.from({ length: 10 }, (_, i) => day(dayNumber('2026-11-01') + i));
    expect(days.map((d) => drawnOn(codes, d, '320803').join())).not.toEqual(
      days.map((d) => drawnOn(codes, d, '320804').join()),
    );
  });

  it('draws nobody from nobody', () => {
    expect(drawnOn([], '2026-11-29', '320803')).toEqual([]);
  });
});
