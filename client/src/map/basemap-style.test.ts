import { describe, expect, it } from 'vitest';
import { ROAD_CLASSES } from '../../../shared/src/domain.ts';
import { adminArea } from '../test-support/features.ts';
import {
  basemapSourceData,
  BASEMAP_SOURCE_DATASETS,
  BASEMAP_SOURCES,
  BASEMAP_TOGGLE_LAYERS,
  buildBasemapStyle,
  COUNTY_FILL_LAYER_ID,
  isOurTile,
  withTileToken,
  ROAD_LAYER_IDS,
  roadLayerId,
  ROADS_SOURCE,
  ROADS_TILE_LAYER,
} from './basemap-style.ts';
import { ROAD_CLASS_STYLES } from './symbols.ts';

describe('buildBasemapStyle', () => {
  const origin = 'http://127.0.0.1:3000';
  const style = buildBasemapStyle(origin);

  it('needs nothing from another host: no glyphs, sprite or text; road tiles from our own origin', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    const urls = JSON.stringify(style).match(/[a-z]+:\/\/[^"]*/g) ?? [];
    expect(urls).toEqual([`${origin}/tiles/roads/{z}/{x}/{y}.mvt`]);
    expect(style.sources[ROADS_SOURCE]).toMatchObject({ type: 'vector', maxzoom: 16 });
    const others = Object.entries(style.sources).filter(([id]) => id !== ROADS_SOURCE);
    expect(others.every(([, source]) => source.type === 'geojson')).toBe(true);
    expect(style.layers.some((layer) => layer.type === 'symbol')).toBe(false);
  });

  it('sends the token with our tiles only', () => {
    expect(isOurTile(`${origin}/tiles/roads/9/426/206.mvt`, origin)).toBe(true);
    expect(isOurTile(`${origin}/api/health`, origin)).toBe(false);
    expect(isOurTile('http://evil.example/tiles/roads/9/426/206.mvt', origin)).toBe(false);
    expect(isOurTile(`${origin}.evil.example/tiles/roads/1/0/0.mvt`, origin)).toBe(false);
    let token: string | null = 'first';
    const transform = withTileToken(origin, () => token);
    const tile = `${origin}/tiles/roads/9/426/206.mvt`;
    expect(transform(tile, 'Tile' as never)).toEqual({
      url: tile,
      headers: { authorization: 'Bearer first' },
    });
    token = 'refreshed';
    expect(transform(tile, 'Tile' as never)).toEqual({
      url: tile,
      headers: { authorization: 'Bearer refreshed' },
    });
    expect(transform('http://evil.example/tiles/roads/9/426/206.mvt', 'Tile' as never)).toBeUndefined();
    expect(transform(`${origin}/tiles/roads/9/426/206.mvt`, 'Source' as never)).toBeUndefined();
    token = null;
    expect(transform(tile, 'Tile' as never)).toBeUndefined();
  });

  it('has a layer per road class, minor classes under major ones', () => {
    const ids = style.layers.map((layer) => layer.id);
    expect(ROAD_LAYER_IDS.every((id) => ids.includes(id))).toBe(true);
    expect(ids.indexOf(roadLayerId('village'))).toBeLessThan(ids.indexOf(roadLayerId('expressway')));
    expect(ids.indexOf(COUNTY_FILL_LAYER_ID)).toBeLessThan(ids.indexOf(roadLayerId('village')));
  });

  it.each(ROAD_CLASSES.map((roadClass) => ({ roadClass })))(
    '$roadClass: filtered by class, width by zoom from the table',
    ({ roadClass }) => {
      const layer = style.layers.find((candidate) => candidate.id === roadLayerId(roadClass));
      expect(layer?.type).toBe('line');
      if (layer?.type !== 'line') return;
      expect(layer.source).toBe(ROADS_SOURCE);
      expect(layer['source-layer']).toBe(ROADS_TILE_LAYER);
      expect(layer.filter).toEqual(['==', ['get', 'class'], roadClass]);
      const { widthZ9, widthZ16 } = ROAD_CLASS_STYLES[roadClass];
      expect(layer.paint?.['line-width']).toEqual([
        'interpolate',
        ['exponential', 1.6],
        ['zoom'],
        9,
        widthZ9,
        16,
        widthZ16,
      ]);
    },
  );

  it('toggles only layers that exist', () => {
    const ids = new Set(style.layers.map((layer) => layer.id));
    for (const layerIds of Object.values(BASEMAP_TOGGLE_LAYERS)) {
      for (const id of layerIds) expect(ids.has(id)).toBe(true);
    }
  });
});

describe('basemapSourceData', () => {
  it.each(Object.keys(BASEMAP_SOURCES).map((source) => ({ source: source as keyof typeof BASEMAP_SOURCES })))(
    '$source reads only its own datasets',
    ({ source }) => {
      expect(BASEMAP_SOURCE_DATASETS[source].length).toBeGreaterThan(0);
      expect(basemapSourceData(source, {}).features).toEqual([]);
    },
  );

  it('draws the county outline from the county-level admin area only', () => {
    const county = adminArea({ code: '320803', level: 'county', name: '淮安区' });
    const town = adminArea({ code: '320803001', level: 'town' });
    expect(basemapSourceData('county', { 'admin-areas': [county, town] }).features).toEqual([county]);
  });
});
