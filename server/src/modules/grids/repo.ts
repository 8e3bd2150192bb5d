import type { GridLevel } from '../../../../shared/src/domain.ts';
import type { Queryable } from '../../db/transaction.ts';

export interface GridShapeRow {
  code: string;
  name: string;
  level: GridLevel;
  parent_code: string | null;
  area_km2: number;
  geometry: unknown;
}

const COLUMNS = `code, name, level, parent_code, ST_Area(geom::geography) / 1e6 AS area_km2,
  ST_AsGeoJSON(geom, 7)::json AS geometry`;

export const gridRepository = {
  async forUpdate(db: Queryable, code: string, scope: string): Promise<GridShapeRow | undefined> {
    const { rows } = await db.query<GridShapeRow>(
      `SELECT ${COLUMNS} FROM grid WHERE code = $1 AND admin_code LIKE $2 || '%' FOR UPDATE`,
      [code, scope],
    );
    return rows[0];
  },

  /** True when the geometry lies inside the parent grid (1 m tolerance for shared edges). */
  async insideParent(db: Queryable, parentCode: string, geojson: unknown): Promise<boolean> {
    const { rows } = await db.query<{ inside: boolean }>(
      `SELECT ST_CoveredBy(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326), ST_Buffer(geom::geography, 1)::geometry) AS inside
         FROM grid WHERE code = $1`,
      [parentCode, JSON.stringify(geojson)],
    );
    return rows[0]?.inside ?? false;
  },

  async setGeometry(db: Queryable, code: string, geojson: unknown): Promise<GridShapeRow> {
    const { rows } = await db.query<GridShapeRow>(
      `UPDATE grid SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) WHERE code = $1 RETURNING ${COLUMNS}`,
      [code, JSON.stringify(geojson)],
    );
    return rows[0]!;
  },
};
