import type { RiskColour, SafetyCategory } from '../../../../shared/src/domain.ts';
import type { InspectionBody, ResponsibilityBoardBody } from '../../../../shared/src/schemas/enterprises.ts';
import type { Queryable } from '../../db/transaction.ts';

export interface EnterpriseRow {
  code: string;
  name: string;
  category: SafetyCategory;
  risk: RiskColour;
  grid_code: string | null;
  village_code: string | null;
  employees: number;
  address: string | null;
  lon: number;
  lat: number;
  last_inspected_at: Date | null;
  inspection_due: Date;
  board_checked_at: Date | null;
}

export interface BoardRow {
  first_responsible: string;
  first_responsible_phone: string;
  actual_controller: string;
  safety_manager: string;
  safety_manager_phone: string;
  town_supervisor: string;
  village_supervisor: string;
  supervisor_phone: string;
  posted_at: Date;
  checked_at: Date;
}

export interface InspectionRow {
  id: string;
  inspected_at: Date;
  inspector: string;
  result: 'passed' | 'hazards_found';
  findings: string | null;
  hazards_found: number;
}

/** Days between routine inspections by risk colour, and between board checks. */
export interface Cadence {
  inspectionDays: Record<RiskColour, number>;
  boardDays: number;
}

export interface EnterpriseFilter {
  risk: RiskColour | null;
  category: SafetyCategory | null;
  inspectionOverdue: boolean;
  boardOverdue: boolean;
  q: string | null;
  limit: number;
  offset: number;
}

export interface ImportRow {
  code: string;
  name: string;
  category: SafetyCategory;
  risk: RiskColour;
  lon: number;
  lat: number;
  employees: number;
  address: string | null;
  board: ResponsibilityBoardBody | null;
}

/** `$1` cadence (jsonb risk → days), `$2` board days. */
const SUMMARY = `e.code, e.name, e.category, e.risk, e.grid_code, e.village_code, e.employees, e.address,
  ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat, li.last AS last_inspected_at,
  coalesce(li.last, e.registered_at) + make_interval(days => ($1::jsonb ->> e.risk)::int) AS inspection_due,
  b.checked_at AS board_checked_at`;
const FROM = `enterprise e
  LEFT JOIN LATERAL (SELECT max(inspected_at) AS last FROM enterprise_inspection i WHERE i.enterprise_code = e.code) li ON true
  LEFT JOIN responsibility_board b ON b.enterprise_code = e.code`;
const BOARD_OVERDUE = `(b.checked_at IS NULL OR b.checked_at + make_interval(days => $2::int) < now())`;

const cadenceArgs = (c: Cadence) => [JSON.stringify(c.inspectionDays), c.boardDays];

export const enterpriseRepository = {
  async list(
    db: Queryable,
    scope: string,
    f: EnterpriseFilter,
    cadence: Cadence,
  ): Promise<{ rows: EnterpriseRow[]; total: number }> {
    const where = `coalesce(e.village_code, '') LIKE $3 || '%'
      AND ($4::text IS NULL OR e.risk = $4) AND ($5::text IS NULL OR e.category = $5)
      AND (NOT $6::boolean OR coalesce(li.last, e.registered_at) + make_interval(days => ($1::jsonb ->> e.risk)::int) < now())
      AND (NOT $7::boolean OR ${BOARD_OVERDUE})
      AND ($8::text IS NULL OR strpos(e.name, $8) > 0)`;
    const args = [
      ...cadenceArgs(cadence),
      scope,
      f.risk,
      f.category,
      f.inspectionOverdue,
      f.boardOverdue,
      f.q,
    ];
    const { rows } = await db.query<EnterpriseRow>(
      `SELECT ${SUMMARY} FROM ${FROM} WHERE ${where}
        ORDER BY array_position(ARRAY['red', 'orange', 'yellow', 'blue'], e.risk), e.code LIMIT $9 OFFSET $10`,
      [...args, f.limit, f.offset],
    );
    const count = await db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM ${FROM} WHERE ${where}`,
      args,
    );
    return { rows, total: count.rows[0]!.total };
  },

  async detail(
    db: Queryable,
    code: string,
    scope: string,
    cadence: Cadence,
    forUpdate = false,
  ): Promise<EnterpriseRow | undefined> {
    const { rows } = await db.query<EnterpriseRow>(
      `SELECT ${SUMMARY} FROM ${FROM} WHERE e.code = $3 AND coalesce(e.village_code, '') LIKE $4 || '%' AND $2::int > 0
        ${forUpdate ? 'FOR UPDATE OF e' : ''}`,
      [...cadenceArgs(cadence), code, scope],
    );
    return rows[0];
  },

  async board(db: Queryable, code: string): Promise<BoardRow | undefined> {
    const { rows } = await db.query<BoardRow>(
      `SELECT first_responsible, first_responsible_phone, actual_controller, safety_manager, safety_manager_phone,
              town_supervisor, village_supervisor, supervisor_phone, posted_at, checked_at
         FROM responsibility_board WHERE enterprise_code = $1`,
      [code],
    );
    return rows[0];
  },

  async inspections(db: Queryable, code: string): Promise<InspectionRow[]> {
    const { rows } = await db.query<InspectionRow>(
      `SELECT i.id, i.inspected_at, u.display_name AS inspector, i.result, i.findings, i.hazards_found
         FROM enterprise_inspection i JOIN app_user u ON u.id = i.inspector_id
        WHERE i.enterprise_code = $1 ORDER BY i.inspected_at DESC, i.id DESC LIMIT 50`,
      [code],
    );
    return rows;
  },

  /** Posts (or re-posts) the board: posting counts as its check. True when the board is new. */
  async upsertBoard(db: Queryable, code: string, b: ResponsibilityBoardBody): Promise<boolean> {
    const { rows } = await db.query<{ created: boolean }>(
      `INSERT INTO responsibility_board (enterprise_code, first_responsible, first_responsible_phone, actual_controller,
                                         safety_manager, safety_manager_phone, town_supervisor, village_supervisor,
                                         supervisor_phone)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (enterprise_code) DO UPDATE SET
         first_responsible = EXCLUDED.first_responsible, first_responsible_phone = EXCLUDED.first_responsible_phone,
         actual_controller = EXCLUDED.actual_controller, safety_manager = EXCLUDED.safety_manager,
         safety_manager_phone = EXCLUDED.safety_manager_phone, town_supervisor = EXCLUDED.town_supervisor,
         village_supervisor = EXCLUDED.village_supervisor, supervisor_phone = EXCLUDED.supervisor_phone,
         posted_at = now(), checked_at = now(), updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [
        code,
        b.firstResponsible.trim(),
        b.firstResponsiblePhone,
        b.actualController.trim(),
        b.safetyManager.trim(),
        b.safetyManagerPhone,
        b.townSupervisor.trim(),
        b.villageSupervisor.trim(),
        b.supervisorPhone,
      ],
    );
    return rows[0]!.created;
  },

  /** Records the half-yearly check of an existing board; false when the enterprise has none. */
  async checkBoard(db: Queryable, code: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE responsibility_board SET checked_at = now(), updated_at = now() WHERE enterprise_code = $1`,
      [code],
    );
    return rowCount === 1;
  },

  async insertInspection(
    db: Queryable,
    code: string,
    inspectorId: number,
    body: InspectionBody,
  ): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO enterprise_inspection (enterprise_code, inspector_id, inspected_at, result, findings, hazards_found)
       VALUES ($1, $2, coalesce($3::timestamptz, now()), $4, $5, $6) RETURNING id`,
      [
        code,
        inspectorId,
        body.inspectedAt ?? null,
        body.result,
        body.findings?.trim() ?? null,
        body.hazardsFound ?? 0,
      ],
    );
    return rows[0]!.id;
  },

  /** Where each point lies (village code, or null outside every village), and which codes exist and where. */
  async placeRows(
    db: Queryable,
    points: [number, number][],
    codes: string[],
  ): Promise<{ villages: (string | null)[]; existing: Map<string, string | null> }> {
    const places = await db.query<{ village: string | null }>(
      `SELECT (SELECT a.code FROM admin_area a
                WHERE a.level = 'village' AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
                ORDER BY a.code LIMIT 1) AS village
         FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, n) ORDER BY p.n`,
      [points.map((p) => p[0]), points.map((p) => p[1])],
    );
    const existing = await db.query<{ code: string; village_code: string | null }>(
      `SELECT code, village_code FROM enterprise WHERE code = ANY($1::text[])`,
      [codes],
    );
    return {
      villages: places.rows.map((r) => r.village),
      existing: new Map(existing.rows.map((r) => [r.code, r.village_code])),
    };
  },

  /** Inserts or updates an enterprise from an import row; its unit grid is the one that covers the point. */
  async upsert(db: Queryable, r: ImportRow): Promise<'created' | 'updated'> {
    const { rows } = await db.query<{ created: boolean }>(
      `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($5, $6), 4326) AS g)
       INSERT INTO enterprise (code, name, category, risk, geom, employees, address, synthetic, grid_code)
       SELECT $1, $2, $3, $4, p.g, $7, $8, false,
              (SELECT code FROM grid WHERE level = 'unit' AND ST_Covers(geom, p.g) ORDER BY code LIMIT 1)
         FROM p
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category, risk = EXCLUDED.risk,
         geom = EXCLUDED.geom, employees = EXCLUDED.employees, address = EXCLUDED.address, synthetic = false,
         grid_code = EXCLUDED.grid_code, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [r.code, r.name, r.category, r.risk, r.lon, r.lat, r.employees, r.address],
    );
    return rows[0]!.created ? 'created' : 'updated';
  },

  /** Everything the CSV export writes, for the caller's area. */
  async exportRows(db: Queryable, scope: string): Promise<(EnterpriseRow & Partial<BoardRow>)[]> {
    const { rows } = await db.query<EnterpriseRow & Partial<BoardRow>>(
      `SELECT e.code, e.name, e.category, e.risk, ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat, e.employees, e.address,
              b.first_responsible, b.first_responsible_phone, b.actual_controller, b.safety_manager,
              b.safety_manager_phone, b.town_supervisor, b.village_supervisor, b.supervisor_phone
         FROM enterprise e LEFT JOIN responsibility_board b ON b.enterprise_code = e.code
        WHERE coalesce(e.village_code, '') LIKE $1 || '%' ORDER BY e.code`,
      [scope],
    );
    return rows;
  },
};
