import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import type { NewLiveEvent, PatrolLive, PatrolPositionLive } from '../../../../shared/src/schemas/live.ts';
import {
  PATROL_MIN_INSIDE_S,
  PATROL_REPORTS_PER_MONTH,
  PATROL_TRAIL_POINTS,
  type PatrolCompliance,
  type PatrolComplianceQuery,
  type PatrolComplianceRow,
  type PatrolList,
  type PatrolListQuery,
  type PatrolSessionView,
  type PositionAnswer,
} from '../../../../shared/src/schemas/patrol.ts';
import type { Queryable } from '../../db/transaction.ts';
import { HttpError, notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import type { EventWriter } from '../events/with-events.ts';
import type { Fix } from './fix.ts';
import { beijingMonth } from '../../../../shared/src/beijing-time.ts';
import { monthCalendar } from './compliance.ts';
import { patrolRepository as repo, type SessionRow, type SessionTotals } from './repo.ts';

export interface PatrolServiceOptions {
  /** a session ends when no fix comes for this long */
  idleGapS: number;
}

/** The device that sends fixes, and the member it belongs to. */
export interface Sender {
  deviceId: number;
  userId: number;
  /** stamp the device's last use with the fixes (a device token was stamped when it was checked) */
  stampLastUse?: boolean;
}

/** Roles that may end a patrol: the member (their own), and the officers and operators of its area. */
export const PATROL_END_ROLES = [
  'grid_member',
  'village_officer',
  'town_operator',
  'county_operator',
  'admin',
] as const;

const iso = (d: Date) => d.toISOString();

export function sessionView(s: SessionRow): PatrolSessionView {
  return {
    sessionId: s.id,
    userId: s.user_id,
    member: s.member,
    grid: s.grid_code,
    area: s.area_code,
    device: s.device,
    startedAt: iso(s.started_at),
    lastFixAt: iso(s.last_fix_at),
    endedAt: s.ended_at ? iso(s.ended_at) : null,
    endReason: s.end_reason,
    distanceM: Math.round(s.distance_m * 10) / 10,
    durationS: (s.last_fix_at.getTime() - s.started_at.getTime()) / 1000,
    insideS: Math.round(s.inside_s * 10) / 10,
    fixes: s.fixes,
    exits: s.exits,
    leftGridAt: s.left_grid_at ? iso(s.left_grid_at) : null,
    lon: s.lon,
    lat: s.lat,
    inOwnGrid: s.last_inside,
  };
}

function positionLive(s: SessionRow, f: Fix, inside: boolean): PatrolPositionLive {
  return {
    sessionId: s.id,
    userId: s.user_id,
    member: s.member,
    lon: f.lon,
    lat: f.lat,
    fixAt: iso(f.fixAt),
    speedKmh: f.speedKmh,
    bearing: f.bearing,
    inOwnGrid: inside,
  };
}

const eventOf = (s: SessionRow, type: NewLiveEvent['type'], data: object): NewLiveEvent => ({
  type,
  area: s.area_code,
  grid: s.grid_code,
  subject: `patrol:${s.id}`,
  data: { ...data },
});

/** Fixes in time order, one per instant: the later copies of a fix time are duplicates. */
export function orderFixes(fixes: Fix[]): { ordered: Fix[]; duplicates: number } {
  const byTime = new Map<number, Fix>();
  for (const f of fixes) if (!byTime.has(f.fixAt.getTime())) byTime.set(f.fixAt.getTime(), f);
  const ordered = [...byTime.values()].sort((a, b) => a.fixAt.getTime() - b.fixAt.getTime());
  return { ordered, duplicates: fixes.length - ordered.length };
}

/**
 * Splits in-order fixes into runs with no gap longer than `gapMs` between neighbours; the first run
 * continues from `lastAt` (the open session's last fix) only if it starts within the gap.
 */
export function runsByGap(
  fixes: Fix[],
  gapMs: number,
  lastAt: Date | null,
): { fixes: Fix[]; continues: boolean }[] {
  const runs: { fixes: Fix[]; continues: boolean }[] = [];
  let prev = lastAt?.getTime() ?? null;
  for (const f of fixes) {
    const t = f.fixAt.getTime();
    const current = runs.at(-1);
    if (prev !== null && t - prev <= gapMs) {
      if (current) current.fixes.push(f);
      else runs.push({ fixes: [f], continues: true });
    } else {
      runs.push({ fixes: [f], continues: false });
    }
    prev = t;
  }
  return runs;
}

export function createPatrolService(pool: pg.Pool, events: EventWriter, options: PatrolServiceOptions) {
  const gapMs = options.idleGapS * 1000;

  /**
   * Appends a run of in-order fixes to a session: distance from each fix to the one before, time
   * inside the grid (an interval counts fully when both its fixes lie inside, half when one does), a
   * `patrol.position` event per fix (the log appends them in one statement; the relay batches them to
   * clients) and a `patrol.left_grid` event on each crossing from inside to outside.
   */
  async function extend(
    client: pg.PoolClient,
    emit: (e: NewLiveEvent) => void,
    session: SessionRow,
    fixes: Fix[],
    fromSession: boolean,
    deviceId: number,
  ): Promise<SessionRow> {
    const steps = await repo.steps(client, session.grid_code, fromSession ? session : null, fixes);
    const totals: SessionTotals = {
      lastFixAt: session.last_fix_at,
      lon: session.lon,
      lat: session.lat,
      lastInside: session.last_inside,
      fixes: session.fixes,
      distanceM: session.distance_m,
      insideS: session.inside_s,
      leftGridAt: session.left_grid_at,
      exits: session.exits,
    };
    let prevAt = session.last_fix_at.getTime();
    for (const [i, f] of fixes.entries()) {
      const step = steps[i]!;
      const inside = step.inside === true;
      emit(eventOf(session, 'patrol.position', positionLive(session, f, inside)));
      if (fromSession || i > 0) {
        const dtS = (f.fixAt.getTime() - prevAt) / 1000;
        totals.distanceM += step.step_m;
        totals.insideS += dtS * ((totals.lastInside ? 0.5 : 0) + (inside ? 0.5 : 0));
        totals.fixes += 1;
        if (totals.lastInside && !inside) {
          totals.exits += 1;
          totals.leftGridAt = f.fixAt;
          emit(
            eventOf(session, 'patrol.left_grid', {
              ...positionLive(session, f, false),
              grid: session.grid_code,
            }),
          );
        }
      }
      totals.lastInside = inside;
      totals.lastFixAt = f.fixAt;
      totals.lon = f.lon;
      totals.lat = f.lat;
      prevAt = f.fixAt.getTime();
    }
    await repo.insertPositions(
      client,
      session.id,
      deviceId,
      fixes,
      true,
      steps.map((s) => s.inside),
    );
    await repo.updateTotals(client, session.id, totals);
    return (await repo.session(client, session.id))!;
  }

  async function endSession(
    client: Queryable,
    emit: (e: NewLiveEvent) => void,
    id: number,
    reason: 'idle' | 'ended',
    by: number | null,
    at: Date | null = null,
  ): Promise<SessionRow> {
    await repo.end(client, id, reason, by, at);
    const ended = (await repo.session(client, id))!;
    emit(eventOf(ended, 'patrol.ended', sessionView(ended)));
    return ended;
  }

  return {
    /** The device a stock app's tracker id names; 403 naming the id when it is unknown or revoked. */
    async tracker(trackerId: string, field: string): Promise<Sender> {
      const row = await repo.tracker(pool, trackerId);
      if (!row)
        throw new HttpError(403, `tracker id ${trackerId} is not registered (POST /api/devices)`, field);
      if (row.revoked || row.disabled)
        throw new HttpError(403, `the device with tracker id ${trackerId} has been revoked`, field);
      return { deviceId: row.device_id, userId: row.user_id, stampLastUse: true };
    },

    /**
     * Stores a device's fixes: duplicates (same device and fix time) ignored and counted; fixes older
     * than the device's newest kept as late ones without touching the totals; the rest, in time order,
     * extend the open session, or start a new one after an idle gap. State and events in one transaction.
     */
    async ingest(sender: Sender, fixes: Fix[]): Promise<PositionAnswer> {
      const { ordered, duplicates } = orderFixes(fixes);
      return events.transaction(async (client, emit) => {
        // in the fixes' transaction: one commit (one WAL flush) per request
        if (sender.stampLastUse) await repo.touchDevice(client, sender.deviceId);
        await repo.lockDevice(client, sender.deviceId);
        let latest = await repo.latestSession(client, sender.deviceId);
        const cutoff = latest?.last_fix_at.getTime() ?? Number.NEGATIVE_INFINITY;
        const late = ordered.filter((f) => f.fixAt.getTime() <= cutoff);
        const fresh = ordered.filter((f) => f.fixAt.getTime() > cutoff);
        const stored = await repo.insertLate(client, sender.deviceId, late);
        let accepted = stored.stored;
        const open = latest && !latest.ended_at ? latest : undefined;
        for (const run of runsByGap(fresh, gapMs, open?.last_fix_at ?? null)) {
          if (run.continues && latest && !latest.ended_at) {
            latest = await extend(client, emit, latest, run.fixes, true, sender.deviceId);
          } else {
            if (latest && !latest.ended_at) await endSession(client, emit, latest.id, 'idle', null);
            const first = run.fixes[0]!;
            const place = await repo.place(client, sender.userId, first.lon, first.lat);
            const [step] = await repo.steps(client, place.grid_code, null, [first]);
            const id = await repo.insertSession(client, {
              userId: sender.userId,
              deviceId: sender.deviceId,
              place,
              first,
              inside: step!.inside === true,
            });
            const started = (await repo.session(client, id))!;
            emit(eventOf(started, 'patrol.started', sessionView(started)));
            latest = await extend(client, emit, started, run.fixes, false, sender.deviceId);
          }
          accepted += run.fixes.length;
        }
        return {
          accepted,
          duplicates: duplicates + (late.length - stored.stored - stored.stale),
          outOfOrder: stored.stored,
          stale: stored.stale,
          sessionId: latest && !latest.ended_at ? latest.id : null,
        };
      });
    },

    /** Ends the sessions whose device has sent nothing for the idle gap (their end is their last fix). */
    async endIdle(now = new Date()): Promise<number> {
      return events.transaction(async (client, emit) => {
        const ids = await repo.idle(client, new Date(now.getTime() - gapMs));
        for (const id of ids) await endSession(client, emit, id, 'idle', null);
        return ids.length;
      });
    },

    /** A member ends their own patrol; officers and operators end any in their area. Audited. */
    async end(principal: Principal, id: number, actor: AuditActor): Promise<PatrolSessionView> {
      return events.transaction(async (client, emit) => {
        const found = await repo.sessionForUpdate(client, id, principal.scope);
        if (!found || (principal.role === 'grid_member' && found.user_id !== principal.userId))
          throw notFound(`patrol ${id} does not exist`, 'params.id');
        if (found.ended_at) throw new HttpError(409, `patrol ${id} has already ended`, 'params.id');
        const ended = await endSession(client, emit, id, 'ended', principal.userId, new Date());
        const view = sessionView(ended);
        await recordAudit(client, actor, {
          action: 'patrol.end',
          target: `patrol:${id}`,
          before: sessionView(found),
          after: view,
        });
        return view;
      });
    },

    async list(principal: Principal, query: PatrolListQuery): Promise<PatrolList> {
      const { rows, total } = await repo.list(pool, principal.scope, query.state, query.limit, query.offset);
      return { items: rows.map(sessionView), total, limit: query.limit, offset: query.offset };
    },

    /** Patrol compliance per unit grid, or summed per village or town, for a month (Beijing time). */
    async compliance(
      principal: Principal,
      query: PatrolComplianceQuery,
      now = new Date(),
    ): Promise<PatrolCompliance> {
      const month = query.month ?? beijingMonth(now);
      const { from, to, weeks } = monthCalendar(month);
      const rows = await repo.compliance(pool, principal.scope, {
        from,
        to,
        weeks: weeks.map((w) => w.start),
        minInsideS: PATROL_MIN_INSIDE_S,
      });
      const due = weeks.map((w) => w.end <= now);
      const pct = (n: number, of: number) => (of ? Math.round((1000 * n) / of) / 10 : 0);
      const units: PatrolComplianceRow[] = rows.map((r) => {
        const patrolled = weeks.map((_, i) => r.weeks.includes(i));
        const patrolOk = due.every((d, i) => !d || patrolled[i]);
        const reportsOk = r.reports >= PATROL_REPORTS_PER_MONTH;
        const compliant = patrolOk && reportsOk;
        return {
          code: r.code,
          name: r.name,
          level: 'unit',
          village: r.village,
          town: r.town,
          weeks: weeks.map((w, i) => ({ start: w.label, patrolled: patrolled[i]!, due: due[i]! })),
          reports: r.reports,
          units: 1,
          patrolOk: patrolOk ? 1 : 0,
          reportsOk: reportsOk ? 1 : 0,
          compliant: compliant ? 1 : 0,
          compliantPct: compliant ? 100 : 0,
        };
      });
      const sum = (list: PatrolComplianceRow[]) => {
        const n = (k: 'units' | 'patrolOk' | 'reportsOk' | 'compliant' | 'reports') =>
          list.reduce((a, r) => a + r[k], 0);
        return {
          units: n('units'),
          patrolOk: n('patrolOk'),
          reportsOk: n('reportsOk'),
          compliant: n('compliant'),
          compliantPct: pct(n('compliant'), n('units')),
          reports: n('reports'),
        };
      };
      let out = units;
      if (query.level !== 'unit') {
        const groups = new Map<
          string,
          { name: string; village: string | null; town: string; rows: PatrolComplianceRow[] }
        >();
        rows.forEach((r, i) => {
          const key = query.level === 'village' ? r.village : r.town;
          let g = groups.get(key);
          if (!g)
            groups.set(
              key,
              (g = {
                name: query.level === 'village' ? r.village_name : r.town_name,
                village: query.level === 'village' ? r.village : null,
                town: r.town,
                rows: [],
              }),
            );
          g.rows.push(units[i]!);
        });
        out = [...groups].map(([code, g]) => ({
          code,
          name: g.name,
          level: query.level,
          village: g.village,
          town: g.town,
          ...sum(g.rows),
        }));
      }
      return {
        month,
        level: query.level,
        from: from.toISOString(),
        to: to.toISOString(),
        weeks: weeks.map((w) => w.label),
        monthOver: to <= now,
        rule: { reportsPerMonth: PATROL_REPORTS_PER_MONTH, minInsideS: PATROL_MIN_INSIDE_S },
        rows: out,
        total: sum(units),
      };
    },

    /** The live snapshot's `patrols` part: open sessions in the area with their newest fixes. */
    async snapshotPart(client: Queryable, area: string): Promise<PatrolLive[]> {
      const rows = await repo.openInArea(client, area, PATROL_TRAIL_POINTS);
      return rows.map((r) => ({ ...sessionView(r), trail: r.trail }));
    },
  };
}
export type PatrolService = ReturnType<typeof createPatrolService>;
