import { describe, expect, it } from 'vitest';
import { cssRgb, DENSE_POINT_ZOOM, densePointSizeFactor } from './symbols.ts';

describe('densePointSizeFactor', () => {
  it.each([
    { zoom: 8, factor: DENSE_POINT_ZOOM.shrunkFactor },
    { zoom: DENSE_POINT_ZOOM.shrunkAtOrBelow, factor: DENSE_POINT_ZOOM.shrunkFactor },
    {
      zoom: (DENSE_POINT_ZOOM.shrunkAtOrBelow + DENSE_POINT_ZOOM.fullFromZoom) / 2,
      factor: (1 + DENSE_POINT_ZOOM.shrunkFactor) / 2,
    },
    { zoom: DENSE_POINT_ZOOM.fullFromZoom, factor: 1 },
    { zoom: 18, factor: 1 },
  ])('zoom $zoom → $factor', ({ zoom, factor }) => {
    expect(densePointSizeFactor(zoom)).toBeCloseTo(factor);
  });
});

describe('cssRgb', () => {
  it.each([
    { colour: [1, 2, 3] as const, css: 'rgb(1,2,3)' },
    { colour: [1, 2, 3, 255] as const, css: 'rgba(1,2,3,1)' },
    { colour: [10, 20, 30, 0] as const, css: 'rgba(10,20,30,0)' },
  ])('$css', ({ colour, css }) => {
    expect(cssRgb(colour)).toBe(css);
  });
});
