import { describe, expect, it } from 'vitest';
import { listDistricts, loadDistrict } from './reference.ts';

describe('reference data (data/reference)', () => {
  it('loads 淮安区 by name and by code: real MultiPolygon, 19 townships, 346 villages', () => {
    const byName = loadDistrict('淮安区');
    const byCode = loadDistrict('320803');
    expect(byCode.name).toBe('淮安区');
    expect(byName.code).toBe('320803');
    expect(byName.geometry.type).toBe('MultiPolygon');
    expect(byName.townships).toHaveLength(19);
    expect(byName.townships.reduce((s, t) => s + t.villages.length, 0)).toBe(346);
    expect(byName.seat).toEqual([119.14, 33.5]);
    expect(byName.phoneAreaCode).toBe('0517');
  });

  it('knows all 13 districts with polygons and rejects development zones with a clear message', () => {
    const all = listDistricts();
    const withPolygons = all.filter((d) => d.kind !== 'development_zone');
    expect(withPolygons).toHaveLength(13);
    for (const d of withPolygons) expect(loadDistrict(d.code).geometry.type).toMatch(/Polygon/);
    expect(() => loadDistrict('淮安经济技术开发区')).toThrow(/development zone.*no boundary/);
    expect(() => loadDistrict('321071')).toThrow(/development zone/);
    expect(() => loadDistrict('北京')).toThrow(/unknown district/);
  });
});
