/**
 * Geometry as clients send it: GeoJSON with a declared coordinate system. Chinese web maps give GCJ-02
 * (AMap, Tencent) or BD-09 (Baidu); survey data and Tianditu give CGCS2000. The server converts to WGS84.
 */
import { Type, type Static } from 'typebox';

export const INPUT_CRS = ['wgs84', 'gcj02', 'bd09', 'cgcs2000'] as const;
export type InputCrs = (typeof INPUT_CRS)[number];

const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
export const Position = Type.Tuple([Lon, Lat], { description: '[longitude, latitude]' });
const Ring = Type.Array(Position, { minItems: 4, maxItems: 100_000, description: 'closed: first = last' });

export const PointInput = Type.Object(
  { type: Type.Literal('Point'), coordinates: Position },
  { additionalProperties: false },
);
export const PolygonInput = Type.Object(
  { type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export const MultiPolygonInput = Type.Object(
  {
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(Ring, { minItems: 1, maxItems: 1000 }), {
      minItems: 1,
      maxItems: 1000,
    }),
  },
  { additionalProperties: false },
);
export type PolygonalInput = Static<typeof PolygonInput> | Static<typeof MultiPolygonInput>;

export const AreaGeometryBody = Type.Object(
  {
    crs: Type.Enum([...INPUT_CRS], { description: 'coordinate system of the coordinates' }),
    geometry: Type.Union([PolygonInput, MultiPolygonInput]),
  },
  { additionalProperties: false },
);
export type AreaGeometryBody = Static<typeof AreaGeometryBody>;
