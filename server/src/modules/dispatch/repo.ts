import type {
  RescueStationClass,
  StationStatus,
  StationTier,
  WaterSourceKind,
  WaterSourceStatus,
} from '../../../../shared/src/domain.ts';
import type { Queryable } from '../../db/transaction.ts';
import { M_PER_DEG_LAT, mPerDegLon } from '../routing/graph.ts';

export interface ForceRow {
  code: string;
  name: string;
  tier: StationTier;
  status: StationStatus;
  lon: number;
  lat: number;
  village_code: string;
  /** 建标152-2017 class of a rescue station (null for the other tiers) */
  station_class?: RescueStationClass | null;
}

export interface WaterRow {
  code: string;
  name: string | null;
  kind: WaterSourceKind;
  flow_lps: number;
  pressure_mpa: number | null;
  status: WaterSourceStatus;
  lon: number;
  lat: number;
  straight_m: number;
}

const POINT = 'ST_SetSRID(ST_MakePoint($1, $2), 4326)';

export interface ChosenForceRow extends ForceRow {
  /** the open dispatch it is committed to, if any */
  committed_to: string | null;
}

export interface DispatchRow {
  id: string;
  status: 'open' | 'closed';
  lon: number;
  lat: number;
  village_code: string;
  hazard_id: string | null;
  note: string | null;
  created_by: string;
  created_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
  close_reason: string | null;
  version: number;
  forces: {
    id: string;
    name: string;
    tier: StationTier;
    order: number;
    travelTimeS: number;
    distanceM: number;
    route: { type: 'LineString'; coordinates: [number, number][] };
    releasedAt: string | null;
  }[];
}

export interface NewDispatchForce {
  code: string;
  travelTimeS: number;
  distanceM: number;
  /** GeoJSON LineString */
  route: string;
}

/** A dispatch with its forces (routes as GeoJSON), as the API shows it. */
const DISPATCH_SELECT = `
  SELECT d.id, d.status, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat, d.village_code, d.hazard_id, d.note,
         cu.username AS created_by, d.created_at, xu.username AS closed_by, d.closed_at, d.close_reason, d.version,
         (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'id', f.station_code, 'name', s.name, 'tier', s.tier, 'order', f.ord,
                   'travelTimeS', f.travel_time_s, 'distanceM', f.distance_m,
                   'route', ST_AsGeoJSON(f.route, 7)::jsonb,
                   'releasedAt', to_char(f.released_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                 ORDER BY f.ord), '[]'::jsonb)
            FROM dispatch_force f JOIN fire_station s ON s.code = f.station_code
           WHERE f.dispatch_id = d.id) AS forces
    FROM dispatch d
    JOIN app_user cu ON cu.id = d.created_by
    LEFT JOIN app_user xu ON xu.id = d.closed_by`;

export const dispatchRepository = {
  /** The village a point lies in (the nearest village just outside the district's edge). */
  async villageAt(db: Queryable, lon: number, lat: number): Promise<string | null> {
    const { rows } = await db.query<{ village: string | null }>(
      `SELECT village_code_at(${POINT}) AS village`,
      [lon, lat],
    );
    return rows[0]?.village ?? null;
  },

  /** Every fire force (all statuses) with the village it stands in, in code order. */
  async forces(db: Queryable): Promise<ForceRow[]> {
    const { rows } = await db.query<ForceRow>(
      `SELECT code, name, tier, station_class, status, ST_X(geom) AS lon, ST_Y(geom) AS lat, village_code
         FROM fire_station ORDER BY code`,
    );
    return rows;
  },

  /** The chosen forces that lie in `scope`, each with the open dispatch it is committed to. */
  async chosenForces(db: Queryable, codes: readonly string[], scope: string): Promise<ChosenForceRow[]> {
    const { rows } = await db.query<ChosenForceRow>(
      `SELECT s.code, s.name, s.tier, s.status, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, s.village_code,
              (SELECT f.dispatch_id::text FROM dispatch_force f
                WHERE f.station_code = s.code AND f.released_at IS NULL) AS committed_to
         FROM fire_station s WHERE s.code = ANY ($1) AND s.village_code LIKE $2 || '%'`,
      [codes, scope],
    );
    return rows;
  },

  /** Locks the forces' rows in code order (two dispatches over the same forces cannot deadlock), then reads them. */
  async lockForces(db: Queryable, codes: readonly string[]): Promise<ChosenForceRow[]> {
    const { rows } = await db.query<ChosenForceRow>(
      `SELECT s.code, s.name, s.tier, s.status, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, s.village_code,
              (SELECT f.dispatch_id::text FROM dispatch_force f
                WHERE f.station_code = s.code AND f.released_at IS NULL) AS committed_to
         FROM fire_station s WHERE s.code = ANY ($1) ORDER BY s.code FOR UPDATE OF s`,
      [codes],
    );
    return rows;
  },

  /** The village a hazard case lies in, when it exists. */
  async hazardVillage(db: Queryable, id: number): Promise<string | null> {
    const { rows } = await db.query<{ village_code: string }>(
      'SELECT village_code FROM hazard WHERE id = $1',
      [id],
    );
    return rows[0]?.village_code ?? null;
  },

  async insertDispatch(
    db: Queryable,
    d: {
      lon: number;
      lat: number;
      village: string;
      hazardId: number | null;
      note: string | null;
      userId: number;
    },
    forces: readonly NewDispatchForce[],
  ): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO dispatch (geom, village_code, hazard_id, note, created_by)
       VALUES (${POINT}, $3, $4, $5, $6) RETURNING id`,
      [d.lon, d.lat, d.village, d.hazardId, d.note, d.userId],
    );
    const id = rows[0]!.id;
    await db.query(
      `INSERT INTO dispatch_force (dispatch_id, station_code, ord, travel_time_s, distance_m, route)
       SELECT $1, f.code, f.ord - 1, f.t, f.m, ST_SetSRID(ST_GeomFromGeoJSON(f.route), 4326)
         FROM unnest($2::text[], $3::float8[], $4::float8[], $5::text[]) WITH ORDINALITY AS f(code, t, m, route, ord)`,
      [
        id,
        forces.map((f) => f.code),
        forces.map((f) => f.travelTimeS),
        forces.map((f) => f.distanceM),
        forces.map((f) => f.route),
      ],
    );
    return id;
  },

  async dispatchById(db: Queryable, id: number | string): Promise<DispatchRow | undefined> {
    const { rows } = await db.query<DispatchRow>(`${DISPATCH_SELECT} WHERE d.id = $1`, [id]);
    return rows[0];
  },

  /** The dispatch, locked, when it lies in `scope`. */
  async lockDispatch(
    db: Queryable,
    id: number,
    scope: string,
  ): Promise<{ status: 'open' | 'closed'; village_code: string } | undefined> {
    const { rows } = await db.query<{ status: 'open' | 'closed'; village_code: string }>(
      `SELECT status, village_code FROM dispatch WHERE id = $1 AND village_code LIKE $2 || '%' FOR UPDATE`,
      [id, scope],
    );
    return rows[0];
  },

  /** Closes the dispatch and releases its forces; returns the released station codes. */
  async closeDispatch(db: Queryable, id: number, userId: number, reason: string | null): Promise<string[]> {
    await db.query(
      `UPDATE dispatch SET status = 'closed', closed_at = now(), closed_by = $2, close_reason = $3,
              version = version + 1 WHERE id = $1`,
      [id, userId, reason],
    );
    const { rows } = await db.query<{ station_code: string }>(
      `UPDATE dispatch_force SET released_at = now() WHERE dispatch_id = $1 AND released_at IS NULL
       RETURNING station_code`,
      [id],
    );
    return rows.map((r) => r.station_code).sort();
  },

  /** Dispatches whose incident lies in `scope`, newest first. */
  async listDispatches(
    db: Queryable,
    scope: string,
    status: 'open' | 'closed' | 'all',
    limit: number,
  ): Promise<DispatchRow[]> {
    const { rows } = await db.query<DispatchRow>(
      `${DISPATCH_SELECT}
        WHERE d.village_code LIKE $1 || '%' AND ($2 = 'all' OR d.status = $2)
        ORDER BY d.created_at DESC, d.id DESC LIMIT $3`,
      [scope, status, limit],
    );
    return rows;
  },

  /** Open dispatches whose incident lies in a division (the live snapshot's part). */
  async openDispatchesIn(db: Queryable, division: string): Promise<DispatchRow[]> {
    const { rows } = await db.query<DispatchRow>(
      `${DISPATCH_SELECT} WHERE d.status = 'open' AND d.village_code LIKE $1 || '%' ORDER BY d.id`,
      [division],
    );
    return rows;
  },

  /**
   * Everything the dispatcher reads at a point, in one statement (one round trip, one snapshot): the
   * village it lies in; the water (every hydrant within `hydrantM`, any status, nearest first, then the
   * nearest in-service fire pool or natural intake); the nearest enterprise within `enterpriseM` with its
   * board (the check overdue after `boardDays`); and the open hazards within `hazardM`, nearest first (at
   * most 20). Water, enterprise and hazards are limited to `scope`. Each search is cut by a box in degrees
   * on the geometry index (or planar nearest neighbours for open water); the test on the spheroid decides.
   */
  async atScene(
    db: Queryable,
    lon: number,
    lat: number,
    scope: string,
    limits: { hydrantM: number; enterpriseM: number; hazardM: number; boardDays: number; prepared?: boolean },
  ): Promise<SceneRows> {
    // cos φ held at 0.01 or more, so the box stays finite near the poles
    const dLon = (m: number) => (m / Math.max(0.01 * mPerDegLon(0), mPerDegLon(lat))) * 1.05;
    const dLat = (m: number) => (m / M_PER_DEG_LAT) * 1.05;
    const near = (col: string, radius: string, lonBox: string, latBox: string) =>
      `${col} && ST_MakeEnvelope($1 - ${lonBox}, $2 - ${latBox}, $1 + ${lonBox}, $2 + ${latBox}, 4326)
       AND ST_DWithin(${col}::geography, ${POINT}::geography, ${radius})`;
    const water = `code, name, kind, flow_lps, pressure_mpa, status, ST_X(geom) AS lon, ST_Y(geom) AS lat,
                   ST_Distance(geom::geography, ${POINT}::geography) AS straight_m`;
    const { rows } = await db.query<{
      village: string | null;
      water: WaterRow[];
      enterprise: (Omit<SceneEnterpriseRow, 'checked_at'> & { checked_at: string | null }) | null;
      hazards: SceneHazardRow[];
    }>({
      // a named statement is planned once per connection (planning was over half of this read's time)
      name: limits.prepared ? 'dispatch_at_scene' : undefined,
      text: `SELECT village_code_at(${POINT}) AS village,
              (SELECT coalesce(json_agg(w ORDER BY w.kind <> 'hydrant', w.straight_m, w.code), '[]'::json) FROM (
                 (SELECT ${water} FROM water_source
                   WHERE kind = 'hydrant' AND village_code LIKE $3 || '%' AND ${near('geom', '$4', '$5', '$6')})
                 UNION ALL
                 (SELECT * FROM (
                    SELECT ${water} FROM water_source
                     WHERE kind IN ('fire_pool', 'natural_intake') AND status = 'in_service'
                       AND village_code LIKE $3 || '%'
                     ORDER BY geom <-> ${POINT} LIMIT 4) nearby
                   ORDER BY straight_m, code LIMIT 1)) w) AS water,
              (SELECT row_to_json(e) FROM (
                 SELECT e.code, e.name, e.category, e.risk,
                        ST_Distance(e.geom::geography, ${POINT}::geography) AS distance_m,
                        b.first_responsible, b.first_responsible_phone, b.actual_controller, b.safety_manager,
                        b.safety_manager_phone, b.town_supervisor, b.village_supervisor, b.supervisor_phone,
                        b.checked_at, b.checked_at < now() - make_interval(days => $13) AS overdue
                   FROM enterprise e LEFT JOIN responsibility_board b ON b.enterprise_code = e.code
                  WHERE e.village_code LIKE $3 || '%' AND ${near('e.geom', '$7', '$8', '$9')}
                  ORDER BY distance_m, e.code LIMIT 1) e) AS enterprise,
              (SELECT coalesce(json_agg(h ORDER BY h.distance_m, h.id), '[]'::json) FROM (
                 SELECT id, category, severity, state, ST_Distance(geom::geography, ${POINT}::geography) AS distance_m
                   FROM hazard
                  WHERE state <> 'closed' AND village_code LIKE $3 || '%' AND ${near('geom', '$10', '$11', '$12')}
                  ORDER BY distance_m, id LIMIT 20) h) AS hazards`,
      values: [
        lon,
        lat,
        scope,
        limits.hydrantM,
        dLon(limits.hydrantM),
        dLat(limits.hydrantM),
        limits.enterpriseM,
        dLon(limits.enterpriseM),
        dLat(limits.enterpriseM),
        limits.hazardM,
        dLon(limits.hazardM),
        dLat(limits.hazardM),
        limits.boardDays,
      ],
    });
    const row = rows[0]!;
    const e = row.enterprise;
    return {
      village: row.village,
      water: row.water,
      // JSON carries no dates and no 64-bit integers: the board's check time becomes a Date again
      enterprise: e && { ...e, checked_at: e.checked_at === null ? null : new Date(e.checked_at) },
      hazards: row.hazards.map((h) => ({ ...h, id: String(h.id) })),
    };
  },
};

export interface SceneEnterpriseRow {
  code: string;
  name: string;
  category: string;
  risk: 'red' | 'orange' | 'yellow' | 'blue';
  distance_m: number;
  first_responsible: string | null;
  first_responsible_phone: string | null;
  actual_controller: string | null;
  safety_manager: string | null;
  safety_manager_phone: string | null;
  town_supervisor: string | null;
  village_supervisor: string | null;
  supervisor_phone: string | null;
  checked_at: Date | null;
  overdue: boolean | null;
}

export interface SceneRows {
  /** the village the point lies in (the nearest one just outside the district's edge) */
  village: string | null;
  water: WaterRow[];
  enterprise: SceneEnterpriseRow | null;
  hazards: SceneHazardRow[];
}

export interface SceneHazardRow {
  id: string;
  category: string;
  severity: string | null;
  state: string;
  distance_m: number;
}
