import type pg from 'pg';
import type { DistrictResponse } from '../../../../shared/src/schemas/district.ts';

export function createDistrictRepository(pool: pg.Pool) {
  return {
    /** The county-level area (one per database in the demo; the first by code otherwise). */
    async county(): Promise<DistrictResponse | undefined> {
      const { rows } = await pool.query<{
        code: string;
        name: string;
        x0: number;
        y0: number;
        x1: number;
        y1: number;
      }>(`
        SELECT code, name, ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1
          FROM admin_area WHERE level = 'county' ORDER BY code LIMIT 1`);
      const r = rows[0];
      return r && { code: r.code, name: r.name, bbox: [r.x0, r.y0, r.x1, r.y1] };
    },
  };
}
export type DistrictRepository = ReturnType<typeof createDistrictRepository>;
