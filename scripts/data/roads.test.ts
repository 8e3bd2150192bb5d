import { beforeAll, describe, expect, it } from 'vitest';
import { ROAD_CLASS_SPEED_KMH } from '../../shared/src/domain.ts';
import { buildAdmin, type AdminLayout } from './admin.ts';
import { fixtureDistrict, FIXTURE_CENTRE } from './fixtures.ts';
import { LocalProjection, segmentsCross } from './geo.ts';
import { Rng } from './prng.ts';
import { buildRoads, connectivity, findCrossing, type RoadNetwork } from './roads.ts';
import { buildWaterways, type Waterway } from './waterways.ts';

let admin: AdminLayout;
let waterways: Waterway[];
let net: RoadNetwork;

function build(seed: number): { admin: AdminLayout; waterways: Waterway[]; net: RoadNetwork } {
  const input = fixtureDistrict();
  const proj = new LocalProjection(FIXTURE_CENTRE[0], FIXTURE_CENTRE[1]);
  const rng = new Rng(seed);
  const a = buildAdmin(input, proj, rng.fork('admin'), () => {});
  const w = buildWaterways(a.districtIndex, a.core, a.urban.core.radius, input.code, rng.fork('water'));
  const centreNames = a.urban.centres.map((c) => a.towns.find((t) => t.def.code === c.townCode)!.def.name);
  const n = buildRoads({
    index: a.districtIndex,
    urban: a.urban,
    waterways: w,
    centreNames,
    cityName: input.cityName,
    rng: rng.fork('roads'),
    log: () => {},
  });
  return { admin: a, waterways: w, net: n };
}

beforeAll(() => {
  ({ admin, waterways, net } = build(11));
});

describe('road network on a small synthetic district', () => {
  it('has a hierarchy of classes with speeds from ROAD_CLASS_SPEED_KMH (±10%)', () => {
    const classes = new Set(net.edges.map((e) => e.cls));
    for (const c of ['village', 'street', 'collector', 'arterial', 'expressway'] as const)
      expect(classes).toContain(c);
    expect(net.edges.length).toBeGreaterThan(4000);
    for (const e of net.edges) {
      const base = ROAD_CLASS_SPEED_KMH[e.cls];
      expect(e.speed).toBeGreaterThanOrEqual(base * 0.9 - 1e-9);
      expect(e.speed).toBeLessThanOrEqual(base * 1.1 + 1e-9);
      expect(e.a).not.toBe(e.b);
    }
  });

  it('is planar apart from the expressway, and one strongly connected component', () => {
    expect(findCrossing(net)).toBeNull();
    expect(connectivity(net)).toEqual({ components: 1, strongMissing: 0 });
    expect(net.edges.some((e) => e.oneway)).toBe(true);
  });

  it('joins the expressway to local roads only through ramps', () => {
    for (const e of net.edges) {
      const exA = net.expresswayNode[e.a] === 1;
      const exB = net.expresswayNode[e.b] === 1;
      if (e.cls === 'expressway') expect(exA && exB).toBe(true);
      else if (e.cls === 'ramp') expect(exA !== exB).toBe(true);
      else expect(exA || exB).toBe(false);
    }
  });

  it('crosses waterways only on bridges, and has bridges on every waterway', () => {
    expect(waterways.length).toBeGreaterThanOrEqual(2);
    const bridged = new Set<number>();
    for (const e of net.edges) {
      const ax = net.x[e.a]!;
      const ay = net.y[e.a]!;
      const bx = net.x[e.b]!;
      const by = net.y[e.b]!;
      waterways.forEach((w, wi) => {
        for (const part of w.parts) {
          for (let k = 0; k + 1 < part.length; k++) {
            const [cx, cy] = part[k]!;
            const [dx, dy] = part[k + 1]!;
            if (segmentsCross(ax, ay, bx, by, cx, cy, dx, dy)) {
              expect(e.bridge).toBe(true);
              bridged.add(wi);
            }
          }
        }
      });
    }
    expect(bridged.size).toBe(waterways.length);
  });

  it('places the densest mesh in the core', () => {
    const core = net.edges.filter((e) => e.level === 1).length;
    const rural = net.edges.filter((e) => e.level === 3).length;
    expect(core).toBeGreaterThan(300);
    expect(rural).toBeGreaterThan(core);
    expect(admin.urban.core.radius).toBeGreaterThan(1000);
  });

  it('is deterministic for a seed', () => {
    const again = build(11).net;
    expect(again.edges).toEqual(net.edges);
    expect(Array.from(again.x)).toEqual(Array.from(net.x));
  });
});
