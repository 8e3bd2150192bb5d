/**
 * The daily draw of video roll-call (视频点名): the command centre calls one third of the skid-mounted
 * stations on video every day (the seeds: 每日按三分之一比例抽查点名). The days run in cycles of three;
 * each cycle the stations are shuffled by a generator seeded from the area and the cycle, and day k of
 * the cycle takes the k-th third. So every station is called exactly once per cycle (every three days
 * on average, between one and five days apart), nobody can tell in advance which day it falls on
 * without the seed, and the same date always gives the same draw.
 */
import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export const ROLLCALL_CYCLE_DAYS = 3;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a date (YYYY-MM-DD, a calendar day). */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The generator's seed: 32 bits of SHA-256 over the area and the cycle. */
export function cycleSeed(area: string, cycle: number): number {
  return createHash('sha256').update(`gridwatch-rollcall:${area}:${cycle}`).digest().readInt32BE(0);
}

/** The stations (codes, any order) drawn on a date, in the order the draw put them. */
export function drawnOn(codes: readonly string[], date: string, area: string): string[] {
  const day = dayNumber(date);
  const cycle = Math.floor(day / ROLLCALL_CYCLE_DAYS);
  const k = day - cycle * ROLLCALL_CYCLE_DAYS;
  // a fixed order first, so the draw does not depend on how the caller listed them
  const shuffled = [...codes].sort();
  const rng = xoroshiro128plus(cycleSeed(area, cycle));
  // Fisher–Yates
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const n = shuffled.length;
  return shuffled.slice(
    Math.floor((k * n) / ROLLCALL_CYCLE_DAYS),
    Math.floor(((k + 1) * n) / ROLLCALL_CYCLE_DAYS),
  );
}
