/** OGC API – Features Part 1 (Core) documents, as served at /ogc. */
import { Type, type Static } from 'typebox';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const CONFORMANCE_CLASSES = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
] as const;

export const Link = Type.Object({
  href: Type.String(),
  rel: Type.String(),
  type: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
});
export type Link = Static<typeof Link>;

export const LandingPage = Type.Object({
  title: Type.String(),
  description: Type.String(),
  links: Type.Array(Link),
});

export const Conformance = Type.Object({ conformsTo: Type.Array(Type.String()) });

export const Collection = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  itemType: Type.Literal('feature'),
  crs: Type.Array(Type.String()),
  extent: Type.Object({
    spatial: Type.Object({ bbox: Type.Array(Type.Array(Type.Number())), crs: Type.String() }),
  }),
  links: Type.Array(Link),
});
export type Collection = Static<typeof Collection>;

export const Collections = Type.Object({ links: Type.Array(Link), collections: Type.Array(Collection) });

/** GeoJSON FeatureCollection with the OGC paging members. */
export const FeatureCollectionDoc = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Unknown()),
  numberMatched: Type.Integer(),
  numberReturned: Type.Integer(),
  timeStamp: Type.String(),
  links: Type.Array(Link),
});

export { DEFAULT_ITEMS_LIMIT, MAX_ITEMS_LIMIT } from '../limits.ts';
