import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { ringsXY } from './admin.ts';
import { fixtureGeometry, FIXTURE_CENTRE } from './fixtures.ts';
import { LocalProjection } from './geo.ts';
import { areaM2, partitionPolygon } from './partition.ts';
import { assignSamples, powerCell, relaxPower, type Site } from './power.ts';
import { Rng } from './prng.ts';
import { gridSamples } from './sampling.ts';
import { PolygonIndex, PolygonSetIndex } from './spatial.ts';
import { apportion } from './units.ts';
import { validityError } from './validity.ts';

const proj = new LocalProjection(FIXTURE_CENTRE[0], FIXTURE_CENTRE[1]);

describe('power diagrams', () => {
  it('cells of equal weights are Voronoi cells: every point belongs to its nearest site', () => {
    const sites: Site[] = [
      { x: 0, y: 0, w: 0 },
      { x: 1000, y: 0, w: 0 },
      { x: 0, y: 1000, w: 0 },
    ];
    const cell = powerCell(sites, 0, [-2000, -2000, 3000, 3000]);
    const xs = cell.map((p) => p[0]);
    expect(Math.max(...xs)).toBeCloseTo(500, 6);
    // a larger weight moves the bisector away from the heavier site
    sites[0]!.w = 200_000;
    const bigger = powerCell(sites, 0, [-2000, -2000, 3000, 3000]);
    expect(Math.max(...bigger.map((p) => p[0]))).toBeCloseTo(600, 6);
  });

  it('relaxation reaches very different target capacities without losing a cell', () => {
    const idx = new PolygonIndex(ringsXY(fixtureGeometry(), proj));
    const ps = gridSamples(idx, 250, new Rng(1));
    const samples = { x: ps.x, y: ps.y, w: new Float64Array(ps.x.length).fill(1), cellArea: 250 * 250 };
    const sites: Site[] = [0, 1, 2, 3, 4, 5].map((k) => ({ x: ps.x[k * 97]!, y: ps.y[k * 97]!, w: 0 }));
    const targets = [1, 1, 2, 4, 8, 16];
    relaxPower(sites, samples, { iterations: 80, targets, move: sites.map(() => 0.8) });
    const owner = assignSamples(sites, samples);
    const got = targets.map((_, i) => owner.filter((o) => o === i).length / owner.length);
    const want = targets.map((t) => t / 32);
    got.forEach((g, i) => {
      expect(g).toBeGreaterThan(0);
      expect(Math.abs(g - want[i]!)).toBeLessThan(0.35 * want[i]! + 0.01);
    });
  });
});

describe('partitionPolygon', () => {
  it('tiles a concave MultiPolygon with a hole and an islet into valid, non-overlapping pieces', () => {
    const parent = fixtureGeometry();
    const idx = new PolygonIndex(ringsXY(parent, proj));
    const ps = gridSamples(idx, 300, new Rng(2));
    const sites: Site[] = Array.from({ length: 9 }, (_, k) => ({
      x: ps.x[k * 131]!,
      y: ps.y[k * 131]!,
      w: 0,
    }));
    relaxPower(
      sites,
      { x: ps.x, y: ps.y, w: new Float64Array(ps.x.length).fill(1), cellArea: 9e4 },
      {
        iterations: 30,
        targets: sites.map(() => 1),
        move: sites.map(() => 0.8),
      },
    );
    const pieces = partitionPolygon(parent, proj, sites, 'test');
    expect(pieces).toHaveLength(9);
    for (const p of pieces) expect(validityError(p)).toBeNull();
    // areas add up, up to the rounding of cut points to 6 decimals (slivers of a few m² each)
    const total = pieces.reduce((s, p) => s + areaM2(p, proj), 0);
    expect(Math.abs(total / areaM2(parent, proj) - 1)).toBeLessThan(1e-5);
    const turfTotal = pieces.reduce((s, p) => s + turf.area(turf.feature(p)), 0);
    expect(Math.abs(turfTotal / turf.area(turf.feature(parent)) - 1)).toBeLessThan(1e-5);
    // every sampled point of the parent lies in exactly one piece
    const set = new PolygonSetIndex(
      pieces.map((p) => ringsXY(p, proj)),
      1000,
    );
    const rng = new Rng(3);
    const [x0, y0, x1, y1] = idx.bbox;
    let inside = 0;
    for (let k = 0; k < 3000; k++) {
      const x = rng.range(x0, x1);
      const y = rng.range(y0, y1);
      const n = set.findAll(x, y).length;
      if (idx.contains(x, y)) {
        inside++;
        expect(n).toBe(1);
      } else expect(n).toBe(0);
    }
    expect(inside).toBeGreaterThan(1000);
  });

  it('apportion splits a total into integers that add up exactly', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    const parts = apportion(2347, [0.2, 0.31, 0.15, 0.34]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(2347);
  });
});
