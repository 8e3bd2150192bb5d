import type { Queryable } from '../../db/transaction.ts';
import type { Fix } from './fix.ts';

/** The device a stock app's tracker id names (the live one, else the newest revoked one). */
export interface TrackerRow {
  device_id: number;
  user_id: number;
  revoked: boolean;
  disabled: boolean;
}

/** A session with the totals and last position the service carries on from. */
export interface SessionRow {
  id: number;
  user_id: number;
  member: string;
  device: string;
  grid_code: string | null;
  area_code: string;
  started_at: Date;
  last_fix_at: Date;
  lon: number;
  lat: number;
  last_inside: boolean;
  fixes: number;
  distance_m: number;
  inside_s: number;
  left_grid_at: Date | null;
  exits: number;
  ended_at: Date | null;
  end_reason: 'idle' | 'ended' | null;
}

/** Where a new session belongs: the member's grid (assigned, or the unit grid under the first fix). */
export interface SessionPlace {
  grid_code: string | null;
  area_code: string;
}

/** One fix's place in its session: inside the grid or not, metres from the fix before. */
export interface FixStep {
  inside: boolean | null;
  step_m: number;
}

export interface SessionTotals {
  lastFixAt: Date;
  lon: number;
  lat: number;
  lastInside: boolean;
  fixes: number;
  distanceM: number;
  insideS: number;
  leftGridAt: Date | null;
  exits: number;
}

export interface TrailRow {
  session_id: number;
  trail: Array<{ lon: number; lat: number; fixAt: string }>;
}

const SESSION = `s.id::int AS id, s.user_id::int AS user_id, u.display_name AS member, d.name AS device,
  s.grid_code, s.area_code, s.started_at, s.last_fix_at, ST_X(s.last_geom) AS lon, ST_Y(s.last_geom) AS lat,
  s.last_inside, s.fixes, s.distance_m, s.inside_s, s.left_grid_at, s.exits, s.ended_at, s.end_reason`;
const FROM = `patrol_session s JOIN app_user u ON u.id = s.user_id JOIN device_token d ON d.id = s.device_id`;

/** A division code (area_code prefix) or a grid code (`G…`, the session's grid or `G` + its area). */
const IN_AREA = `CASE WHEN left($1, 1) = 'G' THEN coalesce(s.grid_code, 'G' || s.area_code) LIKE $1 || '%'
                      ELSE s.area_code LIKE $1 || '%' END`;

const column = <T>(fixes: Fix[], pick: (f: Fix) => T) => fixes.map(pick);

/** The fixes as parallel arrays for unnest: time, lon, lat, speed, bearing, altitude, accuracy, hdop, battery. */
const fixColumns = (fixes: Fix[]) => [
  column(fixes, (f) => f.fixAt.toISOString()),
  column(fixes, (f) => f.lon),
  column(fixes, (f) => f.lat),
  column(fixes, (f) => f.speedKmh),
  column(fixes, (f) => f.bearing),
  column(fixes, (f) => f.altitudeM),
  column(fixes, (f) => f.accuracyM),
  column(fixes, (f) => f.hdop),
  column(fixes, (f) => f.batteryPct),
];

export interface ComplianceRow {
  code: string;
  name: string;
  village: string;
  village_name: string;
  town: string;
  town_name: string;
  /** indexes of the weeks patrolled */
  weeks: number[];
  reports: number;
}

export const patrolRepository = {
  async tracker(db: Queryable, trackerId: string): Promise<TrackerRow | undefined> {
    const { rows } = await db.query<TrackerRow>(
      `SELECT d.id::int AS device_id, d.user_id::int AS user_id, d.revoked_at IS NOT NULL AS revoked, u.disabled
         FROM device_token d JOIN app_user u ON u.id = d.user_id
        WHERE d.tracker_id = $1
        ORDER BY d.revoked_at IS NULL DESC, d.id DESC LIMIT 1`,
      [trackerId],
    );
    return rows[0];
  },

  async touchDevice(db: Queryable, deviceId: number): Promise<void> {
    await db.query('UPDATE device_token SET last_used_at = now() WHERE id = $1', [deviceId]);
  },

  /** Serialises one device's writers (its fixes arrive over several connections). */
  async lockDevice(db: Queryable, deviceId: number): Promise<void> {
    await db.query('SELECT 1 FROM device_token WHERE id = $1 FOR UPDATE', [deviceId]);
  },

  /** The device's newest session (open or not), the open one locked. */
  async latestSession(db: Queryable, deviceId: number): Promise<SessionRow | undefined> {
    const { rows } = await db.query<SessionRow>(
      `SELECT ${SESSION} FROM ${FROM} WHERE s.device_id = $1 ORDER BY s.last_fix_at DESC LIMIT 1`,
      [deviceId],
    );
    const latest = rows[0];
    if (!latest || latest.ended_at) return latest;
    const open = await db.query<{ id: number }>(
      'SELECT id FROM patrol_session WHERE id = $1 AND ended_at IS NULL FOR UPDATE',
      [latest.id],
    );
    // ended by the idle sweep while we waited for the lock: read it again
    if (!open.rows[0])
      return (await db.query<SessionRow>(`SELECT ${SESSION} FROM ${FROM} WHERE s.id = $1`, [latest.id]))
        .rows[0];
    return latest;
  },

  async session(db: Queryable, id: number | string): Promise<SessionRow | undefined> {
    const { rows } = await db.query<SessionRow>(`SELECT ${SESSION} FROM ${FROM} WHERE s.id = $1`, [id]);
    return rows[0];
  },

  /** The session if it lies in `scope`, locked for an update. */
  async sessionForUpdate(db: Queryable, id: number, scope: string): Promise<SessionRow | undefined> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id FROM patrol_session WHERE id = $1 AND area_code LIKE $2 || '%' FOR UPDATE`,
      [id, scope],
    );
    return rows[0] && this.session(db, id);
  },

  /**
   * The member's assigned unit grid, else the unit grid containing the point; the session's area is that
   * grid's village, else the village containing the point, else the member's own area.
   */
  async place(db: Queryable, userId: number, lon: number, lat: number): Promise<SessionPlace> {
    const { rows } = await db.query<SessionPlace>(
      `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($2, $3), 4326) AS g),
            u AS (SELECT grid_code, scope_code FROM app_user WHERE id = $1),
            own AS (SELECT g.code, g.admin_code FROM grid g, u WHERE g.code = u.grid_code),
            under AS (SELECT g.code, g.admin_code FROM grid g, p
                       WHERE g.level = 'unit' AND ST_Covers(g.geom, p.g) ORDER BY g.code LIMIT 1),
            chosen AS (SELECT * FROM own UNION ALL SELECT * FROM under WHERE NOT EXISTS (SELECT 1 FROM own))
       SELECT (SELECT code FROM chosen) AS grid_code,
              coalesce((SELECT admin_code FROM chosen),
                       (SELECT a.code FROM admin_area a, p
                         WHERE a.level = 'village' AND ST_Covers(a.geom, p.g) ORDER BY a.code LIMIT 1),
                       (SELECT scope_code FROM u)) AS area_code`,
      [userId, lon, lat],
    );
    return rows[0]!;
  },

  async insertSession(
    db: Queryable,
    s: { userId: number; deviceId: number; place: SessionPlace; first: Fix; inside: boolean },
  ): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO patrol_session (user_id, device_id, grid_code, area_code, started_at, last_fix_at, last_geom,
                                   last_inside)
       VALUES ($1, $2, $3, $4, $5, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326), $8)
       RETURNING id::int`,
      [
        s.userId,
        s.deviceId,
        s.place.grid_code,
        s.place.area_code,
        s.first.fixAt,
        s.first.lon,
        s.first.lat,
        s.inside,
      ],
    );
    return rows[0]!.id;
  },

  /**
   * For fixes in time order: whether each lies inside the grid, and its distance (metres, on the
   * spheroid) from the fix before it, the first from `from` (the session's last position, or itself).
   */
  async steps(
    db: Queryable,
    gridCode: string | null,
    from: { lon: number; lat: number } | null,
    fixes: Fix[],
  ): Promise<FixStep[]> {
    const { rows } = await db.query<FixStep>(
      `WITH p AS (SELECT i, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS g
                    FROM unnest($2::float8[], $3::float8[]) WITH ORDINALITY AS t(lon, lat, i)),
            grid_geom AS (SELECT geom FROM grid WHERE code = $1)
       SELECT CASE WHEN $1::text IS NULL THEN NULL ELSE coalesce(ST_Covers((SELECT geom FROM grid_geom), p.g), false) END AS inside,
              ST_Distance(coalesce(lag(p.g) OVER (ORDER BY i), ST_SetSRID(ST_MakePoint($4, $5), 4326), p.g)::geography,
                          p.g::geography) AS step_m
         FROM p ORDER BY i`,
      [
        gridCode,
        column(fixes, (f) => f.lon),
        column(fixes, (f) => f.lat),
        from?.lon ?? null,
        from?.lat ?? null,
      ],
    );
    return rows;
  },

  /** Stores fixes of one session; returns how many were new (a duplicate device + time is skipped). */
  async insertPositions(
    db: Queryable,
    sessionId: number,
    deviceId: number,
    fixes: Fix[],
    inOrder: boolean,
    inside: (boolean | null)[],
  ): Promise<number> {
    if (fixes.length === 0) return 0;
    const result = await db.query(
      `INSERT INTO patrol_position (session_id, device_id, fix_at, geom, speed_kmh, bearing, altitude_m, accuracy_m,
                                    hdop, battery_pct, in_order, inside)
       SELECT $1, $2, t.fix_at, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326), t.speed, t.bearing, t.altitude,
              t.accuracy, t.hdop, t.battery, $3, t.inside
         FROM unnest($4::timestamptz[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[],
                     $11::float8[], $12::float8[], $13::boolean[])
              AS t(fix_at, lon, lat, speed, bearing, altitude, accuracy, hdop, battery, inside)
       ON CONFLICT (device_id, fix_at) DO NOTHING`,
      [sessionId, deviceId, inOrder, ...fixColumns(fixes), inside],
    );
    return result.rowCount ?? 0;
  },

  /**
   * Late fixes (older than the device's newest): each goes to the session that had started by its time,
   * inside-ness against that session's grid. Returns how many were stored and how many had no session.
   */
  async insertLate(
    db: Queryable,
    deviceId: number,
    fixes: Fix[],
  ): Promise<{ stored: number; stale: number }> {
    if (fixes.length === 0) return { stored: 0, stale: 0 };
    const { rows } = await db.query<{ stored: number; stale: number }>(
      `WITH t AS (SELECT * FROM unnest($2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
                                       $8::float8[], $9::float8[], $10::float8[])
                    AS t(fix_at, lon, lat, speed, bearing, altitude, accuracy, hdop, battery)),
            placed AS (SELECT t.*, s.id AS session_id, s.grid_code, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) AS g
                         FROM t LEFT JOIN LATERAL (
                           SELECT id, grid_code FROM patrol_session
                            WHERE device_id = $1 AND started_at <= t.fix_at ORDER BY started_at DESC LIMIT 1) s ON true),
            ins AS (INSERT INTO patrol_position (session_id, device_id, fix_at, geom, speed_kmh, bearing, altitude_m,
                                                 accuracy_m, hdop, battery_pct, in_order, inside)
                    SELECT p.session_id, $1, p.fix_at, p.g, p.speed, p.bearing, p.altitude, p.accuracy, p.hdop, p.battery,
                           false, (SELECT ST_Covers(geom, p.g) FROM grid WHERE code = p.grid_code)
                      FROM placed p WHERE p.session_id IS NOT NULL
                    ON CONFLICT (device_id, fix_at) DO NOTHING RETURNING 1)
       SELECT (SELECT count(*)::int FROM ins) AS stored,
              (SELECT count(*)::int FROM placed WHERE session_id IS NULL) AS stale`,
      [deviceId, ...fixColumns(fixes)],
    );
    return rows[0]!;
  },

  async updateTotals(db: Queryable, id: number, t: SessionTotals): Promise<void> {
    await db.query(
      `UPDATE patrol_session
          SET last_fix_at = $2, last_geom = ST_SetSRID(ST_MakePoint($3, $4), 4326), last_inside = $5, fixes = $6,
              distance_m = $7, inside_s = $8, left_grid_at = $9, exits = $10
        WHERE id = $1`,
      [id, t.lastFixAt, t.lon, t.lat, t.lastInside, t.fixes, t.distanceM, t.insideS, t.leftGridAt, t.exits],
    );
  },

  /** Ends a session; `at` defaults to its last fix. */
  async end(
    db: Queryable,
    id: number,
    reason: 'idle' | 'ended',
    by: number | null,
    at: Date | null = null,
  ): Promise<void> {
    await db.query(
      `UPDATE patrol_session SET ended_at = greatest(last_fix_at, coalesce($3, last_fix_at)), end_reason = $2,
                                 ended_by = $4
        WHERE id = $1 AND ended_at IS NULL`,
      [id, reason, at, by],
    );
  },

  /** Open sessions whose last fix is older than `before`, locked (a device writing now skips the sweep). */
  async idle(db: Queryable, before: Date): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id::int FROM patrol_session WHERE ended_at IS NULL AND last_fix_at < $1
        ORDER BY id FOR UPDATE SKIP LOCKED`,
      [before],
    );
    return rows.map((r) => r.id);
  },

  /**
   * Every unit grid in `scope` with its village and town grids, the weeks (indexes into `weeks`, each
   * [start, start + 7 days)) in which a session of the grid started and spent at least `minInsideS`
   * inside it, and the hazards reported in it in [from, to).
   */
  async compliance(
    db: Queryable,
    scope: string,
    period: { from: Date; to: Date; weeks: Date[]; minInsideS: number },
  ): Promise<ComplianceRow[]> {
    const { rows } = await db.query<ComplianceRow>(
      `WITH weeks AS (SELECT w.start, (w.i - 1)::int AS i FROM unnest($4::timestamptz[]) WITH ORDINALITY AS w (start, i)),
            patrolled AS (
              SELECT s.grid_code, array_agg(DISTINCT w.i ORDER BY w.i) AS weeks
                FROM patrol_session s
                JOIN weeks w ON s.started_at >= w.start AND s.started_at < w.start + interval '7 days'
               WHERE s.grid_code IS NOT NULL AND s.inside_s >= $5
               GROUP BY s.grid_code),
            reported AS (
              SELECT h.grid_code, count(*)::int AS reports
                FROM hazard h
               WHERE h.grid_code IS NOT NULL AND h.reported_at >= $2 AND h.reported_at < $3
               GROUP BY h.grid_code)
       SELECT u.code, u.name, v.code AS village, v.name AS village_name, t.code AS town, t.name AS town_name,
              coalesce(p.weeks, '{}') AS weeks, coalesce(r.reports, 0) AS reports
         FROM grid u
         JOIN grid v ON v.code = u.parent_code
         JOIN grid t ON t.code = v.parent_code
         LEFT JOIN patrolled p ON p.grid_code = u.code
         LEFT JOIN reported r ON r.grid_code = u.code
        WHERE u.level = 'unit' AND u.admin_code LIKE $1 || '%'
        ORDER BY u.code`,
      [scope, period.from, period.to, period.weeks, period.minInsideS],
    );
    return rows;
  },

  /** Sessions in `scope`, newest fix first. */
  async list(
    db: Queryable,
    scope: string,
    state: 'active' | 'ended' | 'all',
    limit: number,
    offset: number,
  ): Promise<{ rows: SessionRow[]; total: number }> {
    const where = `s.area_code LIKE $1 || '%' AND
      ($2 = 'all' OR ($2 = 'active') = (s.ended_at IS NULL))`;
    const { rows } = await db.query<SessionRow>(
      `SELECT ${SESSION} FROM ${FROM} WHERE ${where} ORDER BY s.last_fix_at DESC, s.id DESC LIMIT $3 OFFSET $4`,
      [scope, state, limit, offset],
    );
    const count = await db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM patrol_session s WHERE ${where}`,
      [scope, state],
    );
    return { rows, total: count.rows[0]!.total };
  },

  /** Open sessions in an area (division or grid code), each with its newest in-order fixes. */
  async openInArea(db: Queryable, area: string, trailPoints: number): Promise<Array<SessionRow & TrailRow>> {
    const { rows } = await db.query<SessionRow & TrailRow>(
      `SELECT ${SESSION}, coalesce(t.trail, '[]'::json) AS trail
         FROM ${FROM}
         LEFT JOIN LATERAL (
           SELECT json_agg(json_build_object('lon', ST_X(geom), 'lat', ST_Y(geom),
                           'fixAt', to_char(fix_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY fix_at) AS trail
             FROM (SELECT geom, fix_at FROM patrol_position
                    WHERE session_id = s.id AND in_order ORDER BY fix_at DESC LIMIT $2) newest) t ON true
        WHERE s.ended_at IS NULL AND ${IN_AREA}
        ORDER BY s.id`,
      [area, trailPoints],
    );
    return rows;
  },
};
