import { describe, expect, it } from 'vitest';
import { createUiStore, LAYER_TOGGLE_IDS, type LayerToggleId } from '../app/ui-store.ts';
import { densePointSizeFactor } from './symbols.ts';
import { adminArea, bareGrid, coverageCircle, grid, station } from '../test-support/features.ts';
import { createUnitGridTiles } from './layers/unit-grid-tiles.ts';
import {
  createDeckLayerComposer,
  pickableGridLevel,
  selectionFromPick,
  type DeckLayerInputs,
} from './deck-layers.ts';

const allVisible = () => createUiStore().getSnapshot().visibility;
const visibility = (off: LayerToggleId[] = []) => ({
  ...allVisible(),
  ...Object.fromEntries(off.map((id) => [id, false])),
});

const inputs = (overrides: Partial<DeckLayerInputs> = {}): DeckLayerInputs => ({
  datasets: {
    stations: [station()],
    'grids-town': [grid({ level: 'town', code: 'T1' })],
    'grids-unit': [bareGrid({ code: 'U1' })],
    'coverage-circles': [coverageCircle({ status: 'out_of_service' })],
    'admin-areas': [adminArea({ level: 'town' }), adminArea({ code: '320803001001', level: 'village' })],
  },
  visibility: visibility(),
  selection: null,
  zoom: 10,
  scale: 1,
  unitGridTiles: tiles,
  ...overrides,
});

const tiles = createUnitGridTiles({
  url: 'http://wall.test/tiles/grids/{z}/{x}/{y}.mvt?level=unit',
  token: () => 'T',
});

describe('createDeckLayerComposer', () => {
  it('stacks grids under circles under points under labels, with stable ids', () => {
    const layers = createDeckLayerComposer()(inputs());
    expect(layers.map((layer) => layer.id)).toEqual([
      'grids-unit',
      'grids-village',
      'grids-town',
      'coverage-circles',
      'coverage-circles-out-of-service',
      'water-sources',
      'enterprises',
      'stations',
      'labels-village',
      'labels-town',
    ]);
  });

  it('draws no unit grids until their tile layers have loaded, then from the tiles', () => {
    const before = createDeckLayerComposer()(inputs({ unitGridTiles: null }));
    expect(before.map((layer) => layer.id)).not.toContain('grids-unit');
    const after = createDeckLayerComposer()(inputs());
    const unit = after.find((layer) => layer.id === 'grids-unit')!;
    expect(unit.constructor.name).toBe('MVTLayer');
    expect(unit.props.data).toBe('http://wall.test/tiles/grids/{z}/{x}/{y}.mvt?level=unit');
    expect(unit.props).toMatchObject({ pickable: true, uniqueIdProperty: 'code', maxZoom: 16 });
  });

  it('colours the grids of the ledger’s level by compliance: GeoJSON for villages, tiles for units', () => {
    const compliance = {
      month: '2026-11',
      level: 'unit',
      rows: [{ code: 'U1', compliantPct: 50 }],
    } as unknown as NonNullable<DeckLayerInputs['ledger']>['compliance'];
    const compose = createDeckLayerComposer();
    const units = compose(inputs({ ledger: { compliance, picked: 'U1', level: 'unit' } }));
    const layer = units.find((l) => l.id === 'ledger-compliance')!;
    expect(layer.constructor.name).toBe('MVTLayer');
    const style = layer.props as unknown as {
      getFillColor(f: object): number[];
      getLineWidth(f: object): number;
    };
    expect(style.getFillColor({ properties: { code: 'U1' } })[3]).toBeGreaterThan(0);
    expect(style.getFillColor({ properties: { code: 'U2' } })).toEqual([0, 0, 0, 0]);
    expect(style.getLineWidth({ properties: { code: 'U1' } })).toBe(4);
    expect(style.getLineWidth({ properties: { code: 'U2' } })).toBe(0);
    // the same answer keeps the same colours (no recolouring on every live batch)
    const again = compose(inputs({ ledger: { compliance, picked: 'U1', level: 'unit' } }));
    expect(again.find((l) => l.id === 'ledger-compliance')!.props.updateTriggers).toEqual(
      layer.props.updateTriggers,
    );
    const town = compose(inputs({ ledger: { compliance, picked: null, level: 'town' } }));
    expect(town.find((l) => l.id === 'ledger-compliance')!.constructor.name).toBe('GeoJsonLayer');
  });

  it('puts the live layers over everything when the live state is given', () => {
    const live = { hazards: [], patrols: [], stations: new Map(), stationsVersion: 0 };
    const layers = createDeckLayerComposer()(inputs({ live, now: 0 }));
    expect(layers.slice(-7).map((layer) => layer.id)).toEqual([
      'coverage-loss',
      'live-patrol-trails',
      'dispatch-routes',
      'dispatch-incidents',
      'live-patrols',
      'live-hazards',
      'live-hazards-pulse',
    ]);
    expect(layers.find((layer) => layer.id === 'stations')?.props.updateTriggers).toMatchObject({
      getIcon: [0],
    });
  });

  it.each([
    { toggle: 'stations' as const, layerIds: ['stations'] },
    {
      toggle: 'coverage-circles' as const,
      layerIds: ['coverage-circles', 'coverage-circles-out-of-service'],
    },
    { toggle: 'grids-unit' as const, layerIds: ['grids-unit'] },
    { toggle: 'labels' as const, layerIds: ['labels-town'] },
    { toggle: 'enterprises' as const, layerIds: ['enterprises'] },
    { toggle: 'water-sources' as const, layerIds: ['water-sources'] },
  ])('toggling $toggle off hides $layerIds', ({ toggle, layerIds }) => {
    const on = createDeckLayerComposer()(inputs());
    const off = createDeckLayerComposer()(inputs({ visibility: visibility([toggle]) }));
    for (const id of layerIds) {
      expect(on.find((layer) => layer.id === id)?.props.visible).toBe(true);
      expect(off.find((layer) => layer.id === id)?.props.visible).toBe(false);
    }
  });

  it.each([
    { zoom: 10, town: true, village: false },
    { zoom: 14, town: false, village: true },
  ])('zoom $zoom shows town labels $town, village labels $village', ({ zoom, town, village }) => {
    const layers = createDeckLayerComposer()(inputs({ zoom }));
    expect(layers.find((layer) => layer.id === 'labels-town')?.props.visible).toBe(town);
    expect(layers.find((layer) => layer.id === 'labels-village')?.props.visible).toBe(village);
  });

  it.each([
    { name: '1080p at zoom 10', zoom: 10, scale: 1 },
    { name: '4K at zoom 11 (the same picture)', zoom: 11, scale: 2 },
  ])('$name: zoom rules follow the design-width zoom', ({ zoom, scale }) => {
    const layers = createDeckLayerComposer()(inputs({ zoom, scale }));
    expect(layers.find((layer) => layer.id === 'labels-village')?.props.visible).toBe(false);
    const waterSources = layers.find((layer) => layer.id === 'water-sources');
    expect(waterSources?.props.updateTriggers).toEqual({ getSize: [null, densePointSizeFactor(10)] });
  });

  it('keeps derived data between calls, so a toggle does not recompute geometry', () => {
    const compose = createDeckLayerComposer();
    const same = inputs();
    const first = compose(same);
    const second = compose({ ...same, visibility: visibility(['stations']) });
    for (const id of ['labels-town', 'coverage-circles-out-of-service', 'stations']) {
      expect(second.find((layer) => layer.id === id)?.props.data).toBe(
        first.find((layer) => layer.id === id)?.props.data,
      );
    }
  });

  it('passes the selected station to both the station and its coverage circle', () => {
    const selected = station({ code: 'ST0001' });
    const layers = createDeckLayerComposer()(
      inputs({ selection: { collection: 'stations', feature: selected } }),
    );
    expect(layers.find((layer) => layer.id === 'stations')?.props.updateTriggers).toEqual({
      getSize: ['ST0001', densePointSizeFactor(10)],
    });
    expect(layers.find((layer) => layer.id === 'coverage-circles')?.props.updateTriggers).toMatchObject({
      getFillColor: ['ST0001'],
    });
  });
});

describe('pickableGridLevel', () => {
  it.each([
    { name: 'all levels shown: unit grids take clicks', off: [] as LayerToggleId[], level: 'unit' },
    { name: 'unit hidden: village', off: ['grids-unit'] as LayerToggleId[], level: 'village' },
    { name: 'only towns', off: ['grids-unit', 'grids-village'] as LayerToggleId[], level: 'town' },
    { name: 'no grids', off: ['grids-unit', 'grids-village', 'grids-town'] as LayerToggleId[], level: null },
  ])('$name', ({ off, level }) => {
    expect(pickableGridLevel(visibility(off))).toBe(level);
  });
});

describe('selectionFromPick', () => {
  it.each([
    { layerId: 'stations', collection: 'stations' },
    { layerId: 'water-sources', collection: 'water-sources' },
    { layerId: 'enterprises', collection: 'enterprises' },
    { layerId: 'grids-town', collection: 'grids' },
  ])('$layerId → $collection', ({ layerId, collection }) => {
    const object = station();
    expect(selectionFromPick(layerId, object)).toEqual({ collection, feature: object });
  });

  it.each(['grids-unit', 'ledger-compliance'])(
    'a unit grid picked from a %s tile is the OGC feature (id, nulls restored)',
    (layerId) => {
      const full = grid({ level: 'unit', code: 'G320803001001-0001', member_name: null, member_phone: null });
      const { member_name: _n, member_phone: _p, ...tileProps } = full.properties;
      const picked = {
        type: 'Feature',
        geometry: full.geometry,
        properties: { ...tileProps, id: full.properties.code, layerName: 'grids' },
      };
      expect(selectionFromPick(layerId, picked)).toEqual({ collection: 'grids', feature: full });
    },
  );

  it.each([
    { name: 'labels are not selectable', layerId: 'labels-town', object: {} },
    { name: 'circles are not selectable', layerId: 'coverage-circles', object: {} },
    { name: 'a click on nothing', layerId: undefined, object: undefined },
    { name: 'a layer with no object', layerId: 'stations', object: null },
  ])('$name', ({ layerId, object }) => {
    expect(selectionFromPick(layerId, object)).toBeNull();
  });
});

it('every toggle id is distinct', () => {
  expect(new Set(LAYER_TOGGLE_IDS).size).toBe(LAYER_TOGGLE_IDS.length);
});
