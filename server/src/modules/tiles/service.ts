/**
 * Mapbox Vector Tiles of the big layers (roads, grids, waterways, administrative areas), cut in the
 * server with MapLibre's geojson-vt and encoded with its vt-pbf, because the embedded PostGIS has no
 * ST_AsMVT: one code path, so both backends serve the same tiles from the same rows.
 *
 * Per layer, caller's area and grid level (grids only), the layer's features (the OGC collection's rows and properties) are read
 * once into a geojson-vt index; a cheap version query per layer (row count and newest row version),
 * run at most every `refreshMs`, rebuilds an area's index when the table changed (a road import, say).
 * At most `maxIndexes` (64) indexes are kept, the least recently used dropped first. Tiles are encoded
 * on request and carry a weak ETag (the same tile gzipped or not): the SHA-1 of the bytes.
 */
import { createHash } from 'node:crypto';
import { GeoJSONVT, type GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { GridLevel } from '../../../../shared/src/domain.ts';
import type { TileLayer } from '../../../../shared/src/schemas/tiles.ts';
import type { OgcRepository } from '../ogc/repo.ts';

/** Tile extent in tile units (the MVT default), and the buffer around it (units) for clean joins. */
export const TILE_EXTENT = 4096;
const TILE_BUFFER = 64;
/** Above this zoom geojson-vt keeps no further detail: deeper tiles are cut from it. */
const DETAIL_MAX_ZOOM = 16;

export interface Tile {
  /** the encoded tile, empty when no feature touches it */
  body: Buffer;
  etag: string;
  features: number;
}

interface Index {
  version: string;
  index: GeoJSONVT;
}

/** Layer indexes kept (one per layer and area asked for), least recently used dropped first. */
const DEFAULT_MAX_INDEXES = 64;

/** MVT properties are primitives: nested values become JSON text, nulls are left out. */
function tileProperties(props: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean);
  }
  return out;
}

export function createTileService(
  ogc: Pick<OgcRepository, 'listItems' | 'version'>,
  options: { refreshMs: number; maxIndexes?: number },
) {
  /** by `layer|scope|level`, least recently used first */
  const indexes = new Map<string, Promise<Index>>();
  const versions = new Map<TileLayer, { checkedAt: number; version: Promise<string> }>();
  const maxIndexes = options.maxIndexes ?? DEFAULT_MAX_INDEXES;

  async function build(
    layer: TileLayer,
    scope: string,
    level: GridLevel | undefined,
    version: string,
  ): Promise<Index> {
    const rows = await ogc.listItems(layer, {
      scope,
      filters: level ? { level: [level] } : {},
      limit: Number.MAX_SAFE_INTEGER,
      offset: 0,
    });
    const features: Feature[] = rows.map((row) => ({
      type: 'Feature',
      id: /^\d+$/.test(row.id) ? Number(row.id) : undefined,
      geometry: JSON.parse(row.geometry) as Geometry,
      properties: { ...tileProperties(JSON.parse(row.props) as Record<string, unknown>), id: row.id },
    }));
    const collection: FeatureCollection = { type: 'FeatureCollection', features };
    return {
      version,
      index: new GeoJSONVT(collection, {
        maxZoom: DETAIL_MAX_ZOOM,
        extent: TILE_EXTENT,
        buffer: TILE_BUFFER,
        // keep ids as given (roads' numeric ids; codes ride in the properties)
        promoteId: undefined,
      }),
    };
  }

  /** The layer table's version, asked of the database at most every `refreshMs` whoever asks. */
  function currentVersion(layer: TileLayer): Promise<string> {
    const known = versions.get(layer);
    if (known && Date.now() - known.checkedAt < options.refreshMs) return known.version;
    const version = ogc.version(layer);
    versions.set(layer, { checkedAt: Date.now(), version });
    version.catch(() => versions.delete(layer));
    return version;
  }

  /** The layer's index for the area (and level), rebuilt when its table's version moved. */
  async function indexOf(layer: TileLayer, scope: string, level: GridLevel | undefined): Promise<Index> {
    const key = `${layer}|${scope}|${level ?? ''}`;
    const version = await currentVersion(layer);
    const cached = indexes.get(key);
    if (cached) {
      const known = await cached.catch(() => null);
      if (known && known.version === version) {
        // most recently used last: the first in the map is the one to drop
        if (indexes.get(key) === cached) {
          indexes.delete(key);
          indexes.set(key, cached);
        }
        return known;
      }
      // changed (or the last build failed): build again, once for every caller waiting on it
      if (indexes.get(key) !== cached) return indexOf(layer, scope, level);
    }
    const built = build(layer, scope, level, version);
    indexes.set(key, built);
    built.catch(() => {
      if (indexes.get(key) === built) indexes.delete(key);
    });
    // areas nobody has looked at for longest go first (an index holds its area's features)
    while (indexes.size > maxIndexes) indexes.delete(indexes.keys().next().value!);
    return built;
  }

  return {
    /** `level` narrows the grids layer to one grid level. */
    async tile(
      layer: TileLayer,
      scope: string,
      z: number,
      x: number,
      y: number,
      level?: GridLevel,
    ): Promise<Tile> {
      const { index } = await indexOf(layer, scope, level);
      const cut: GeoJSONVTTile | null = index.getTile(z, x, y);
      if (!cut || cut.features.length === 0)
        return { body: Buffer.alloc(0), etag: `W/"empty-${layer}"`, features: 0 };
      const body = Buffer.from(fromGeojsonVt({ [layer]: cut }, { version: 2, extent: TILE_EXTENT }));
      return {
        body,
        // weak: the same tile whether it goes out gzipped or not
        etag: `W/"${createHash('sha1').update(body).digest('base64url')}"`,
        features: cut.features.length,
      };
    },
  };
}
export type TileService = ReturnType<typeof createTileService>;
