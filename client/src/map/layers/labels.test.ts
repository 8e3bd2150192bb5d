import { describe, expect, it } from 'vitest';
import { LABEL_FONT_FAMILY } from '../../config.ts';
import { accessor, adminArea, square } from '../../test-support/features.ts';
import { LABEL_STYLES } from '../symbols.ts';
import {
  buildLabelLayer,
  declutterLabels,
  labelLayerId,
  labelLevelsForZoom,
  placeLabels,
  worldPixels,
  type PlaceLabel,
} from './labels.ts';

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

describe('worldPixels', () => {
  it.each([
    { name: 'null island at zoom 0', at: [0, 0] as [number, number], zoom: 0, expected: [256, 256] },
    { name: 'antimeridian west edge', at: [-180, 0] as [number, number], zoom: 1, expected: [0, 512] },
    { name: 'one zoom level doubles', at: [90, 0] as [number, number], zoom: 1, expected: [768, 512] },
  ])('$name', ({ at, zoom, expected }) => {
    const [x, y] = worldPixels(at, zoom);
    expect(x).toBeCloseTo(expected[0]!);
    expect(y).toBeCloseTo(expected[1]!);
  });
});

describe('declutterLabels', () => {
  const label = (name: string, level: 'town' | 'village', lon: number, area = 1): PlaceLabel => ({
    name,
    level,
    position: [lon, 33.5],
    area,
  });
  // At zoom 10, 0.01° of longitude is about 14.6 px; a 4-character town name is 88 px wide.
  it.each([
    {
      name: 'far apart: both kept',
      labels: [label('淮城街道', 'town', 119.0), label('河下街道', 'town', 119.2)],
      kept: ['淮城街道', '河下街道'],
    },
    {
      name: 'overlapping towns: the bigger keeps its name',
      labels: [label('小镇', 'town', 119.0, 1), label('大镇名字', 'town', 119.02, 5)],
      kept: ['大镇名字'],
    },
    {
      name: 'a town wins over a bigger village on the same spot',
      labels: [label('新城居委会', 'village', 119.0, 50), label('淮城街道', 'town', 119.0, 1)],
      kept: ['淮城街道'],
    },
  ])('$name', ({ labels, kept }) => {
    expect(declutterLabels(labels, 10).map((l) => l.name)).toEqual(kept);
  });

  it('keeps more names as the map zooms in', () => {
    const crowded = Array.from({ length: 20 }, (_, i) => label(`村${i}`, 'village', 119 + i * 0.004));
    const at = (zoom: number) => declutterLabels(crowded, zoom).length;
    expect(at(10)).toBeLessThan(at(13));
    expect(at(16)).toBe(20);
  });
});

describe('buildLabelLayer', () => {
  it.each([
    { level: 'town' as const, visible: true },
    { level: 'village' as const, visible: false },
  ])('$level: stable id, CJK text from local fonts, style from the table', ({ level, visible }) => {
    const labels = [{ name: '淮城街道', level, position: [119, 33] as [number, number], area: 1 }];
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
    expect(layer.props.getPixelOffset).toEqual([0, LABEL_STYLES[level].offsetYPx * 1.5]);
  });
});
