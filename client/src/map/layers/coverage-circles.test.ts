import { describe, expect, it } from 'vitest';
import { STATION_STATUSES, STATION_TIERS } from '../../../../shared/src/domain.ts';
import { accessor, coverageCircle } from '../../test-support/features.ts';
import { COVERAGE_STATUS_STYLES, OUT_OF_SERVICE_FILL, TIER_SYMBOLS } from '../symbols.ts';
import {
  buildCoverageCirclesLayer,
  buildCoverageOutageLayer,
  COVERAGE_LAYER_ID,
  COVERAGE_OUTAGE_LAYER_ID,
  coverageFillColour,
  coverageLineColour,
  coverageOutageDashes,
} from './coverage-circles.ts';

const options = { visible: true, selectedStationCode: null, scale: 1 };

describe('coverage colours', () => {
  const cases = STATION_TIERS.flatMap((tier) => STATION_STATUSES.map((status) => ({ tier, status })));
  it.each(cases)('$tier / $status', ({ tier, status }) => {
    const properties = coverageCircle({ tier, status }).properties;
    const fill = coverageFillColour(properties, false);
    const line = coverageLineColour(properties);
    if (status === 'out_of_service') {
      expect(fill.slice(0, 3)).toEqual([...OUT_OF_SERVICE_FILL]);
      expect(line.slice(0, 3)).toEqual([...OUT_OF_SERVICE_FILL]);
    } else {
      expect(fill.slice(0, 3)).toEqual([...TIER_SYMBOLS[tier].colour]);
      expect(line.slice(0, 3)).toEqual([...TIER_SYMBOLS[tier].colour]);
    }
    expect(fill[3]).toBe(COVERAGE_STATUS_STYLES[status].fillAlpha);
    expect(fill[3]).toBeLessThan(128); // translucent: the grids show through
  });

  it('draws the selected station’s circle stronger', () => {
    const properties = coverageCircle().properties;
    expect(coverageFillColour(properties, true)[3]).toBeGreaterThan(coverageFillColour(properties, false)[3]);
  });
});

describe('buildCoverageCirclesLayer', () => {
  it('has a stable id, follows its toggle and leaves clicks to what lies beneath', () => {
    for (const visible of [true, false]) {
      const layer = buildCoverageCirclesLayer([coverageCircle()], { ...options, visible });
      expect(layer.id).toBe(COVERAGE_LAYER_ID);
      expect(layer.props.visible).toBe(visible);
      expect(layer.props.pickable).toBe(false);
    }
  });

  it('hides the solid outline of out-of-service circles (the dashed layer draws it)', () => {
    const layer = buildCoverageCirclesLayer([], options);
    const lineColour = accessor<ReturnType<typeof coverageCircle>, number[]>(layer.props.getLineColor);
    expect(lineColour(coverageCircle({ status: 'out_of_service' }))[3]).toBe(0);
    expect(lineColour(coverageCircle({ status: 'available' }))[3]).toBeGreaterThan(0);
  });

  it('re-evaluates fills when the selected station changes', () => {
    const layer = buildCoverageCirclesLayer([], { ...options, selectedStationCode: 'ST9' });
    expect(layer.props.updateTriggers).toMatchObject({ getFillColor: ['ST9'] });
  });
});

describe('coverageOutageDashes', () => {
  it.each([
    { name: 'available circles get no dashes', status: 'available' as const, dashed: false },
    { name: 'busy circles get no dashes', status: 'busy' as const, dashed: false },
    { name: 'out-of-service circles are dashed all round', status: 'out_of_service' as const, dashed: true },
  ])('$name', ({ status, dashed }) => {
    const dashes = coverageOutageDashes([coverageCircle({ status, radius_m: 1000 })]);
    if (!dashed) {
      expect(dashes).toEqual([]);
      return;
    }
    // 2π × 1000 m / (150 m dash + 100 m gap) ≈ 25 dashes
    expect(dashes.length).toBeGreaterThanOrEqual(24);
    expect(dashes.length).toBeLessThanOrEqual(27);
    expect(dashes.every((dash) => dash.path.length >= 2)).toBe(true);
  });

  it('feeds a path layer with a stable id that follows the coverage toggle', () => {
    const dashes = coverageOutageDashes([coverageCircle({ status: 'out_of_service' })]);
    const layer = buildCoverageOutageLayer(dashes, { ...options, visible: false });
    expect(layer.id).toBe(COVERAGE_OUTAGE_LAYER_ID);
    expect(layer.props.visible).toBe(false);
    expect(layer.props.data).toBe(dashes);
  });
});
