/**
 * What goes on each periodic list, as pure functions of the hazards as they stood at the period's end
 * (repo.ts `standing`); the rules are the ones shared/src/schemas/ledger.ts states.
 */
import { DEPARTMENTS, type Department } from '../../../../shared/src/auth.ts';
import { INDUSTRY_DEPARTMENT } from '../../../../shared/src/hazard-workflow.ts';
import type { ListCounts, ListedHazard, ListedReason } from '../../../../shared/src/schemas/ledger.ts';
import { hazardTitle } from '../hazards/service.ts';
import { monthCalendar } from '../patrol/compliance.ts';
import type { StandingRow } from './repo.ts';

const DAY_MS = 86_400_000;

export interface Period {
  from: Date;
  to: Date;
  /** min(to, now): the instant the list stands at */
  asOf: Date;
  final: boolean;
}

const period = (from: Date, to: Date, now: Date): Period => ({
  from,
  to,
  asOf: now < to ? now : to,
  final: now >= to,
});

/** A half month (YYYY-MM-1 or YYYY-MM-2) as [from, to) instants. */
export function halfPeriod(half: string, now: Date): Period {
  const month = half.slice(0, 7);
  const { from, to } = monthCalendar(month);
  const mid = new Date(from.getTime() + 15 * DAY_MS);
  return half.endsWith('-1') ? period(from, mid, now) : period(mid, to, now);
}

export function monthPeriod(month: string, now: Date): Period {
  const { from, to } = monthCalendar(month);
  return period(from, to, now);
}

/** The department in charge: the county department holding the case, else its sector's. */
export const departmentOf = (r: StandingRow): Department => r.department ?? INDUSTRY_DEPARTMENT[r.category];

export const isOpen = (r: StandingRow) => r.state !== 'closed';
export const isOverdue = (r: StandingRow, p: Period) =>
  isOpen(r) && r.deadline !== null && r.deadline < p.asOf;

/** A hazard as it stood at the period's end, with why it is listed. */
export function listed(r: StandingRow, p: Period, reasons: ListedReason[]): ListedHazard {
  const overdueMs = isOverdue(r, p) ? p.asOf.getTime() - r.deadline!.getTime() : 0;
  return {
    id: Number(r.id),
    title: hazardTitle(r.description),
    category: r.category,
    severity: r.severity,
    department: departmentOf(r),
    town: r.town,
    townName: r.town_name,
    village: r.village_code,
    villageName: r.village_name,
    grid: r.grid_code,
    responsible: r.responsible,
    reportedAt: r.reported_at.toISOString(),
    state: r.state,
    level: r.level,
    deadline: r.deadline?.toISOString() ?? null,
    overdue: isOverdue(r, p),
    overdueDays: Math.floor(overdueMs / DAY_MS),
    closedAt: r.closed_at?.toISOString() ?? null,
    isNew: r.reported_at >= p.from,
    rectified: r.closed_at !== null && r.closed_at >= p.from,
    reasons,
    moves: r.moves,
    pressed: r.pressed,
    lastPressed: r.last_pressed,
  };
}

/**
 * Why a hazard is a key hazard of its half month (none: it is not one): major, past its deadline (open
 * at the half's end, or closed late in it), or escalated above the village; presses are noted.
 */
export function keyReasons(r: StandingRow, p: Period): ListedReason[] {
  const reasons: ListedReason[] = [];
  if (r.severity === 'major') reasons.push('major');
  if (isOverdue(r, p) || (r.closed_at !== null && r.deadline !== null && r.closed_at > r.deadline))
    reasons.push('overdue');
  if (r.level !== 'village' || r.moves.some((m) => m.action === 'escalate')) reasons.push('escalated');
  if (reasons.length > 0 && r.pressed > 0) reasons.push('supervised');
  return reasons;
}

/** Open at the month's end with the county grid centre or a county department, and major or overdue. */
export function jointReasons(r: StandingRow, p: Period): ListedReason[] {
  if (!isOpen(r) || (r.level !== 'county' && r.level !== 'department')) return [];
  const reasons: ListedReason[] = [];
  if (r.severity === 'major') reasons.push('major');
  if (isOverdue(r, p)) reasons.push('overdue');
  if (reasons.length === 0) return [];
  reasons.push('escalated');
  if (r.pressed > 0) reasons.push('supervised');
  return reasons;
}

/** Open at the month's end after being pressed under supervision. */
export function coordinationReasons(r: StandingRow, p: Period): ListedReason[] {
  if (!isOpen(r) || r.pressed === 0) return [];
  const reasons: ListedReason[] = [];
  if (r.severity === 'major') reasons.push('major');
  if (isOverdue(r, p)) reasons.push('overdue');
  if (r.level !== 'village') reasons.push('escalated');
  reasons.push('supervised');
  return reasons;
}

export function countsOf(rows: ListedHazard[]): ListCounts {
  return {
    listed: rows.length,
    new: rows.filter((r) => r.isNew).length,
    rectified: rows.filter((r) => r.rectified).length,
    open: rows.filter((r) => r.state !== 'closed').length,
    overdue: rows.filter((r) => r.overdue).length,
  };
}

/** Listed hazards by department in the county's order, departments without any left out. */
export function byDepartment(rows: ListedHazard[]): { department: Department; rows: ListedHazard[] }[] {
  return DEPARTMENTS.map((department) => ({
    department,
    rows: rows.filter((r) => r.department === department),
  })).filter((d) => d.rows.length > 0);
}

/**
 * The order a list is printed in: most overdue first, then major before general, then the oldest
 * report first.
 */
export function listOrder(a: ListedHazard, b: ListedHazard): number {
  return (
    Number(b.overdue) - Number(a.overdue) ||
    b.overdueDays - a.overdueDays ||
    Number(b.severity === 'major') - Number(a.severity === 'major') ||
    a.reportedAt.localeCompare(b.reportedAt) ||
    a.id - b.id
  );
}
