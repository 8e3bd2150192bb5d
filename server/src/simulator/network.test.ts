import { describe, expect, it } from 'vitest';
import { buildWalkNetwork, metres, seededRandom, Walker, type LonLat, type RoadFeature } from './network.ts';

/** A 6 × 6 street grid, 0.001° (≈ 100 m) apart, plus an expressway the walkers must not use. */
function gridRoads(): RoadFeature[] {
  const roads: RoadFeature[] = [];
  const id = (x: number, y: number) => y * 10 + x + 1;
  const at = (x: number, y: number): LonLat => [119 + x * 0.001, 33.5 + y * 0.001];
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 6; x++) {
      for (const [dx, dy] of [
        [1, 0],
        [0, 1],
      ] as const) {
        if (x + dx > 5 || y + dy > 5) continue;
        const a = at(x, y);
        const b = at(x + dx, y + dy);
        roads.push({
          geometry: { type: 'LineString', coordinates: [a, b] },
          properties: {
            source: id(x, y),
            target: id(x + dx, y + dy),
            length_m: metres(a, b),
            class: 'street',
          },
        });
      }
    }
  }
  roads.push({
    geometry: { type: 'LineString', coordinates: [at(0, 0), [119.5, 33.9]] },
    properties: { source: id(0, 0), target: 999, length_m: 50_000, class: 'expressway' },
  });
  return roads;
}

describe('simulated patrol walker', () => {
  it('builds an undirected walkable network without expressways', () => {
    const net = buildWalkNetwork(gridRoads());
    expect(net.nodes.size).toBe(36);
    expect(net.nodes.has(999)).toBe(false);
    // a corner has two streets, an inner node four
    expect(net.edges.get(1)).toHaveLength(2);
    expect(net.edges.get(23)).toHaveLength(4);
  });

  it('moves the distance asked along the streets, and the same seed walks the same way', () => {
    const walk = (seed: number) => {
      const net = buildWalkNetwork(gridRoads());
      const home = net.nodes.get(23)!;
      const w = new Walker(net, 23, home, 10_000, seededRandom(seed));
      const path: LonLat[] = [];
      for (let i = 0; i < 50; i++) {
        const before = w.position;
        w.advance(30);
        // straight-line displacement never exceeds the distance walked
        expect(metres(before, w.position)).toBeLessThanOrEqual(30.5);
        path.push(w.position);
      }
      return path;
    };
    const a = walk(7);
    expect(walk(7)).toEqual(a);
    expect(walk(8)).not.toEqual(a);
    // every position lies on a street of the grid: one coordinate on a grid line
    for (const [lon, lat] of a) {
      const onX = Math.abs((lon - 119) / 0.001 - Math.round((lon - 119) / 0.001)) < 1e-6;
      const onY = Math.abs((lat - 33.5) / 0.001 - Math.round((lat - 33.5) / 0.001)) < 1e-6;
      expect(onX || onY).toBe(true);
    }
  });

  it('stays nearer home on a short leash than without one', () => {
    const meanDistance = (leash: number) => {
      const net = buildWalkNetwork(gridRoads());
      const home = net.nodes.get(1)!;
      const w = new Walker(net, 1, home, leash, seededRandom(3));
      let sum = 0;
      for (let i = 0; i < 2000; i++) {
        w.advance(25);
        sum += metres(home, w.position);
      }
      return sum / 2000;
    };
    const leashed = meanDistance(150);
    const free = meanDistance(100_000);
    expect(leashed).toBeLessThan(250);
    expect(leashed).toBeLessThan(free * 0.7);
  });
});
