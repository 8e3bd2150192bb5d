import { describe, expect, it } from 'vitest';
import { LABEL_FONT_FAMILY } from '../../config.ts';
import { accessor, adminArea, square } from '../../test-support/features.ts';
import { LABEL_STYLES } from '../symbols.ts';
import { buildLabelLayer, labelLayerId, labelLevelsForZoom, placeLabels } from './labels.ts';

describe('labelLevelsForZoom', () => {
  it.each([
    { zoom: 9, town: true, village: false },
    { zoom: 11, town: true, village: false },
    { zoom: 12, town: true, village: true },
    { zoom: 14, town: false, village: true },
  ])('zoom $zoom: towns $town, villages $village', ({ zoom, town, village }) => {
    expect(labelLevelsForZoom(zoom)).toEqual({ town, village });
  });
});

describe('placeLabels', () => {
  it('labels each area of the level at its centroid, ignoring other levels', () => {
    const areas = [
      adminArea({ code: '320803001', name: '淮城街道', level: 'town' }, square(119, 33, 0.2)),
      adminArea({ code: '320803001001', name: '新城居委会', level: 'village' }, square(119, 33, 0.05)),
      adminArea({ code: '320803', name: '淮安区', level: 'county' }, square(118.9, 32.9, 1)),
    ];
    const labels = placeLabels(areas, 'town');
    expect(labels).toHaveLength(1);
    expect(labels[0]?.name).toBe('淮城街道');
    expect(labels[0]?.position[0]).toBeCloseTo(119.1);
    expect(labels[0]?.position[1]).toBeCloseTo(33.1);
  });
});

describe('buildLabelLayer', () => {
  it.each([
    { level: 'town' as const, visible: true },
    { level: 'village' as const, visible: false },
  ])('$level: stable id, CJK text from local fonts, style from the table', ({ level, visible }) => {
    const labels = [{ name: '淮城街道', position: [119, 33] as [number, number] }];
    const layer = buildLabelLayer(labels, { level, visible, scale: 1.5 });
    expect(layer.id).toBe(labelLayerId(level));
    expect(layer.props.visible).toBe(visible);
    expect(layer.props.characterSet).toBe('auto');
    expect(layer.props.fontFamily).toBe(LABEL_FONT_FAMILY);
    expect(layer.props.fontFamily).toContain('WenQuanYi Micro Hei');
    expect(layer.props.getSize).toBe(LABEL_STYLES[level].sizePx);
    expect(layer.props.sizeScale).toBe(1.5);
    expect(layer.props.pickable).toBe(false);
    expect(accessor<(typeof labels)[0], string>(layer.props.getText)(labels[0]!)).toBe('淮城街道');
  });
});
