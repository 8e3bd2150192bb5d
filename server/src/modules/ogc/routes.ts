import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import {
  Collection,
  Collections,
  Conformance,
  CRS84,
  DEFAULT_ITEMS_LIMIT,
  FeatureCollectionDoc,
  LandingPage,
  MAX_ITEMS_LIMIT,
} from '../../../../shared/src/schemas/ogc.ts';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { COLLECTIONS, findCollection, type CollectionDefinition } from './collections.ts';
import { notFound } from '../../errors.ts';
import { requirePrincipal } from '../../plugins/authenticate.ts';
import type { OgcService } from './service.ts';

const GEOJSON = 'application/geo+json';
const tags = ['OGC API – Features'];

/** `f` as OGC clients (GDAL, QGIS) send it; only JSON encodings are served. */
const Format = Type.Optional(Type.Enum(['json', 'geojson'], { description: 'encoding (JSON only)' }));

function itemsQuerySchema(def: CollectionDefinition) {
  const filters: Record<string, TSchema> = {};
  for (const f of def.filters) {
    filters[f.param] = Type.Optional(
      Type.String({ description: `${f.description}; comma-separated list of ${f.values.join(', ')}` }),
    );
  }
  return Type.Object(
    {
      limit: Type.Integer({ minimum: 1, maximum: MAX_ITEMS_LIMIT, default: DEFAULT_ITEMS_LIMIT }),
      offset: Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        default: 0,
        description: 'paging offset (follow the `next` link)',
      }),
      bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat in CRS84' })),
      'bbox-crs': Type.Optional(Type.Literal(CRS84)),
      crs: Type.Optional(Type.Literal(CRS84)),
      datetime: Type.Optional(
        Type.String({ description: 'accepted; the collections have no temporal extent' }),
      ),
      skipGeometry: Type.Optional(
        Type.Boolean({
          default: false,
          description:
            'true: features with `geometry: null` (names and figures only; as pygeoapi and ldproxy)',
        }),
      ),
      f: Format,
      ...filters,
    },
    { additionalProperties: false },
  );
}

type ItemsQuery = { limit: number; offset: number; bbox?: string; skipGeometry?: boolean } & Record<
  string,
  string | number | boolean | undefined
>;

function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/ogc`;
}

function rawQuery(request: FastifyRequest): URLSearchParams {
  const i = request.url.indexOf('?');
  return new URLSearchParams(i >= 0 ? request.url.slice(i + 1) : '');
}

export async function ogcRoutes(app: FastifyInstance, { ogc }: { ogc: OgcService }) {
  const formatOnly = Type.Object({ f: Format }, { additionalProperties: false });

  app.get(
    '/ogc',
    { schema: { tags, summary: 'Landing page', querystring: formatOnly, response: { 200: LandingPage } } },
    async (request) => ogc.landing(baseUrl(request)),
  );
  app.get(
    '/ogc/conformance',
    {
      schema: {
        tags,
        summary: 'Conformance classes',
        querystring: formatOnly,
        response: { 200: Conformance },
      },
    },
    async () => ogc.conformance(),
  );
  app.get(
    '/ogc/collections',
    {
      schema: {
        tags,
        summary: 'Feature collections',
        querystring: formatOnly,
        response: { 200: Collections },
      },
    },
    async (request) => ogc.collections(baseUrl(request), requirePrincipal(request).scope),
  );

  for (const def of COLLECTIONS) {
    const path = `/ogc/collections/${def.id}`;
    app.get(
      path,
      {
        schema: {
          tags,
          summary: `${def.title}: collection`,
          querystring: formatOnly,
          response: { 200: Collection },
        },
      },
      async (request) => ogc.collection(def.id, baseUrl(request), requirePrincipal(request).scope),
    );
    app.get(
      `${path}/items`,
      {
        schema: {
          tags,
          summary: `${def.title}: features`,
          description: def.description,
          querystring: itemsQuerySchema(def),
          response: {
            200: { ...FeatureCollectionDoc, description: 'GeoJSON FeatureCollection' },
            400: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const query = request.query as ItemsQuery;
        const filters: Record<string, string | undefined> = {};
        for (const f of def.filters) filters[f.param] = query[f.param] as string | undefined;
        const body = await ogc.items(
          def.id,
          {
            scope: requirePrincipal(request).scope,
            limit: query.limit,
            offset: query.offset,
            bbox: query.bbox,
            filters,
            skipGeometry: query.skipGeometry,
          },
          baseUrl(request),
          rawQuery(request),
        );
        return reply.type(GEOJSON).header('Content-Crs', `<${CRS84}>`).send(body);
      },
    );
    app.get(
      `${path}/items/:featureId`,
      {
        schema: {
          tags,
          summary: `${def.title}: one feature`,
          params: Type.Object({ featureId: Type.String({ minLength: 1, maxLength: 64 }) }),
          querystring: formatOnly,
          response: { 404: ErrorResponse },
        },
      },
      async (request, reply) => {
        const { featureId } = request.params as { featureId: string };
        const body = await ogc.item(def.id, featureId, baseUrl(request), requirePrincipal(request).scope);
        return reply.type(GEOJSON).header('Content-Crs', `<${CRS84}>`).send(body);
      },
    );
  }

  // Unknown collection ids answer 404 like a missing feature.
  app.get(
    '/ogc/collections/:collectionId',
    { schema: { hide: true, params: Type.Object({ collectionId: Type.String() }) } },
    async (request) =>
      ogc.collection(
        (request.params as { collectionId: string }).collectionId,
        baseUrl(request),
        requirePrincipal(request).scope,
      ),
  );
  // Below a collection only /items and /items/{featureId} exist: anything else is not found either.
  app.get(
    '/ogc/collections/:collectionId/*',
    { schema: { hide: true, params: Type.Object({ collectionId: Type.String(), '*': Type.String() }) } },
    async (request) => {
      const { collectionId } = request.params as { collectionId: string };
      if (!findCollection(collectionId))
        throw notFound(`collection ${collectionId} does not exist`, 'params.collectionId');
      throw notFound(`${request.url.split('?')[0]} not found`, 'url');
    },
  );
}
