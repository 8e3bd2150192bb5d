import type { StationStatus, StationTier } from '../../../../shared/src/domain.ts';
import type { Queryable } from '../../db/transaction.ts';

export interface UnitGridRow {
  code: string;
  village: string;
  population: number;
  area_km2: number;
}

export interface ForceStateRow {
  code: string;
  name: string;
  tier: StationTier;
  status: StationStatus;
  lon: number;
  lat: number;
}

export interface PointRow {
  code: string;
  lon: number;
  lat: number;
}

export const coverageRepository = {
  /** Unit grids with their population and area (km² on the spheroid). */
  async unitGrids(db: Queryable): Promise<UnitGridRow[]> {
    const { rows } = await db.query<UnitGridRow>(
      `SELECT code, admin_code AS village, population, ST_Area(geom::geography) / 1e6 AS area_km2
         FROM grid WHERE level = 'unit' ORDER BY code`,
    );
    return rows;
  },

  /** Which unit grid each road node lies in (nodes outside every unit grid are left out). */
  async nodeGrids(db: Queryable): Promise<{ node: string; grid: string }[]> {
    const { rows } = await db.query<{ node: string; grid: string }>(
      `SELECT DISTINCT ON (n.id) n.id AS node, g.code AS grid
         FROM road_node n JOIN grid g ON g.level = 'unit' AND ST_Intersects(g.geom, n.geom)
        ORDER BY n.id, g.code`,
    );
    return rows;
  },

  /** Every fire force with its status now. */
  async forces(db: Queryable): Promise<ForceStateRow[]> {
    const { rows } = await db.query<ForceStateRow>(
      `SELECT code, name, tier, status, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM fire_station ORDER BY code`,
    );
    return rows;
  },

  /** Enterprises of the red and orange (high) risk colours, with the village they lie in. */
  async highRiskEnterprises(db: Queryable): Promise<(PointRow & { village: string })[]> {
    const { rows } = await db.query<PointRow & { village: string }>(
      `SELECT code, ST_X(geom) AS lon, ST_Y(geom) AS lat, village_code AS village
         FROM enterprise WHERE risk IN ('red', 'orange') ORDER BY code`,
    );
    return rows;
  },
};
