import { describe, expect, it } from 'vitest';
import { WATER_SOURCE_KINDS, WATER_SOURCE_STATUSES } from '../../../../shared/src/domain.ts';
import { accessor, waterSource } from '../../test-support/features.ts';
import { waterSourceIcon } from '../icons.ts';
import { WATER_SOURCE_SIZE_PX } from '../symbols.ts';
import { buildWaterSourcesLayer, WATER_SOURCES_LAYER_ID } from './water-sources.ts';

type Feature = ReturnType<typeof waterSource>;

describe('buildWaterSourcesLayer', () => {
  const cases = WATER_SOURCE_KINDS.flatMap((kind) =>
    WATER_SOURCE_STATUSES.map((status) => ({ kind, status })),
  );
  it.each(cases)('$kind / $status: icon by kind and status', ({ kind, status }) => {
    const layer = buildWaterSourcesLayer([], {
      visible: true,
      selectedCode: null,
      scale: 1,
      densityFactor: 1,
    });
    const feature = waterSource({ kind, status });
    expect(accessor<Feature, unknown>(layer.props.getIcon)(feature)).toBe(waterSourceIcon(kind, status));
    expect(accessor<Feature, number>(layer.props.getSize)(feature)).toBe(WATER_SOURCE_SIZE_PX);
  });

  it.each([
    { status: 'in_service' as const, factor: 0.5 },
    { status: 'under_repair' as const, factor: 1 },
    { status: 'out_of_service' as const, factor: 1 },
  ])('at district zoom a source $status is drawn at $factor of its size', ({ status, factor }) => {
    const layer = buildWaterSourcesLayer([], {
      visible: true,
      selectedCode: null,
      scale: 1,
      densityFactor: 0.5,
    });
    expect(accessor<Feature, number>(layer.props.getSize)(waterSource({ status }))).toBe(
      WATER_SOURCE_SIZE_PX * factor,
    );
  });

  it.each([{ visible: true }, { visible: false }])('visible: $visible', ({ visible }) => {
    const data = [waterSource()];
    const layer = buildWaterSourcesLayer(data, { visible, selectedCode: null, scale: 0.5, densityFactor: 1 });
    expect(layer.id).toBe(WATER_SOURCES_LAYER_ID);
    expect(layer.props.visible).toBe(visible);
    expect(layer.props.data).toBe(data);
    expect(layer.props.sizeScale).toBe(0.5);
  });
});
