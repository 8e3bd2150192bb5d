import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import {
  LEVELLED_TILE_LAYERS,
  TILE_MEDIA_TYPE,
  TileParams,
  TileQuery,
} from '../../../../shared/src/schemas/tiles.ts';
import { badRequest } from '../../errors.ts';
import { requirePrincipal } from '../../plugins/authenticate.ts';
import type { TileService } from './service.ts';

/** Tiles are private (they follow the caller's area) and change rarely. */
const CACHE_CONTROL = 'private, max-age=300';

export async function tileRoutes(app: FastifyInstance, { tiles }: { tiles: TileService }) {
  app.get(
    '/tiles/:layer/:z/:x/:y.mvt',
    {
      schema: {
        tags: ['tiles'],
        summary: 'A Mapbox Vector Tile of a big layer (roads, grids, waterways, administrative areas)',
        description:
          'Cut and encoded in the server (MapLibre geojson-vt and vt-pbf) from the layer’s rows in your area, ' +
          'the same on both backends; one MVT layer named like the URL’s, with the OGC collection’s properties. ' +
          'ETag (SHA-1 of the bytes) and If-None-Match (304); a tile no feature touches is empty (0 bytes). x and y must ' +
          'lie in 0..2^z−1 (400 naming params.x or params.y). `level` (grids only) keeps one grid level.',
        params: TileParams,
        querystring: TileQuery,
        response: {
          200: Type.Unknown({ description: `the tile (${TILE_MEDIA_TYPE}), empty where no feature reaches` }),
          304: Type.Null({ description: 'the tile is the one the ETag names' }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { layer, z, x, y } = request.params as TileParams;
      const { level } = request.query as TileQuery;
      const size = 2 ** z;
      if (x >= size) throw badRequest('params.x', `x must be below ${size} at zoom ${z}`);
      if (y >= size) throw badRequest('params.y', `y must be below ${size} at zoom ${z}`);
      if (level !== undefined && !LEVELLED_TILE_LAYERS.includes(layer))
        throw badRequest('query.level', `the ${layer} layer has no levels`);
      const tile = await tiles.tile(layer, requirePrincipal(request).scope, z, x, y, level);
      reply.header('cache-control', CACHE_CONTROL).header('etag', tile.etag).header('vary', 'authorization');
      if (request.headers['if-none-match'] === tile.etag) return reply.code(304).send();
      // an empty tile is an empty body (a valid MVT with no layer), with the same headers
      return reply.type(TILE_MEDIA_TYPE).send(tile.body);
    },
  );
}
