import type { Queryable } from '../../db/transaction.ts';

export const geometryRepository = {
  /** PostGIS's verdict on a GeoJSON geometry: `Valid Geometry` or the reason (self-intersection at …). */
  async validityReason(db: Queryable, geojson: unknown): Promise<string> {
    const { rows } = await db.query<{ reason: string }>(
      'SELECT ST_IsValidReason(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)) AS reason',
      [JSON.stringify(geojson)],
    );
    return rows[0]!.reason;
  },
};
