import type {
  StationStatus,
  StationTier,
  WaterSourceKind,
  WaterSourceStatus,
} from '../../../../shared/src/domain.ts';
import type { Queryable } from '../../db/transaction.ts';

export interface ForceRow {
  code: string;
  name: string;
  tier: StationTier;
  status: StationStatus;
  lon: number;
  lat: number;
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

export const dispatchRepository = {
  /** The village a point lies in (the nearest village just outside the district's edge). */
  async villageAt(db: Queryable, lon: number, lat: number): Promise<string | null> {
    const { rows } = await db.query<{ village: string | null }>(
      `SELECT village_code_at(${POINT}) AS village`,
      [lon, lat],
    );
    return rows[0]?.village ?? null;
  },

  /** Fire forces in `scope` (all statuses), of the given tiers when set. */
  async forces(db: Queryable, scope: string, tiers: readonly StationTier[] | undefined): Promise<ForceRow[]> {
    const { rows } = await db.query<ForceRow>(
      `SELECT code, name, tier, status, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM fire_station
        WHERE village_code LIKE $1 || '%' AND ($2::text[] IS NULL OR tier = ANY ($2::text[]))
        ORDER BY code`,
      [scope, tiers ?? null],
    );
    return rows;
  },

  /**
   * Water at the scene in `scope`: every hydrant within `radiusM` (any status, nearest first), and the
   * nearest in-service fire pool or natural intake. The hydrants are cut by a bounding box first and the
   * open water by planar nearest neighbours (both on the geometry index), then measured on the spheroid.
   */
  async waterAtScene(
    db: Queryable,
    lon: number,
    lat: number,
    scope: string,
    radiusM: number,
  ): Promise<WaterRow[]> {
    // degrees covering radiusM, with a margin (the box only narrows the search; the test is geodesic)
    const dLat = (radiusM / 110_574) * 1.05;
    const dLon = (radiusM / (111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)))) * 1.05;
    const columns = `code, name, kind, flow_lps, pressure_mpa, status, ST_X(geom) AS lon, ST_Y(geom) AS lat,
                     ST_Distance(geom::geography, ${POINT}::geography) AS straight_m`;
    const { rows } = await db.query<WaterRow>(
      `(SELECT ${columns} FROM water_source
         WHERE kind = 'hydrant' AND village_code LIKE $3 || '%'
           AND geom && ST_MakeEnvelope($1 - $5, $2 - $6, $1 + $5, $2 + $6, 4326)
           AND ST_DWithin(geom::geography, ${POINT}::geography, $4)
         ORDER BY straight_m, code)
       UNION ALL
       (SELECT * FROM (
          SELECT ${columns} FROM water_source
           WHERE kind IN ('fire_pool', 'natural_intake') AND status = 'in_service' AND village_code LIKE $3 || '%'
           ORDER BY geom <-> ${POINT} LIMIT 4) near
         ORDER BY straight_m, code LIMIT 1)`,
      [lon, lat, scope, radiusM, dLon, dLat],
    );
    return rows;
  },
};
