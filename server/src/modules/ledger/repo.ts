import type { Department } from '../../../../shared/src/auth.ts';
import type { SafetyCategory } from '../../../../shared/src/domain.ts';
import type { HazardLevel } from '../../../../shared/src/hazard-workflow.ts';
import type { HazardSeverity, HazardState } from '../../../../shared/src/schemas/live.ts';
import type { Queryable } from '../../db/transaction.ts';

/** A hazard as it stood at an instant (`asOf`), read back from its timeline. */
export interface StandingRow {
  id: string;
  description: string;
  category: SafetyCategory;
  village_code: string;
  grid_code: string | null;
  responsible: string | null;
  reported_at: Date;
  /** closed before asOf, else null */
  closed_at: Date | null;
  town: string;
  town_name: string | null;
  village_name: string | null;
  state: HazardState;
  level: HazardLevel;
  department: Department | null;
  severity: HazardSeverity | null;
  deadline: Date | null;
  moves: {
    at: string;
    action: 'escalate' | 'deescalate';
    fromLevel: HazardLevel;
    toLevel: HazardLevel;
    department: Department | null;
    note: string | null;
  }[];
  /** presses under supervision before asOf, and of them at or after `from` */
  pressed: number;
  pressed_in_period: number;
  last_pressed: { at: string; by: string; level: HazardLevel; note: string | null } | null;
}

/** The steps of one hazard before asOf, newest first (`$3` is asOf). */
const STEPS_BEFORE = `FROM hazard_step s WHERE s.hazard_id = h.id AND s.at < $3`;

export const ledgerRepository = {
  /**
   * Every hazard of the area that was open at some time in [from, asOf): reported before asOf and not
   * closed before from, with its state, level, department, severity and deadline as its timeline had
   * them at asOf (the last step before it), its escalations and the presses under supervision. Records
   * without a timeline (imported ledgers) stand as their row says.
   */
  async standing(db: Queryable, area: string, from: Date, asOf: Date): Promise<StandingRow[]> {
    const { rows } = await db.query<StandingRow>(
      `SELECT h.id, h.description, h.category, h.village_code, h.grid_code, h.responsible, h.reported_at,
              CASE WHEN h.closed_at < $3 THEN h.closed_at END AS closed_at,
              left(h.village_code, 9) AS town,
              (SELECT a.name FROM admin_area a WHERE a.code = left(h.village_code, 9)) AS town_name,
              (SELECT a.name FROM admin_area a WHERE a.code = h.village_code) AS village_name,
              coalesce(e.to_state, CASE WHEN h.closed_at < $3 THEN 'closed'
                                        WHEN h.state = 'closed' THEN 'checking' ELSE h.state END) AS state,
              coalesce(e.to_level, h.level) AS level,
              CASE WHEN e.hazard_id IS NULL THEN h.department ELSE e.department END AS department,
              CASE WHEN e.hazard_id IS NULL THEN h.severity
                   ELSE (SELECT s.data ->> 'severity' ${STEPS_BEFORE} AND s.action = 'classify'
                          ORDER BY s.n DESC LIMIT 1) END AS severity,
              CASE WHEN e.hazard_id IS NULL THEN h.deadline
                   ELSE (SELECT s.deadline ${STEPS_BEFORE} AND s.deadline IS NOT NULL
                          ORDER BY s.n DESC LIMIT 1) END AS deadline,
              coalesce((SELECT json_agg(json_build_object('at', s.at, 'action', s.action, 'fromLevel', s.from_level,
                                          'toLevel', s.to_level, 'department', s.department, 'note', s.note)
                                        ORDER BY s.n)
                          ${STEPS_BEFORE} AND s.action IN ('escalate', 'deescalate')), '[]'::json) AS moves,
              (SELECT count(*) ${STEPS_BEFORE} AND s.action = 'supervise')::int AS pressed,
              (SELECT count(*) ${STEPS_BEFORE} AND s.action = 'supervise' AND s.at >= $2)::int AS pressed_in_period,
              (SELECT json_build_object('at', s.at, 'by', u.display_name, 'level', s.data -> 'pressed' ->> 'level',
                                        'note', s.note)
                 FROM hazard_step s JOIN app_user u ON u.id = s.actor_id
                WHERE s.hazard_id = h.id AND s.at < $3 AND s.action = 'supervise'
                ORDER BY s.n DESC LIMIT 1) AS last_pressed
         FROM hazard h
         LEFT JOIN LATERAL (SELECT s.hazard_id, s.to_state, s.to_level, s.department
                              ${STEPS_BEFORE} ORDER BY s.n DESC LIMIT 1) e ON true
        WHERE h.village_code LIKE $1 || '%' AND h.reported_at < $3 AND (h.closed_at IS NULL OR h.closed_at >= $2)
        ORDER BY h.id`,
      [area, from, asOf],
    );
    return rows;
  },

  /** The name of a division code. */
  async areaName(db: Queryable, code: string): Promise<string> {
    const { rows } = await db.query<{ name: string }>(`SELECT name FROM admin_area WHERE code = $1`, [code]);
    return rows[0]?.name ?? code;
  },
};
