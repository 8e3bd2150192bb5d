import { describe, expect, it } from 'vitest';
import { ROAD_CLASSES } from '../../../shared/src/domain.ts';
import { adminArea, feature } from '../test-support/features.ts';
import {
  basemapSourceData,
  BASEMAP_SOURCE_DATASETS,
  BASEMAP_SOURCES,
  BASEMAP_TOGGLE_LAYERS,
  buildBasemapStyle,
  COUNTY_FILL_LAYER_ID,
  ROAD_LAYER_IDS,
  roadLayerId,
} from './basemap-style.ts';
import { ROAD_CLASS_STYLES } from './symbols.ts';

const road = (id: number, roadClass: (typeof ROAD_CLASSES)[number]) =>
  feature<'roads'>(
    id,
    {
      type: 'LineString',
      coordinates: [
        [119, 33],
        [119.01, 33],
      ],
    },
    {
      id,
      source: 1,
      target: 2,
      cost_s: 10,
      reverse_cost_s: 10,
      class: roadClass,
      name: null,
      speed_kmh: 30,
      length_m: 900,
      oneway: false,
      bridge: false,
      synthetic: true,
    },
  );

describe('buildBasemapStyle', () => {
  const style = buildBasemapStyle();

  it('needs nothing from the network: no glyphs, sprite, remote sources or text', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:|mapbox:|\{z\}/);
    expect(Object.values(style.sources).every((source) => source.type === 'geojson')).toBe(true);
    expect(style.layers.some((layer) => layer.type === 'symbol')).toBe(false);
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

  it('draws every road edge, major and minor', () => {
    const major = [road(1, 'expressway'), road(2, 'arterial')];
    const minor = [road(3, 'street')];
    const features = basemapSourceData('roads', { 'roads-major': major, 'roads-minor': minor }).features;
    expect(features.map((f) => f.id)).toEqual([1, 2, 3]);
  });
});
