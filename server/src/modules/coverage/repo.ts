import type {
  RiskColour,
  StationStatus,
  StationTier,
  WaterSourceStatus,
} from '../../../../shared/src/domain.ts';
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

export interface GridShapeRow {
  code: string;
  name: string;
  level: 'town' | 'village' | 'unit';
  parent_code: string | null;
  admin_code: string;
  population: number;
  households: number;
  /** GeoJSON MultiPolygon (unit grids only) */
  geojson: string | null;
}

export interface HydrantRow {
  code: string;
  status: WaterSourceStatus;
  flow_lps: number;
  pressure_mpa: number | null;
  lon: number;
  lat: number;
  village_code: string;
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

  /** The county (the district the product serves) as GeoJSON MultiPolygon coordinates. */
  async county(db: Queryable): Promise<{ code: string; name: string; geojson: string } | undefined> {
    const { rows } = await db.query<{ code: string; name: string; geojson: string }>(
      `SELECT code, name, ST_AsGeoJSON(geom, 6) AS geojson FROM admin_area WHERE level = 'county' ORDER BY code LIMIT 1`,
    );
    return rows[0];
  },

  /** Every grid (town, village and unit) with its figures; unit grids with their shape as GeoJSON. */
  async grids(db: Queryable): Promise<GridShapeRow[]> {
    const { rows } = await db.query<GridShapeRow>(
      `SELECT code, name, level, parent_code, admin_code, population, households,
              CASE WHEN level = 'unit' THEN ST_AsGeoJSON(geom, 6) END AS geojson
         FROM grid ORDER BY code`,
    );
    return rows;
  },

  /** Every enterprise with its risk colour. */
  async enterprises(db: Queryable): Promise<(PointRow & { risk: RiskColour })[]> {
    const { rows } = await db.query<PointRow & { risk: RiskColour }>(
      `SELECT code, risk, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM enterprise ORDER BY code`,
    );
    return rows;
  },

  /** Hazard cases not yet closed. */
  async openHazards(db: Queryable): Promise<(PointRow & { village: string; department: string | null })[]> {
    const { rows } = await db.query<PointRow & { village: string; department: string | null }>(
      `SELECT id::text AS code, ST_X(geom) AS lon, ST_Y(geom) AS lat, village_code AS village, department
         FROM hazard WHERE state <> 'closed' ORDER BY id`,
    );
    return rows;
  },

  /** Municipal hydrants with their status and figures. */
  async hydrants(db: Queryable): Promise<HydrantRow[]> {
    const { rows } = await db.query<HydrantRow>(
      `SELECT code, status, flow_lps, pressure_mpa, ST_X(geom) AS lon, ST_Y(geom) AS lat, village_code
         FROM water_source WHERE kind = 'hydrant' ORDER BY code`,
    );
    return rows;
  },

  /** The village each road lies in (its first vertex's). */
  async roadVillages(db: Queryable): Promise<{ id: string; village: string }[]> {
    const { rows } = await db.query<{ id: string; village: string }>(
      `SELECT id::text, village_code AS village FROM road WHERE village_code IS NOT NULL`,
    );
    return rows;
  },

  /** A division (county, town or village) with its boundary as GeoJSON. */
  async area(db: Queryable, code: string): Promise<{ name: string; geojson: string } | undefined> {
    const { rows } = await db.query<{ name: string; geojson: string }>(
      `SELECT name, ST_AsGeoJSON(geom, 5) AS geojson FROM admin_area WHERE code = $1`,
      [code],
    );
    return rows[0];
  },
};
