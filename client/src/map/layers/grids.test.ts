import { describe, expect, it } from 'vitest';
import { GRID_LEVELS } from '../../../../shared/src/domain.ts';
import { accessor, grid } from '../../test-support/features.ts';
import { DENSITY_FILL, GRID_LEVEL_STYLES } from '../symbols.ts';
import { buildGridLayer, densityFill, gridLayerId, type GridLayerOptions } from './grids.ts';

const options = (overrides: Partial<GridLayerOptions> = {}): GridLayerOptions => ({
  level: 'village',
  visible: true,
  pickable: true,
  fillByDensity: false,
  selectedCode: null,
  scale: 1,
  ...overrides,
});

type GridFeature = ReturnType<typeof grid>;

describe('buildGridLayer', () => {
  it.each(GRID_LEVELS.map((level) => ({ level })))(
    '$level: stable id, outline colour and width from the level table',
    ({ level }) => {
      const layer = buildGridLayer([grid({ level })], options({ level }));
      expect(layer.id).toBe(`grids-${level}`);
      expect(layer.id).toBe(gridLayerId(level));
      const feature = grid({ level });
      expect(accessor<GridFeature, number[]>(layer.props.getLineColor)(feature)).toEqual([
        ...GRID_LEVEL_STYLES[level].line,
      ]);
      expect(accessor<GridFeature, number>(layer.props.getLineWidth)(feature)).toBe(
        GRID_LEVEL_STYLES[level].lineWidthPx,
      );
    },
  );

  it('draws town outlines thicker than village and village thicker than unit', () => {
    const width = (level: (typeof GRID_LEVELS)[number]) => GRID_LEVEL_STYLES[level].lineWidthPx;
    expect(width('town')).toBeGreaterThan(width('village'));
    expect(width('village')).toBeGreaterThan(width('unit'));
  });

  it.each([
    { name: 'visible and pickable', visible: true, pickable: true },
    { name: 'hidden', visible: false, pickable: true },
    { name: 'shown but not taking clicks', visible: true, pickable: false },
  ])('$name', ({ visible, pickable }) => {
    const layer = buildGridLayer([grid()], options({ visible, pickable }));
    expect(layer.props.visible).toBe(visible);
    expect(layer.props.pickable).toBe(pickable);
  });

  it('highlights the selected grid and scales widths with the viewport', () => {
    const layer = buildGridLayer([grid()], options({ selectedCode: 'G2', scale: 2 }));
    const selected = grid({ code: 'G2' });
    const other = grid({ code: 'G3' });
    const lineColor = accessor<GridFeature, number[]>(layer.props.getLineColor);
    const lineWidth = accessor<GridFeature, number>(layer.props.getLineWidth);
    expect(lineColor(selected)).toEqual([255, 255, 0, 255]);
    expect(lineColor(other)).toEqual([...GRID_LEVEL_STYLES.village.line]);
    expect(lineWidth(selected)).toBeGreaterThan(lineWidth(other));
    expect(lineWidth(other)).toBe(GRID_LEVEL_STYLES.village.lineWidthPx * 2);
    expect(layer.props.updateTriggers).toEqual({
      getFillColor: [false],
      getLineColor: ['G2'],
      getLineWidth: ['G2', 2],
    });
  });

  it.each([
    { name: 'density fill off: near-transparent, still pickable', fillByDensity: false, expectedAlpha: 1 },
    {
      name: 'density fill on: alpha from the density',
      fillByDensity: true,
      expectedAlpha: densityFill(grid().properties)[3],
    },
  ])('$name', ({ fillByDensity, expectedAlpha }) => {
    const layer = buildGridLayer([grid()], options({ fillByDensity }));
    expect(accessor<GridFeature, number[]>(layer.props.getFillColor)(grid())[3]).toBe(expectedAlpha);
  });
});

describe('densityFill', () => {
  it.each([
    { name: 'empty countryside', population: 0, area_km2: 2, alpha: 1 },
    {
      name: 'half the full density',
      population: DENSITY_FILL.fullAtPerKm2 / 2,
      area_km2: 1,
      alpha: DENSITY_FILL.maxAlpha / 2,
    },
    {
      name: 'dense town, capped',
      population: DENSITY_FILL.fullAtPerKm2 * 10,
      area_km2: 1,
      alpha: DENSITY_FILL.maxAlpha,
    },
    { name: 'no area (bad data) counts as empty', population: 500, area_km2: 0, alpha: 1 },
  ])('$name', ({ population, area_km2, alpha }) => {
    expect(densityFill({ population, area_km2 })).toEqual([...DENSITY_FILL.colour, alpha]);
  });
});
