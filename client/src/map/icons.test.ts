import { describe, expect, it } from 'vitest';
import {
  RISK_COLOURS,
  STATION_STATUSES,
  STATION_TIERS,
  WATER_SOURCE_KINDS,
  WATER_SOURCE_STATUSES,
} from '../../../shared/src/domain.ts';
import { enterpriseIcon, ICON_BOX, stationIcon, symbolSvg, waterSourceIcon } from './icons.ts';
import { RISK_SYMBOLS, STATION_STATUS_STYLES, TIER_SYMBOLS, WATER_SOURCE_KIND_SHAPES } from './symbols.ts';

const svgOf = (url: string) => decodeURIComponent(url.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''));

describe('symbol tables (colour-blind safety: shape separates what colour separates)', () => {
  it.each([
    { name: 'station tiers', shapes: STATION_TIERS.map((tier) => TIER_SYMBOLS[tier].shape) },
    { name: 'enterprise risks', shapes: RISK_COLOURS.map((risk) => RISK_SYMBOLS[risk].shape) },
    { name: 'water source kinds', shapes: WATER_SOURCE_KINDS.map((kind) => WATER_SOURCE_KIND_SHAPES[kind]) },
  ])('$name each have a shape of their own', ({ shapes }) => {
    expect(new Set(shapes).size).toBe(shapes.length);
  });

  it('station statuses differ by pattern, not only ring colour', () => {
    const patterns = STATION_STATUSES.map((status) => {
      const style = STATION_STATUS_STYLES[status];
      return `${style.dashed}/${style.crossed}`;
    });
    expect(new Set(patterns).size).toBe(STATION_STATUSES.length);
  });
});

describe('icons', () => {
  const stationCases = STATION_TIERS.flatMap((tier) => STATION_STATUSES.map((status) => ({ tier, status })));
  it.each(stationCases)('station $tier / $status is an SVG data URL with its own id', ({ tier, status }) => {
    const icon = stationIcon(tier, status);
    expect(icon.id).toBe(`station/${tier}/${status}`);
    expect(icon.url).toMatch(/^data:image\/svg\+xml/);
    expect(icon).toMatchObject({ width: ICON_BOX, height: ICON_BOX, mask: false });
    const svg = svgOf(icon.url);
    expect(svg.includes('stroke-dasharray')).toBe(status === 'busy');
    expect(svg.includes('M16 16 L48 48')).toBe(status === 'out_of_service');
  });

  it('returns the same icon object for the same key (deck.gl packs each id once)', () => {
    expect(stationIcon('micro_station', 'busy')).toBe(stationIcon('micro_station', 'busy'));
    expect(enterpriseIcon('red')).toBe(enterpriseIcon('red'));
    expect(waterSourceIcon('hydrant', 'in_service')).toBe(waterSourceIcon('hydrant', 'in_service'));
  });

  it('gives every combination a distinct id', () => {
    const ids = [
      ...stationCases.map(({ tier, status }) => stationIcon(tier, status).id),
      ...RISK_COLOURS.map((risk) => enterpriseIcon(risk).id),
      ...WATER_SOURCE_KINDS.flatMap((kind) =>
        WATER_SOURCE_STATUSES.map((status) => waterSourceIcon(kind, status).id),
      ),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    { status: 'in_service' as const, hollow: false, crossed: false },
    { status: 'under_repair' as const, hollow: true, crossed: false },
    { status: 'out_of_service' as const, hollow: false, crossed: true },
  ])('water source $status: hollow $hollow, crossed $crossed', ({ status, hollow, crossed }) => {
    const svg = svgOf(waterSourceIcon('fire_pool', status).url);
    expect(svg.includes('fill="none"')).toBe(hollow);
    expect(svg.includes('M16 16 L48 48')).toBe(crossed);
  });

  it('writes a well-formed standalone SVG', () => {
    const svg = symbolSvg({ shape: 'hexagon', fill: [1, 2, 3], stroke: [4, 5, 6], strokeWidth: 3 });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="64" height="64"/);
    expect(svg).toContain('fill="rgb(1,2,3)"');
    expect(svg).toContain('stroke="rgb(4,5,6)"');
    expect(svg.endsWith('</svg>')).toBe(true);
  });
});
