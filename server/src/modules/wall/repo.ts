/** The wall's figures: hazards by period, category, state and level; patrols on duty; forces by tier. */
import type { SafetyCategory, StationStatus, StationTier } from '../../../../shared/src/domain.ts';
import type { HazardLevel } from '../../../../shared/src/hazard-workflow.ts';
import type { HazardState } from '../../../../shared/src/schemas/live.ts';
import type { Queryable } from '../../db/transaction.ts';
import { IN_SCOPE, OPEN, type HazardScope } from '../hazards/repo.ts';

/** Hazards of one kind: reported today / this month (or neither: open from before), overdue at `now`. */
export interface HazardGroupRow {
  category: SafetyCategory;
  state: HazardState;
  level: HazardLevel;
  today: boolean;
  this_month: boolean;
  overdue: boolean;
  n: number;
}

export const wallRepository = {
  /**
   * This month's hazards and every open one in scope, counted by category, state, level and whether they
   * were reported today, this month, and are past their deadline at `now`.
   */
  async hazardGroups(
    db: Queryable,
    scope: HazardScope,
    period: { dayStart: Date; monthStart: Date; now: Date },
  ): Promise<HazardGroupRow[]> {
    const { rows } = await db.query<HazardGroupRow>(
      `SELECT h.category, h.state, h.level,
              h.reported_at >= $3 AS today,
              h.reported_at >= $4 AS this_month,
              (${OPEN} AND h.deadline < $5) AS overdue,
              count(*)::int AS n
         FROM hazard h
        WHERE ${IN_SCOPE(1)} AND (h.reported_at >= $4 OR ${OPEN})
        GROUP BY 1, 2, 3, 4, 5, 6`,
      [scope.area, scope.department, period.dayStart, period.monthStart, period.now],
    );
    return rows;
  },

  /**
   * Patrol sessions not ended in the area by town (the session's area cut to its town; a county-level
   * session counts under the county), each with how many of those members are outside their own grid.
   */
  async patrolsByTown(
    db: Queryable,
    area: string,
  ): Promise<{ code: string; name: string; on_duty: number; outside_grid: number }[]> {
    const { rows } = await db.query<{ code: string; name: string; on_duty: number; outside_grid: number }>(
      `SELECT t.code, coalesce(a.name, t.code) AS name, count(*)::int AS on_duty,
              count(*) FILTER (WHERE NOT p.last_inside)::int AS outside_grid
         FROM patrol_session p
        CROSS JOIN LATERAL (SELECT left(p.area_code, 9) AS code) t
         LEFT JOIN admin_area a ON a.code = t.code
        WHERE p.ended_at IS NULL AND p.area_code LIKE $1 || '%'
        GROUP BY t.code, a.name
        ORDER BY on_duty DESC, t.code`,
      [area],
    );
    return rows;
  },

  /** Fire forces in the area by tier and status. */
  async forces(
    db: Queryable,
    area: string,
  ): Promise<{ tier: StationTier; status: StationStatus; n: number }[]> {
    const { rows } = await db.query<{ tier: StationTier; status: StationStatus; n: number }>(
      `SELECT tier, status, count(*)::int AS n FROM fire_station
        WHERE village_code LIKE $1 || '%' GROUP BY 1, 2`,
      [area],
    );
    return rows;
  },
};
