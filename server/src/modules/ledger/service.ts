/**
 * The periodic lists and the monthly bulletin of the caller's area (shared/src/schemas/ledger.ts). A
 * department handler gets the hazards in its department's charge only.
 */
import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import { SAFETY_CATEGORIES } from '../../../../shared/src/domain.ts';
import type {
  Bulletin,
  BulletinFigures,
  KeyHazardList,
  KeyHazardQuery,
  LedgerMonthQuery,
  ListedHazard,
  ListedReason,
  MonthList,
} from '../../../../shared/src/schemas/ledger.ts';
import { beijingHalf, beijingMonth, previousMonth } from '../../../../shared/src/beijing-time.ts';
import type { createPatrolService } from '../patrol/service.ts';
import {
  byDepartment,
  coordinationReasons,
  countsOf,
  departmentOf,
  halfPeriod,
  isOpen,
  isOverdue,
  jointReasons,
  keyReasons,
  listed,
  listOrder,
  monthPeriod,
  type Period,
} from './lists.ts';
import { ledgerRepository as repo, type StandingRow } from './repo.ts';

type Patrols = Pick<ReturnType<typeof createPatrolService>, 'compliance'>;

export function createLedgerService(pool: pg.Pool, patrols: Patrols) {
  /** The area's hazards as they stood at the period's end, narrowed to a department handler's charge. */
  async function standing(principal: Principal, p: Period): Promise<StandingRow[]> {
    const rows = await repo.standing(pool, principal.scope, p.from, p.asOf);
    return principal.role === 'department_handler'
      ? rows.filter((r) => departmentOf(r) === principal.department)
      : rows;
  }

  async function header(principal: Principal, p: Period) {
    return {
      from: p.from.toISOString(),
      to: p.to.toISOString(),
      asOf: p.asOf.toISOString(),
      final: p.final,
      area: principal.scope,
      areaName: await repo.areaName(pool, principal.scope),
    };
  }

  const pick = (
    rows: StandingRow[],
    p: Period,
    reasons: (r: StandingRow, p: Period) => ListedReason[],
  ): ListedHazard[] =>
    rows
      .map((r) => ({ r, why: reasons(r, p) }))
      .filter(({ why }) => why.length > 0)
      .map(({ r, why }) => listed(r, p, why))
      .sort(listOrder);

  async function monthList(
    principal: Principal,
    query: LedgerMonthQuery,
    reasons: (r: StandingRow, p: Period) => ListedReason[],
    now: Date,
  ): Promise<MonthList> {
    const month = query.month ?? beijingMonth(now);
    const p = monthPeriod(month, now);
    const [standingRows, head] = await Promise.all([standing(principal, p), header(principal, p)]);
    const rows = pick(standingRows, p, reasons);
    return {
      month,
      ...head,
      rows,
      total: countsOf(rows),
      byDepartment: byDepartment(rows).map((d) => ({ department: d.department, ...countsOf(d.rows) })),
    };
  }

  /** Figures of one month's hazards (those found in it, closed in it, open at its end). */
  function figures(rows: StandingRow[], p: Period): BulletinFigures {
    const found = rows.filter((r) => r.reported_at >= p.from);
    const rectified = found.filter((r) => !isOpen(r)).length;
    return {
      found: found.length,
      rectified,
      rate: found.length === 0 ? null : rectified / found.length,
      closedInMonth: rows.filter((r) => r.closed_at !== null).length,
      open: rows.filter(isOpen).length,
      overdue: rows.filter((r) => isOverdue(r, p)).length,
      pressed: rows.reduce((n, r) => n + r.pressed_in_period, 0),
    };
  }

  return {
    async keyHazards(principal: Principal, query: KeyHazardQuery, now = new Date()): Promise<KeyHazardList> {
      const half = query.half ?? beijingHalf(now);
      const p = halfPeriod(half, now);
      const [standingRows, head] = await Promise.all([standing(principal, p), header(principal, p)]);
      const all = pick(standingRows, p, keyReasons);
      const rows = query.department ? all.filter((r) => r.department === query.department) : all;
      return {
        half,
        ...head,
        departments: byDepartment(rows).map((d) => ({
          department: d.department,
          ...countsOf(d.rows),
          rows: d.rows,
        })),
        total: countsOf(rows),
      };
    },

    jointTackling: (principal: Principal, query: LedgerMonthQuery, now = new Date()) =>
      monthList(principal, query, jointReasons, now),

    coordination: (principal: Principal, query: LedgerMonthQuery, now = new Date()) =>
      monthList(principal, query, coordinationReasons, now),

    async bulletin(principal: Principal, query: LedgerMonthQuery, now = new Date()): Promise<Bulletin> {
      const month = query.month ?? beijingMonth(now);
      const p = monthPeriod(month, now);
      const before = previousMonth(month);
      const pp = monthPeriod(before, now);
      const halves = [`${month}-1`, `${month}-2`]
        .map((half) => ({ half, period: halfPeriod(half, now) }))
        .filter((h) => h.period.from < now);
      // a half that stands where the month does (the second, or the first while it runs) holds the
      // month's rows less those closed before it began: only a half already over needs a read of its own
      const sameEnd = (hp: Period) => hp.asOf.getTime() === p.asOf.getTime();
      const [rows, previousRows, compliance, head, ...ownReads] = await Promise.all([
        standing(principal, p),
        standing(principal, pp),
        patrols.compliance(principal, { month, level: 'town' }, now),
        header(principal, p),
        ...halves.filter((h) => !sameEnd(h.period)).map((h) => standing(principal, h.period)),
      ]);
      let own = 0;
      const halfRows = halves.map((h) =>
        sameEnd(h.period)
          ? rows.filter((r) => r.closed_at === null || r.closed_at >= h.period.from)
          : ownReads[own++]!,
      );

      const towns = new Map<string, { name: string; rows: StandingRow[] }>();
      for (const r of rows) {
        let t = towns.get(r.town);
        if (!t) towns.set(r.town, (t = { name: r.town_name ?? r.town, rows: [] }));
        t.rows.push(r);
      }
      const patrol = new Map(compliance.rows.map((c) => [c.town.replace(/^G/, ''), c]));
      for (const [code, c] of patrol) if (!towns.has(code)) towns.set(code, { name: c.name, rows: [] });
      const ranked = [...towns]
        .map(([code, t]) => {
          const c = patrol.get(code);
          return {
            code,
            name: t.name,
            ...figures(t.rows, p),
            patrolUnits: c?.units ?? 0,
            patrolCompliant: c?.compliant ?? 0,
            patrolPct: c?.compliantPct ?? 0,
          };
        })
        .sort(
          (a, b) =>
            (b.rate ?? -1) - (a.rate ?? -1) ||
            a.overdue - b.overdue ||
            b.patrolPct - a.patrolPct ||
            a.code.localeCompare(b.code),
        )
        .map((t, i) => ({ rank: i + 1, ...t }));

      const found = rows.filter((r) => r.reported_at >= p.from);
      return {
        month,
        ...head,
        total: {
          ...figures(rows, p),
          patrolUnits: compliance.total.units,
          patrolCompliant: compliance.total.compliant,
        },
        previous: { month: before, ...figures(previousRows, pp) },
        towns: ranked,
        categories: SAFETY_CATEGORIES.map((category) => {
          const of = found.filter((r) => r.category === category);
          return {
            category,
            found: of.length,
            rectified: of.filter((r) => !isOpen(r)).length,
            major: of.filter((r) => r.severity === 'major').length,
          };
        }).filter((c) => c.found > 0),
        lists: {
          keyHazards: halves.map(({ half, period: hp }, i) => ({
            half,
            listed: halfRows[i]!.filter((r) => keyReasons(r, hp).length > 0).length,
          })),
          jointTackling: rows.filter((r) => jointReasons(r, p).length > 0).length,
          coordination: rows.filter((r) => coordinationReasons(r, p).length > 0).length,
        },
      };
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
