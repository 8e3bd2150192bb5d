import gcoord, { type CRSTypes } from 'gcoord';
import type { InputCrs, PolygonalInput } from '../../../../shared/src/schemas/geometry-input.ts';
import { badRequest } from '../../errors.ts';

/**
 * CGCS2000 and WGS84 differ by centimetres (DOMAIN.md), far below the data's precision, so CGCS2000 is
 * taken as WGS84; GCJ-02 and BD-09 are converted with gcoord (iterative inverse, about 0.1 m).
 */
const FROM: Record<InputCrs, CRSTypes | null> = {
  wgs84: null,
  cgcs2000: null,
  gcj02: gcoord.GCJ02,
  bd09: gcoord.BD09,
};

/** One position to WGS84, rounded to 1e-7° (about 1 cm). */
export function convertPosition(p: number[], crs: InputCrs): [number, number] {
  const from = FROM[crs];
  const [lon, lat] = from ? gcoord.transform([p[0]!, p[1]!], from, gcoord.WGS84) : [p[0]!, p[1]!];
  return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}

/** Checks ring closure (GeoJSON requires first = last) and converts every position to WGS84. */
export function polygonalToWgs84(
  geometry: PolygonalInput,
  crs: InputCrs,
  field = 'body.geometry',
): PolygonalInput {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  polygons.forEach((rings, i) =>
    rings.forEach((ring, j) => {
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) {
        const where = geometry.type === 'Polygon' ? `ring ${j}` : `polygon ${i} ring ${j}`;
        throw badRequest(field, `${where} is not closed: its first and last positions differ`);
      }
    }),
  );
  const convert = (rings: number[][][]) => rings.map((ring) => ring.map((p) => convertPosition(p, crs)));
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: convert(geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(convert) };
}
