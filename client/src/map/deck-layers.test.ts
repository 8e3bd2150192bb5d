import { describe, expect, it } from 'vitest';
import { createUiStore, LAYER_TOGGLE_IDS, type LayerToggleId } from '../app/ui-store.ts';
import { densePointSizeFactor } from './symbols.ts';
import { adminArea, coverageCircle, grid, station } from '../test-support/features.ts';
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
    'grids-unit': [grid({ level: 'unit', code: 'U1' })],
    'coverage-circles': [coverageCircle({ status: 'out_of_service' })],
    'admin-areas': [adminArea({ level: 'town' }), adminArea({ code: '320803001001', level: 'village' })],
  },
  visibility: visibility(),
  selection: null,
  zoom: 10,
  scale: 1,
  ...overrides,
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
    { layerId: 'grids-unit', collection: 'grids' },
  ])('$layerId → $collection', ({ layerId, collection }) => {
    const object = station();
    expect(selectionFromPick(layerId, object)).toEqual({ collection, feature: object });
  });

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
