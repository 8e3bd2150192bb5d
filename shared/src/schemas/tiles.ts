/**
 * Mapbox Vector Tiles of the big layers at `/tiles/{layer}/{z}/{x}/{y}.mvt` (issue 9): each tile holds
 * one MVT layer named like the URL's layer, with the OGC collection's properties (primitives; nested
 * values as JSON text) and `id`.
 */
import { Type, type Static } from 'typebox';

export const TILE_LAYERS = ['roads', 'grids', 'waterways', 'admin-areas'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];
export const TILE_MAX_ZOOM = 22;
export const TILE_MEDIA_TYPE = 'application/vnd.mapbox-vector-tile';

export const TileParams = Type.Object({
  layer: Type.Enum([...TILE_LAYERS]),
  z: Type.Integer({ minimum: 0, maximum: TILE_MAX_ZOOM }),
  x: Type.Integer({ minimum: 0, maximum: 2 ** TILE_MAX_ZOOM - 1 }),
  y: Type.Integer({ minimum: 0, maximum: 2 ** TILE_MAX_ZOOM - 1 }),
});
export type TileParams = Static<typeof TileParams>;
