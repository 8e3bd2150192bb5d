/**
 * The calendar of patrol compliance (shared/src/schemas/patrol.ts): a month in Beijing time and the
 * Monday-to-Sunday weeks whose Thursday falls in it, as instants. Beijing has kept UTC+08:00 all year
 * since 1991, so the offset is fixed.
 */
import { BEIJING_OFFSET_MS as BEIJING_MS } from '../../../../shared/src/beijing-time.ts';

const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');
/** YYYY-MM-DD of a "Beijing wall clock as UTC" time. */
const day = (wall: number) => {
  const d = new Date(wall);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

export interface ComplianceWeek {
  /** the Monday, YYYY-MM-DD */
  label: string;
  start: Date;
  end: Date;
}

/** The month's [from, to) and its weeks (ISO rule: a week belongs to the month of its Thursday). */
export function monthCalendar(month: string): { from: Date; to: Date; weeks: ComplianceWeek[] } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = Date.UTC(y, m - 1, 1);
  const next = Date.UTC(y, m, 1);
  let monday = first - ((new Date(first).getUTCDay() + 6) % 7) * DAY_MS;
  if (monday + 3 * DAY_MS < first) monday += 7 * DAY_MS;
  const weeks: ComplianceWeek[] = [];
  for (; monday + 3 * DAY_MS < next; monday += 7 * DAY_MS)
    weeks.push({
      label: day(monday),
      start: new Date(monday - BEIJING_MS),
      end: new Date(monday + 7 * DAY_MS - BEIJING_MS),
    });
  return { from: new Date(first - BEIJING_MS), to: new Date(next - BEIJING_MS), weeks };
}
