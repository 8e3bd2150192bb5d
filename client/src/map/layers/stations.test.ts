import { describe, expect, it } from 'vitest';
import { STATION_STATUSES, STATION_TIERS } from '../../../../shared/src/domain.ts';
import { accessor, station } from '../../test-support/features.ts';
import { stationIcon } from '../icons.ts';
import { TIER_SYMBOLS } from '../symbols.ts';
import { SELECTED_SIZE_FACTOR } from './point-icons.ts';
import { buildStationsLayer, STATIONS_LAYER_ID } from './stations.ts';

type Feature = ReturnType<typeof station>;
const options = { visible: true, selectedCode: null, scale: 1, densityFactor: 1 };

describe('buildStationsLayer', () => {
  const cases = STATION_TIERS.flatMap((tier) => STATION_STATUSES.map((status) => ({ tier, status })));
  it.each(cases)('$tier / $status: icon and size by tier, ring by status', ({ tier, status }) => {
    const layer = buildStationsLayer([], options);
    const feature = station({ tier, status });
    expect(accessor<Feature, unknown>(layer.props.getIcon)(feature)).toBe(stationIcon(tier, status));
    expect(accessor<Feature, number>(layer.props.getSize)(feature)).toBe(TIER_SYMBOLS[tier].sizePx);
  });

  it.each([
    { name: 'shown', visible: true },
    { name: 'toggled off', visible: false },
  ])('$name: stable id, pickable, visibility follows the toggle', ({ visible }) => {
    const layer = buildStationsLayer([station()], { ...options, visible });
    expect(layer.id).toBe(STATIONS_LAYER_ID);
    expect(layer.props.visible).toBe(visible);
    expect(layer.props.pickable).toBe(true);
  });

  it('puts the icon at the station and skips features without a point', () => {
    const layer = buildStationsLayer([], options);
    const getPosition = accessor<Feature, number[]>(layer.props.getPosition);
    expect(getPosition(station({}, [119.1, 33.6]))).toEqual([119.1, 33.6]);
    const broken = { ...station(), geometry: { type: 'LineString' as const, coordinates: [] } };
    expect(getPosition(broken).every(Number.isNaN)).toBe(true);
  });

  it('enlarges the selected station and re-evaluates sizes when the selection changes', () => {
    const layer = buildStationsLayer([], { ...options, selectedCode: 'ST0002', scale: 2 });
    const getSize = accessor<Feature, number>(layer.props.getSize);
    const size = TIER_SYMBOLS.rescue_station.sizePx;
    expect(getSize(station({ code: 'ST0002' }))).toBe(size * SELECTED_SIZE_FACTOR);
    expect(getSize(station({ code: 'ST0003' }))).toBe(size);
    expect(layer.props.sizeScale).toBe(2);
    expect(layer.props.updateTriggers).toEqual({ getSize: ['ST0002', 1] });
  });

  it.each([
    { tier: 'rescue_station' as const, factor: 1 },
    { tier: 'fulltime_team' as const, factor: 1 },
    { tier: 'joint_station' as const, factor: 1 },
    { tier: 'micro_station' as const, factor: 0.5 },
  ])('at district zoom $tier is drawn at $factor of its size', ({ tier, factor }) => {
    const layer = buildStationsLayer([], { ...options, densityFactor: 0.5 });
    const getSize = accessor<Feature, number>(layer.props.getSize);
    expect(getSize(station({ tier }))).toBe(TIER_SYMBOLS[tier].sizePx * factor);
    expect(layer.props.updateTriggers).toEqual({ getSize: [null, 0.5] });
  });
});

describe('buildStationsLayer with live status', () => {
  it.each([
    { name: 'a live status wins over the loaded one', live: 'busy' as const, icon: 'busy' as const },
    { name: 'no live status: the loaded one', live: undefined, icon: 'available' as const },
  ])('$name', ({ live, icon }) => {
    const liveStatus = new Map(live ? [['ST0001', { status: live }]] : []);
    const layer = buildStationsLayer([], { ...options, liveStatus, liveStatusVersion: 3 });
    const getIcon = accessor<Feature, unknown>(layer.props.getIcon);
    expect(getIcon(station({ code: 'ST0001', status: 'available' }))).toBe(
      stationIcon('rescue_station', icon),
    );
    expect(layer.props.updateTriggers).toEqual({ getSize: [null, 1], getIcon: [3] });
  });
});
