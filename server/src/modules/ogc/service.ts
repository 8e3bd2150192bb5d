import {
  CONFORMANCE_CLASSES,
  CRS84,
  MAX_ITEMS_LIMIT,
  type Collection,
  type Link,
} from '../../../../shared/src/schemas/ogc.ts';
import { badRequest, notFound } from '../../errors.ts';
import { COLLECTIONS, findCollection, type CollectionDefinition } from './collections.ts';
import type { FeatureRow, OgcRepository } from './repo.ts';

const GEOJSON = 'application/geo+json';
const JSON_TYPE = 'application/json';

export interface ItemsRequest {
  scope: string;
  limit: number;
  offset: number;
  bbox?: string | undefined;
  filters: Record<string, string | undefined>;
  /** features without their geometry (`geometry: null`): names and figures only */
  skipGeometry?: boolean | undefined;
}

/** Parses `minLon,minLat,maxLon,maxLat` (or the 6-value 3D form) in CRS84 and checks its ranges. */
export function parseBbox(raw: string): [number, number, number, number] {
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if ((parts.length !== 4 && parts.length !== 6) || parts.some((n) => !Number.isFinite(n))) {
    throw badRequest(
      'query.bbox',
      'bbox must be 4 (or 6) comma-separated numbers: minLon,minLat,maxLon,maxLat',
    );
  }
  const [x0, y0, x1, y1] =
    parts.length === 4
      ? (parts as [number, number, number, number])
      : [parts[0]!, parts[1]!, parts[3]!, parts[4]!];
  if (x0 < -180 || x1 > 180 || y0 < -90 || y1 > 90)
    throw badRequest('query.bbox', 'bbox is outside longitude/latitude range');
  if (y0 > y1) throw badRequest('query.bbox', 'bbox minLat is greater than maxLat');
  if (x0 > x1) throw badRequest('query.bbox', 'bbox crossing the antimeridian is not supported');
  return [x0, y0, x1, y1];
}

export function featureJson(row: FeatureRow, numericId: boolean): string {
  const id = numericId ? row.id : JSON.stringify(row.id);
  return `{"type":"Feature","id":${id},"geometry":${row.geometry},"properties":${row.props}}`;
}

export function createOgcService(repo: OgcRepository) {
  function collectionDoc(def: CollectionDefinition, base: string, bbox: number[] | null): Collection {
    return {
      id: def.id,
      title: def.title,
      description: def.description,
      itemType: 'feature',
      crs: [CRS84],
      extent: { spatial: { bbox: bbox ? [bbox] : [[-180, -90, 180, 90]], crs: CRS84 } },
      links: [
        { href: `${base}/collections/${def.id}`, rel: 'self', type: JSON_TYPE, title: def.title },
        { href: `${base}/collections/${def.id}/items`, rel: 'items', type: GEOJSON, title: def.title },
      ],
    };
  }

  function requireCollection(id: string): CollectionDefinition {
    const def = findCollection(id);
    if (!def) throw notFound(`collection ${id} does not exist`, 'params.collectionId');
    return def;
  }

  return {
    landing(base: string) {
      return {
        title: 'gridwatch OGC API – Features',
        description:
          'Grids, fire forces, 5-minute circles, water sources, enterprises and roads of the demo county.',
        links: [
          { href: `${base}`, rel: 'self', type: JSON_TYPE, title: 'this document' },
          {
            href: `${base.replace(/\/ogc$/, '')}/docs/json`,
            rel: 'service-desc',
            type: 'application/vnd.oai.openapi+json;version=3.0',
            title: 'OpenAPI definition',
          },
          {
            href: `${base.replace(/\/ogc$/, '')}/docs`,
            rel: 'service-doc',
            type: 'text/html',
            title: 'API documentation',
          },
          { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'conformance classes' },
          { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'collections' },
        ] satisfies Link[],
      };
    },

    conformance() {
      return { conformsTo: [...CONFORMANCE_CLASSES] };
    },

    async collections(base: string, scope: string) {
      const docs = await Promise.all(
        COLLECTIONS.map(async (def) => collectionDoc(def, base, await repo.extent(def.id, scope))),
      );
      return {
        links: [{ href: `${base}/collections`, rel: 'self', type: JSON_TYPE, title: 'collections' }],
        collections: docs,
      };
    },

    async collection(id: string, base: string, scope: string) {
      const def = requireCollection(id);
      return collectionDoc(def, base, await repo.extent(def.id, scope));
    },

    /** Returns the FeatureCollection as a JSON string (built from PostGIS's GeoJSON text, not re-serialised). */
    async items(id: string, request: ItemsRequest, base: string, query: URLSearchParams): Promise<string> {
      const def = requireCollection(id);
      if (request.limit > MAX_ITEMS_LIMIT)
        throw badRequest('query.limit', `limit must be at most ${MAX_ITEMS_LIMIT}`);
      const filters: Record<string, string[]> = {};
      for (const filter of def.filters) {
        const raw = request.filters[filter.param];
        if (raw === undefined) continue;
        const values = raw.split(',');
        const bad = values.find((v) => !filter.values.includes(v));
        if (bad !== undefined) {
          throw badRequest(
            `query.${filter.param}`,
            `${filter.param} must be one of ${filter.values.join(', ')} (got ${bad})`,
          );
        }
        filters[filter.param] = values;
      }
      const bbox = request.bbox !== undefined ? parseBbox(request.bbox) : undefined;
      const [matched, rows] = await Promise.all([
        repo.countItems(def.id, { scope: request.scope, bbox, filters }),
        repo.listItems(def.id, {
          scope: request.scope,
          bbox,
          filters,
          limit: request.limit,
          offset: request.offset,
          skipGeometry: request.skipGeometry,
        }),
      ]);
      const itemsUrl = `${base}/collections/${def.id}/items`;
      const page = (offset: number) => {
        const q = new URLSearchParams(query);
        q.set('offset', String(offset));
        q.set('limit', String(request.limit));
        return `${itemsUrl}?${q.toString()}`;
      };
      const links: Link[] = [
        { href: page(request.offset), rel: 'self', type: GEOJSON, title: 'this page' },
        { href: `${base}/collections/${def.id}`, rel: 'collection', type: JSON_TYPE, title: def.title },
      ];
      if (request.offset + rows.length < matched) {
        links.push({
          href: page(request.offset + request.limit),
          rel: 'next',
          type: GEOJSON,
          title: 'next page',
        });
      }
      if (request.offset > 0) {
        links.push({
          href: page(Math.max(0, request.offset - request.limit)),
          rel: 'prev',
          type: GEOJSON,
          title: 'previous page',
        });
      }
      const numeric = def.idType === 'integer';
      return (
        `{"type":"FeatureCollection","numberMatched":${matched},"numberReturned":${rows.length},` +
        `"timeStamp":${JSON.stringify(new Date().toISOString())},"links":${JSON.stringify(links)},` +
        `"features":[${rows.map((r) => featureJson(r, numeric)).join(',')}]}`
      );
    },

    async item(id: string, featureId: string, base: string, scope: string): Promise<string> {
      const def = requireCollection(id);
      if (def.idType === 'integer' && !/^[0-9]{1,18}$/.test(featureId)) {
        throw badRequest('params.featureId', `featureId of ${def.id} must be an integer`);
      }
      const row = await repo.getItem(def.id, featureId, scope);
      if (!row) throw notFound(`feature ${featureId} does not exist in ${def.id}`, 'params.featureId');
      const feature = featureJson(row, def.idType === 'integer');
      const links: Link[] = [
        {
          href: `${base}/collections/${def.id}/items/${encodeURIComponent(featureId)}`,
          rel: 'self',
          type: GEOJSON,
        },
        { href: `${base}/collections/${def.id}`, rel: 'collection', type: JSON_TYPE },
      ];
      return `${feature.slice(0, -1)},"links":${JSON.stringify(links)}}`;
    },
  };
}
export type OgcService = ReturnType<typeof createOgcService>;
