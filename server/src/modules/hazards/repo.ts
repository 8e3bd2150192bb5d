import type { Department } from '../../../../shared/src/auth.ts';
import type { SafetyCategory } from '../../../../shared/src/domain.ts';
import type { HazardAction, HazardLevel } from '../../../../shared/src/hazard-workflow.ts';
import type { InputCrs } from '../../../../shared/src/schemas/geometry-input.ts';
import type { HazardPhotoType, HazardStatsBy } from '../../../../shared/src/schemas/hazards.ts';
import type { HazardSeverity, HazardState } from '../../../../shared/src/schemas/live.ts';
import type { Queryable } from '../../db/transaction.ts';
import type { CheckedPhoto } from './photos.ts';

/** Where a point lies: its unit grid (单元网格) and village, or nothing outside the district's villages. */
export interface PlaceRow {
  village_code: string | null;
  grid_code: string | null;
}

export interface HazardRow {
  id: string;
  category: SafetyCategory;
  state: HazardState;
  severity: HazardSeverity | null;
  lon: number;
  lat: number;
  description: string;
  reported_at: Date;
  reporter: string;
  photos: number;
  deadline: Date | null;
  yellow_at: Date | null;
  level: HazardLevel;
  department: Department | null;
  supervised_at: Date | null;
  version: number;
  village_code: string;
  grid_code: string | null;
}

export interface HazardDetailRow extends HazardRow {
  village_name: string;
  grid_name: string | null;
  location_crs: InputCrs;
  responsible: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
}

/** Who may see a hazard: an area (division code prefix), and for department handlers their department. */
export interface HazardScope {
  area: string;
  department: Department | null;
}

export interface StepRow {
  n: number;
  action: 'report' | HazardAction;
  from_state: HazardState | null;
  to_state: HazardState;
  from_level: HazardLevel | null;
  to_level: HazardLevel;
  department: Department | null;
  actor: string;
  actor_role: string;
  note: string | null;
  deadline: Date | null;
  data: Record<string, unknown>;
  at: Date;
}

export interface NewStep {
  action: 'report' | HazardAction;
  fromState: HazardState | null;
  toState: HazardState;
  fromLevel: HazardLevel | null;
  toLevel: HazardLevel;
  department: Department | null;
  actorId: number;
  actorRole: string;
  note: string | null;
  deadline: Date | null;
  data: Record<string, unknown>;
}

/** The columns a step may change, all written at once (the version is incremented by the update). */
export interface HazardChange {
  category: SafetyCategory;
  state: HazardState;
  severity: HazardSeverity | null;
  level: HazardLevel;
  department: Department | null;
  responsible: string | null;
  assigneeId: number | null;
  deadline: Date | null;
  yellowAt: Date | null;
  supervisedAt: Date | null;
}

export interface StatsRow {
  key: string;
  name: string | null;
  found: number;
  rectified: number;
  overdue: number;
  closed_late: number;
  avg_close_h: number | null;
}

export interface ListFilter {
  bbox: [number, number, number, number] | undefined;
  state: HazardState | undefined;
  level: HazardLevel | undefined;
  overdue: boolean;
  limit: number;
  offset: number;
}

export interface PhotoRow {
  n: number;
  step_n: number;
  mime: HazardPhotoType;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  exif_lon: number | null;
  exif_lat: number | null;
  exif_taken_at: Date | null;
}

export interface NewHazard {
  category: SafetyCategory;
  description: string;
  lon: number;
  lat: number;
  crs: InputCrs;
  villageCode: string;
  gridCode: string | null;
  reporterId: number;
  reporterDeviceId: number | null;
}

const SUMMARY = `h.id, h.category, h.state, h.severity, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat, h.description,
  h.reported_at, u.display_name AS reporter,
  (SELECT count(*)::int FROM hazard_photo p WHERE p.hazard_id = h.id) AS photos,
  h.deadline, h.yellow_at, h.level, h.department, h.supervised_at, h.version, h.village_code, h.grid_code`;

export const OPEN = `h.state <> 'closed'`;

/** `$n` is the area prefix, `$n+1` the department or NULL. */
export const IN_SCOPE = (n: number) =>
  `h.village_code LIKE $${n} || '%' AND ($${n + 1}::text IS NULL OR h.department = $${n + 1})`;

/** A division code (village_code prefix) or a grid code (`G…`, the unit grid code or, without one, `G` + village). */
const IN_AREA = `CASE WHEN left($1, 1) = 'G' THEN coalesce(h.grid_code, 'G' || h.village_code) LIKE $1 || '%'
                      ELSE h.village_code LIKE $1 || '%' END`;

export const hazardRepository = {
  /**
   * The unit grid containing the point (its village is the grid's), or, where no unit grid covers it,
   * the village polygon containing it.
   */
  async place(db: Queryable, lon: number, lat: number): Promise<PlaceRow> {
    const { rows } = await db.query<PlaceRow>(
      `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g),
            unit AS (SELECT g.code, g.admin_code FROM grid g, p
                      WHERE g.level = 'unit' AND ST_Covers(g.geom, p.g) ORDER BY g.code LIMIT 1)
       SELECT coalesce((SELECT admin_code FROM unit),
                       (SELECT a.code FROM admin_area a, p
                         WHERE a.level = 'village' AND ST_Covers(a.geom, p.g) ORDER BY a.code LIMIT 1)) AS village_code,
              (SELECT code FROM unit) AS grid_code`,
      [lon, lat],
    );
    return rows[0]!;
  },

  async insert(db: Queryable, h: NewHazard): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO hazard (category, description, geom, location_crs, village_code, grid_code, reporter_id,
                           reporter_device_id)
       VALUES ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6, $7, $8, $9)
       RETURNING id`,
      [
        h.category,
        h.description,
        h.lon,
        h.lat,
        h.crs,
        h.villageCode,
        h.gridCode,
        h.reporterId,
        h.reporterDeviceId,
      ],
    );
    return rows[0]!.id;
  },

  /** Stores a photo of the hazard as its number n, brought by its timeline step stepN. */
  async insertPhoto(
    db: Queryable,
    hazardId: number | string,
    n: number,
    stepN: number,
    p: CheckedPhoto,
  ): Promise<void> {
    await db.query(
      `INSERT INTO hazard_photo (hazard_id, n, step_n, mime, bytes, sha256, width, height, content, thumbnail,
                                 exif_lon, exif_lat, exif_taken_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        hazardId,
        n,
        stepN,
        p.mime,
        p.bytes,
        p.sha256,
        p.width,
        p.height,
        p.content,
        p.thumbnail,
        p.exifLon,
        p.exifLat,
        p.exifTakenAt,
      ],
    );
  },

  /** The hazard if it lies in `scope`; `forUpdate` locks its row until the transaction ends. */
  async detail(
    db: Queryable,
    id: number | string,
    scope: HazardScope,
    forUpdate = false,
  ): Promise<HazardDetailRow | undefined> {
    const { rows } = await db.query<HazardDetailRow>(
      `SELECT ${SUMMARY}, a.name AS village_name, g.name AS grid_name, h.location_crs,
              h.responsible, h.assignee_id, asg.display_name AS assignee_name
         FROM hazard h
         JOIN app_user u ON u.id = h.reporter_id
         JOIN admin_area a ON a.code = h.village_code
         LEFT JOIN grid g ON g.code = h.grid_code
         LEFT JOIN app_user asg ON asg.id = h.assignee_id
        WHERE h.id = $1 AND ${IN_SCOPE(2)}
        ${forUpdate ? 'FOR UPDATE OF h' : ''}`,
      [id, scope.area, scope.department],
    );
    return rows[0];
  },

  /** Writes a step's changes and increments the version. */
  async update(db: Queryable, id: number | string, c: HazardChange): Promise<void> {
    await db.query(
      `UPDATE hazard SET category = $2, state = $3, severity = $4, level = $5, department = $6, responsible = $7,
              assignee_id = $8, deadline = $9, yellow_at = $10, supervised_at = $11,
              closed_at = CASE WHEN $3 = 'closed' THEN now() END, version = version + 1, updated_at = now()
        WHERE id = $1`,
      [
        id,
        c.category,
        c.state,
        c.severity,
        c.level,
        c.department,
        c.responsible,
        c.assigneeId,
        c.deadline,
        c.yellowAt,
        c.supervisedAt,
      ],
    );
  },

  /** Appends a step to the hazard's timeline (the caller holds the hazard's row lock). */
  /** Appends a step to the timeline (the hazard row is locked); answers its number. */
  async insertStep(db: Queryable, id: number | string, s: NewStep): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `INSERT INTO hazard_step (hazard_id, n, action, from_state, to_state, from_level, to_level, department,
                                actor_id, actor_role, note, deadline, data)
       SELECT $1, coalesce(max(n), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
         FROM hazard_step WHERE hazard_id = $1
       RETURNING n`,
      [
        id,
        s.action,
        s.fromState,
        s.toState,
        s.fromLevel,
        s.toLevel,
        s.department,
        s.actorId,
        s.actorRole,
        s.note,
        s.deadline,
        JSON.stringify(s.data),
      ],
    );
    return rows[0]!.n;
  },

  async steps(db: Queryable, id: number | string): Promise<StepRow[]> {
    const { rows } = await db.query<StepRow>(
      `SELECT s.n, s.action, s.from_state, s.to_state, s.from_level, s.to_level, s.department,
              u.display_name AS actor, s.actor_role, s.note, s.deadline, s.data, s.at
         FROM hazard_step s JOIN app_user u ON u.id = s.actor_id
        WHERE s.hazard_id = $1 ORDER BY s.n`,
      [id],
    );
    return rows;
  },

  /** The grid members who may follow up a case in the village (active, scope covering it). */
  async assignees(
    db: Queryable,
    villageCode: string,
  ): Promise<{ id: string; name: string; grid: string | null }[]> {
    const { rows } = await db.query<{ id: string; name: string; grid: string | null }>(
      `SELECT id, display_name AS name, grid_code AS grid FROM app_user
        WHERE role = 'grid_member' AND NOT disabled AND $1 LIKE scope_code || '%'
        ORDER BY display_name, id`,
      [villageCode],
    );
    return rows;
  },

  /** A grid member who may follow a case up: active, and working in the hazard's village. */
  async assignable(db: Queryable, userId: number, villageCode: string): Promise<boolean> {
    const { rows } = await db.query(
      `SELECT 1 FROM app_user WHERE id = $1 AND role = 'grid_member' AND NOT disabled AND $2 LIKE scope_code || '%'`,
      [userId, villageCode],
    );
    return rows.length > 0;
  },

  async photos(db: Queryable, id: number | string): Promise<PhotoRow[]> {
    const { rows } = await db.query<PhotoRow>(
      `SELECT n, step_n, mime, bytes, width, height, sha256, exif_lon, exif_lat, exif_taken_at
         FROM hazard_photo WHERE hazard_id = $1 ORDER BY n`,
      [id],
    );
    return rows;
  },

  /** A photo's bytes (or its thumbnail's) if its hazard lies in `scope`. */
  async photoContent(
    db: Queryable,
    id: number,
    n: number,
    scope: HazardScope,
    which: 'content' | 'thumbnail',
  ): Promise<{ data: Buffer; mime: string; sha256: string } | undefined> {
    const column = which === 'content' ? 'p.content' : 'p.thumbnail';
    const { rows } = await db.query<{ data: Buffer; mime: string; sha256: string }>(
      `SELECT ${column} AS data, p.mime, p.sha256
         FROM hazard_photo p JOIN hazard h ON h.id = p.hazard_id
        WHERE p.hazard_id = $1 AND p.n = $2 AND ${IN_SCOPE(3)}`,
      [id, n, scope.area, scope.department],
    );
    return rows[0];
  },

  /**
   * Hazards in `scope` matching the filter (open ones unless a state is asked for), optionally inside a
   * WGS84 bbox, newest first.
   */
  async list(
    db: Queryable,
    scope: HazardScope,
    f: ListFilter,
  ): Promise<{ rows: HazardRow[]; total: number }> {
    const where = `${IN_SCOPE(1)}
      AND ($3::float8 IS NULL OR h.geom && ST_MakeEnvelope($3, $4, $5, $6, 4326))
      AND (CASE WHEN $7::text IS NULL THEN ${OPEN} ELSE h.state = $7 END)
      AND ($8::text IS NULL OR h.level = $8)
      AND (NOT $9::boolean OR (${OPEN} AND h.deadline < now()))`;
    const args = [
      scope.area,
      scope.department,
      ...(f.bbox ?? [null, null, null, null]),
      f.state ?? null,
      f.level ?? null,
      f.overdue,
    ];
    const { rows } = await db.query<HazardRow>(
      `SELECT ${SUMMARY} FROM hazard h JOIN app_user u ON u.id = h.reporter_id
        WHERE ${where} ORDER BY h.reported_at DESC, h.id DESC LIMIT $10 OFFSET $11`,
      [...args, f.limit, f.offset],
    );
    const count = await db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM hazard h WHERE ${where}`,
      args,
    );
    return { rows, total: count.rows[0]!.total };
  },

  /**
   * The ledger's figures grouped by `by`, over hazards in scope reported in [from, to): found, rectified
   * (closed), overdue (open past the deadline), closed late, mean hours to close. Months are Beijing time.
   */
  async stats(
    db: Queryable,
    scope: HazardScope,
    by: HazardStatsBy,
    period: { from: string | null; to: string | null; category: SafetyCategory | null },
  ): Promise<StatsRow[]> {
    const key = {
      town: `left(h.village_code, 9)`,
      village: `h.village_code`,
      grid: `coalesce(h.grid_code, '')`,
      category: `h.category`,
      severity: `coalesce(h.severity, 'unclassified')`,
      level: `h.level`,
      month: `to_char(h.reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`,
    }[by];
    const name = {
      town: `(SELECT a.name FROM admin_area a WHERE a.code = s.key)`,
      village: `(SELECT a.name FROM admin_area a WHERE a.code = s.key)`,
      grid: `(SELECT g.name FROM grid g WHERE g.code = s.key)`,
      category: 'NULL',
      severity: 'NULL',
      level: 'NULL',
      month: 'NULL',
    }[by];
    const { rows } = await db.query<StatsRow>(
      `WITH s AS (
         SELECT ${key} AS key,
                count(*)::int AS found,
                count(*) FILTER (WHERE h.state = 'closed')::int AS rectified,
                count(*) FILTER (WHERE h.state <> 'closed' AND h.deadline < now())::int AS overdue,
                count(*) FILTER (WHERE h.state = 'closed' AND h.closed_at > h.deadline)::int AS closed_late,
                (avg(extract(epoch FROM h.closed_at - h.reported_at)) FILTER (WHERE h.state = 'closed') / 3600)::float8
                  AS avg_close_h
           FROM hazard h
          WHERE ${IN_SCOPE(1)}
            AND ($3::timestamptz IS NULL OR h.reported_at >= $3)
            AND ($4::timestamptz IS NULL OR h.reported_at < $4)
            AND ($5::text IS NULL OR h.category = $5)
          GROUP BY 1)
       SELECT s.*, ${name} AS name FROM s ORDER BY s.key`,
      [scope.area, scope.department, period.from, period.to, period.category],
    );
    return rows;
  },

  /** Open hazards in an area (division code or grid code), for the live snapshot. */
  async openInArea(db: Queryable, area: string, department: Department | null): Promise<HazardRow[]> {
    const { rows } = await db.query<HazardRow>(
      `SELECT ${SUMMARY} FROM hazard h JOIN app_user u ON u.id = h.reporter_id
        WHERE ${IN_AREA} AND ${OPEN} AND ($2::text IS NULL OR h.department = $2) ORDER BY h.id`,
      [area, department],
    );
    return rows;
  },
};
