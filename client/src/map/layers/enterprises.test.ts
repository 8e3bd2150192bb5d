import { describe, expect, it } from 'vitest';
import { RISK_COLOURS } from '../../../../shared/src/domain.ts';
import { accessor, enterprise } from '../../test-support/features.ts';
import { enterpriseIcon } from '../icons.ts';
import { RISK_SYMBOLS } from '../symbols.ts';
import { buildEnterprisesLayer, ENTERPRISES_LAYER_ID } from './enterprises.ts';

type Feature = ReturnType<typeof enterprise>;

describe('buildEnterprisesLayer', () => {
  it.each(RISK_COLOURS.map((risk) => ({ risk })))('$risk: icon and size by risk', ({ risk }) => {
    const layer = buildEnterprisesLayer([], {
      visible: true,
      selectedCode: null,
      scale: 1,
      densityFactor: 1,
    });
    const feature = enterprise({ risk });
    expect(accessor<Feature, unknown>(layer.props.getIcon)(feature)).toBe(enterpriseIcon(risk));
    expect(accessor<Feature, number>(layer.props.getSize)(feature)).toBe(RISK_SYMBOLS[risk].sizePx);
  });

  it.each([
    { risk: 'red' as const, factor: 1 },
    { risk: 'orange' as const, factor: 1 },
    { risk: 'yellow' as const, factor: 0.5 },
    { risk: 'blue' as const, factor: 0.5 },
  ])('at district zoom $risk risk is drawn at $factor of its size', ({ risk, factor }) => {
    const layer = buildEnterprisesLayer([], {
      visible: true,
      selectedCode: null,
      scale: 1,
      densityFactor: 0.5,
    });
    expect(accessor<Feature, number>(layer.props.getSize)(enterprise({ risk }))).toBe(
      RISK_SYMBOLS[risk].sizePx * factor,
    );
  });

  it('draws higher risk no smaller than lower risk', () => {
    const sizes = RISK_COLOURS.map((risk) => RISK_SYMBOLS[risk].sizePx);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
  });

  it.each([{ visible: true }, { visible: false }])(
    'visible: $visible, stable id, pickable',
    ({ visible }) => {
      const layer = buildEnterprisesLayer([enterprise()], {
        visible,
        selectedCode: null,
        scale: 1,
        densityFactor: 1,
      });
      expect(layer.id).toBe(ENTERPRISES_LAYER_ID);
      expect(layer.props.visible).toBe(visible);
      expect(layer.props.pickable).toBe(true);
    },
  );
});
