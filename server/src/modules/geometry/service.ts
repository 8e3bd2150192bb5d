import type {
  AreaGeometryBody,
  InputCrs,
  PolygonalInput,
} from '../../../../shared/src/schemas/geometry-input.ts';
import type { Queryable } from '../../db/transaction.ts';
import { badRequest } from '../../errors.ts';
import { convertPosition, polygonalToWgs84 } from './convert.ts';
import { geometryRepository as repo } from './repo.ts';

/**
 * Turns an area geometry from a client into valid WGS84: rings closed, converted from its declared CRS,
 * and valid by PostGIS (no self-intersection), or a 400 naming `body.geometry` and the reason.
 */
export async function acceptAreaGeometry(db: Queryable, body: AreaGeometryBody): Promise<PolygonalInput> {
  const geometry = polygonalToWgs84(body.geometry, body.crs);
  const reason = await repo.validityReason(db, geometry);
  if (reason !== 'Valid Geometry') throw badRequest('body.geometry', `invalid geometry: ${reason}`);
  return geometry;
}

/** A point a client sent in `crs` as WGS84 [lon, lat]. */
export function pointToWgs84(lon: number, lat: number, crs: InputCrs): [number, number] {
  return convertPosition([lon, lat], crs);
}
