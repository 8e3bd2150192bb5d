/**
 * Periods in Beijing time, which the grid centres' months, weeks and half months follow. Beijing has kept
 * UTC+08:00 all year since 1991, so the offset is fixed.
 */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** The month (YYYY-MM, Beijing) an instant falls in. */
export function beijingMonth(at: Date): string {
  const d = new Date(at.getTime() + BEIJING_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

/** The calendar day (YYYY-MM-DD, Beijing) an instant falls in. */
export const beijingDay = (at: Date) => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** The half month of an instant: YYYY-MM-1 (the 1st to the 15th) or YYYY-MM-2 (the 16th to the end), Beijing. */
export function beijingHalf(at: Date): string {
  const d = new Date(at.getTime() + BEIJING_OFFSET_MS);
  return `${beijingMonth(at)}-${d.getUTCDate() <= 15 ? 1 : 2}`;
}

/** The month before YYYY-MM. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
}
