/**
 * A small synthetic district for the unit tests: a concave 14 × 11 km polygon with a hole and a tiny
 * detached part (like the pinch artefacts of the real boundaries), and a made-up division list.
 */
import type { MultiPolygon, Position } from 'geojson';
import { LocalProjection } from './geo.ts';
import type { DistrictInput, TownshipDef } from './reference.ts';

export const FIXTURE_CENTRE: [number, number] = [119.2, 33.45];

export function fixtureGeometry(): MultiPolygon {
  const proj = new LocalProjection(FIXTURE_CENTRE[0], FIXTURE_CENTRE[1]);
  const ring = (pts: [number, number][]): Position[] => {
    const r = pts.map(([x, y]) => proj.toLonLat6(x, y) as Position);
    r.push([r[0]![0]!, r[0]![1]!]);
    return r;
  };
  // outer ring counter-clockwise, with a notch on the east side
  const outer = ring([
    [-7000, -5500],
    [6500, -5000],
    [7000, -1000],
    [2500, -300],
    [7000, 1200],
    [6000, 5500],
    [-1000, 5200],
    [-7200, 4000],
  ]);
  const hole = ring([
    [-3000, -2000],
    [-3000, -1700],
    [-2700, -1700],
    [-2700, -2000],
  ]);
  const islet = ring([
    [-7400, -5800],
    [-7300, -5800],
    [-7350, -5700],
  ]);
  return { type: 'MultiPolygon', coordinates: [[outer, hole], [islet]] };
}

function township(
  code: string,
  name: string,
  kind: string,
  communities: string[],
  villages: string[],
): TownshipDef {
  return {
    code,
    name,
    kind,
    villages: [
      ...communities.map((n, i) => ({
        code: `${code}${String(i + 1).padStart(3, '0')}`,
        name: `${n}居委会`,
        kind: 'community',
      })),
      ...villages.map((n, i) => ({
        code: `${code}${String(200 + i).padStart(3, '0')}`,
        name: `${n}村委会`,
        kind: 'village',
      })),
    ],
  };
}

export function fixtureDistrict(): DistrictInput {
  return {
    name: '示例区',
    code: '329901',
    kind: 'district',
    cityName: '示例市',
    cityCode: '3299',
    phoneAreaCode: '0517',
    geometry: fixtureGeometry(),
    seat: [FIXTURE_CENTRE[0] - 0.03, FIXTURE_CENTRE[1] + 0.005],
    townships: [
      township('329901001', '城中街道', 'subdistrict', ['东门', '西门', '南门', '北门', '府前'], []),
      township('329901002', '城南街道', 'subdistrict', ['南苑', '花园'], ['三里', '五里']),
      township('329901101', '东桥镇', 'town', ['东桥'], ['张庄', '李庄', '王庄', '赵庄', '陈庄']),
      township('329901102', '西河镇', 'town', ['西河', '河滨'], ['大刘', '小刘', '前进', '胜利']),
      township('329901400', '示例工业园', 'special', [], ['园区']),
    ],
  };
}
