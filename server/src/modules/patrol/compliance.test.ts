import { describe, expect, it } from 'vitest';
import { beijingMonth } from '../../../../shared/src/beijing-time.ts';
import { monthCalendar } from './compliance.ts';

describe('the compliance calendar', () => {
  it('gives a month its Beijing bounds and the weeks whose Thursday falls in it', () => {
    // November 2026: the 1st is a Sunday, so the week of Mon 26 Oct (Thursday 29 Oct) is October's
    const nov = monthCalendar('2026-11');
    expect(nov.from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(nov.to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(nov.weeks.map((w) => w.label)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(nov.weeks[0]!.start.toISOString()).toBe('2026-11-01T16:00:00.000Z');
    expect(nov.weeks[3]!.end.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    // December 2026: Tue 1 Dec; its Thursday is the 3rd, so the week of Mon 30 Nov is December's
    const dec = monthCalendar('2026-12');
    expect(dec.weeks.map((w) => w.label)).toEqual([
      '2026-11-30',
      '2026-12-07',
      '2026-12-14',
      '2026-12-21',
      '2026-12-28',
    ]);
    // every week of a year belongs to exactly one month
    const all = Array.from({ length: 12 }, (_, i) => monthCalendar(`2027-${String(i + 1).padStart(2, '0')}`));
    const labels = all.flatMap((c) => c.weeks.map((w) => w.label));
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.length).toBe(52); // 2027 has 52 ISO weeks
  });

  it('reads the month of an instant on the Beijing clock', () => {
    expect(beijingMonth(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11');
    expect(beijingMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
  });
});
