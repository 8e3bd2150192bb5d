/**
 * The operator's inbox as pure functions: which open cases show under the filters, in what order, under
 * which state heading, how much time each has left, and how a live `hazard.*` payload changes a row.
 */
import {
  isOverdue,
  timerState,
  type HazardLevel,
  type TimerState,
} from '../../../shared/src/hazard-workflow.ts';
import { HAZARD_STATES, type HazardSummary } from '../../../shared/src/schemas/hazards.ts';
import type { HazardLive, HazardState } from '../../../shared/src/schemas/live.ts';

/** One inbox row: the list's summary (with village and grid), kept current by live events. */
export type InboxHazard = HazardSummary;

export interface InboxFilters {
  state: HazardState | 'all';
  level: HazardLevel | 'all';
  overdueOnly: boolean;
}

export const NO_FILTERS: InboxFilters = { state: 'all', level: 'all', overdueOnly: false };

/** The open states, in the order of the closed loop: one heading each. */
export const OPEN_STATES = HAZARD_STATES.filter((state) => state !== 'closed');

export function matchesFilters(row: InboxHazard, filters: InboxFilters, now: Date): boolean {
  if (row.state === 'closed') return false;
  if (filters.state !== 'all' && row.state !== filters.state) return false;
  if (filters.level !== 'all' && row.level !== filters.level) return false;
  return !filters.overdueOnly || isOverdue(row, now);
}

/**
 * Queue order: overdue first (longest overdue on top), then the least time left; cases without a
 * deadline (not yet classified) after them, oldest report first, since they wait on the operator.
 */
export function compareQueue(a: InboxHazard, b: InboxHazard): number {
  if (a.deadline !== null && b.deadline !== null) {
    const byDeadline = Date.parse(a.deadline) - Date.parse(b.deadline);
    if (byDeadline !== 0) return byDeadline;
  } else if (a.deadline !== null || b.deadline !== null) {
    return a.deadline !== null ? -1 : 1;
  }
  return Date.parse(a.reportedAt) - Date.parse(b.reportedAt) || a.id - b.id;
}

export interface QueueGroup {
  state: HazardState;
  rows: InboxHazard[];
}

/** The filtered rows under one heading per open state (empty states left out), each in queue order. */
export function groupQueue(rows: Iterable<InboxHazard>, filters: InboxFilters, now: Date): QueueGroup[] {
  const byState = new Map<HazardState, InboxHazard[]>();
  for (const row of rows) {
    if (!matchesFilters(row, filters, now)) continue;
    const group = byState.get(row.state) ?? [];
    group.push(row);
    byState.set(row.state, group);
  }
  return OPEN_STATES.flatMap((state) => {
    const group = byState.get(state);
    return group ? [{ state, rows: group.sort(compareQueue) }] : [];
  });
}

/** Counts per open state and overdue, over the rows matching the level filter (for the filter chips). */
export function queueCounts(
  rows: Iterable<InboxHazard>,
  level: InboxFilters['level'],
  now: Date,
): Record<HazardState | 'all' | 'overdue', number> {
  const counts = {
    all: 0,
    overdue: 0,
    reported: 0,
    classified: 0,
    assigned: 0,
    handling: 0,
    checking: 0,
    closed: 0,
  };
  for (const row of rows) {
    if (!matchesFilters(row, { ...NO_FILTERS, level }, now)) continue;
    counts.all += 1;
    counts[row.state] += 1;
    if (isOverdue(row, now)) counts.overdue += 1;
  }
  return counts;
}

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** A duration in whole days, hours, minutes and seconds (of its absolute value). */
export function durationParts(ms: number): DurationParts {
  const total = Math.floor(Math.abs(ms) / 1000);
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

/**
 * The two largest units worth saying: days and hours, hours and minutes, minutes and seconds (the last
 * hour ticks by the second), as the i18n key under `inbox.duration` and its values.
 */
export function durationText(ms: number): { key: 'dh' | 'hm' | 'ms'; values: Partial<DurationParts> } {
  const { days, hours, minutes, seconds } = durationParts(ms);
  if (days > 0) return { key: 'dh', values: { days, hours } };
  if (hours > 0) return { key: 'hm', values: { hours, minutes } };
  return { key: 'ms', values: { minutes, seconds } };
}

export interface TimerView {
  /** null: no deadline yet (not classified) */
  state: TimerState | null;
  /** deadline − now (negative when overdue), null without a deadline */
  leftMs: number | null;
}

export function timerView(row: Pick<InboxHazard, 'deadline' | 'yellowAt'>, now: Date): TimerView {
  const state = timerState(row.deadline, row.yellowAt, now);
  return { state, leftMs: row.deadline === null ? null : Date.parse(row.deadline) - now.getTime() };
}

/** The symbol beside each timer colour, so the state reads without colour (colour-blind safe). */
export const TIMER_ICONS: Record<TimerState | 'none', string> = {
  green: '●',
  yellow: '▲',
  red: '■',
  none: '○',
};

/**
 * A live payload applied to the inbox rows: the newer version wins (a list answer and an event may
 * arrive in either order), a closed case leaves, a new one enters with the event's village and grid.
 * Returns the same map when nothing changed.
 */
export function applyLiveHazard(
  rows: ReadonlyMap<number, InboxHazard>,
  live: HazardLive,
  place: { villageCode: string; gridCode: string | null } | null,
): ReadonlyMap<number, InboxHazard> {
  const known = rows.get(live.id);
  if (known && known.version >= live.version) return rows;
  const next = new Map(rows);
  if (live.state === 'closed') {
    next.delete(live.id);
    return known ? next : rows;
  }
  const villageCode = known?.villageCode ?? place?.villageCode;
  if (villageCode === undefined) return rows;
  next.set(live.id, {
    id: live.id,
    category: live.category as InboxHazard['category'],
    state: live.state,
    severity: live.severity,
    lon: live.lon,
    lat: live.lat,
    title: live.title,
    reportedAt: live.reportedAt,
    reporter: live.reporter,
    photos: live.photos,
    deadline: live.deadline,
    yellowAt: live.yellowAt,
    level: live.level,
    department: live.department,
    supervised: live.supervised,
    version: live.version,
    villageCode,
    gridCode: known?.gridCode ?? place?.gridCode ?? null,
  });
  return next;
}
