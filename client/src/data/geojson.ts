import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { CollectionId, CollectionPropertiesMap } from '../../../shared/src/schemas/features.ts';
import type { Link } from '../../../shared/src/schemas/ogc.ts';

/** A feature of one of our OGC collections: `id` is its code (roads: the integer edge id). */
export type OgcFeature<C extends CollectionId> = Feature<Geometry, CollectionPropertiesMap[C]> & {
  id: string | number;
};

/**
 * A feature asked for without its geometry (`skipGeometry=true`): its names and figures, for a layer
 * the map draws from vector tiles.
 */
export type BareOgcFeature<C extends CollectionId> = Omit<OgcFeature<C>, 'geometry'> & { geometry: null };

/** A feature with or without its geometry (a selection may come from either). */
export type AnyOgcFeature<C extends CollectionId> = OgcFeature<C> | BareOgcFeature<C>;

/** An OGC API Features items page (a GeoJSON FeatureCollection with paging metadata). */
export interface OgcItemsPage<C extends CollectionId> extends FeatureCollection<
  Geometry,
  CollectionPropertiesMap[C]
> {
  features: OgcFeature<C>[];
  numberMatched?: number;
  numberReturned?: number;
  links?: Link[];
}

export type { Geometry, Position };
