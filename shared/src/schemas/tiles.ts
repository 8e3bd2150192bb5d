/**
 * Mapbox Vector Tiles of the big layers at `/tiles/{layer}/{z}/{x}/{y}.mvt` (issue 9): each tile holds
 * one MVT layer named like the URL's layer, with the OGC collection's properties (primitives; nested
 * values as JSON text) and `id`. The grids layer takes `?level=` (town, village, unit): the wall draws
 * the 969 unit grids from tiles and the coarser levels from GeoJSON.
 */
import { Type, type Static } from 'typebox';
import { GRID_LEVELS, type GridLevel } from '../domain.ts';

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

/** Which layers take which query parameters (`level` narrows the grids to one level). */
export const TileQuery = Type.Object(
  { level: Type.Optional(Type.Enum([...GRID_LEVELS] as GridLevel[])) },
  { additionalProperties: false },
);
export type TileQuery = Static<typeof TileQuery>;
/** The layers a `level` applies to. */
export const LEVELLED_TILE_LAYERS: readonly TileLayer[] = ['grids'];
