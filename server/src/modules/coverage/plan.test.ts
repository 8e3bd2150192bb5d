/**
 * The planner's figures on hand-made land with known answers: a straight street across a rectangle
 * of county, stations and hydrants placed along it.
 */
import { describe, expect, it } from 'vitest';
import { buildRoadGraph, type RoadEdges } from '../routing/graph.ts';
import { RoutingEngine } from '../routing/engine.ts';
import { roadCover, spacingGaps } from './hydrants.ts';
import { buildLand } from './land.ts';
import {
  addWindow,
  cellWeights,
  compareCircle,
  districtVerdict,
  gapRows,
  greedySiting,
  paintReach,
  serviceDistricts,
  type PlanForce,
} from './plan.ts';
import type { GridShapeRow } from './repo.ts';

const LAT0 = 33.5;
const M_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180);
const M_LAT = 110_574;
/** (x, y) metres east and north of (119, 33.5) as [lon, lat] */
const at = (x: number, y: number): [number, number] => [119 + x / M_LON, LAT0 + y / M_LAT];

/** A two-way street along y = 500 from x = 0 to x = lengthM, one edge per 100 m taking `secondsPer100` each way. */
function street(lengthM: number, secondsPer100: number): RoutingEngine {
  const n = lengthM / 100;
  const coords: number[] = [];
  const coordStart = [0];
  for (let i = 0; i < n; i++) {
    coords.push(...at(i * 100, 500), ...at((i + 1) * 100, 500));
    coordStart.push(coords.length / 2);
  }
  const f = (pick: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => pick(i));
  const edges: RoadEdges = {
    id: f((i) => i + 1),
    source: f((i) => i + 1),
    target: f((i) => i + 2),
    costS: f(() => secondsPer100),
    reverseCostS: f(() => secondsPer100),
    lengthM: f(() => 100),
    roadClass: new Uint8Array(n).fill(4),
    name: Array.from({ length: n }, () => '示意路'),
    coords: Float64Array.from(coords),
    coordStart: Int32Array.from(coordStart),
  };
  return new RoutingEngine(buildRoadGraph(edges));
}

const rectangle = (w: number, h: number) =>
  JSON.stringify({
    type: 'MultiPolygon',
    coordinates: [[[at(0, 0), at(w, 0), at(w, h), at(0, h), at(0, 0)]]],
  });

const unitGrid = (code: string, x0: number, x1: number, population: number): GridShapeRow => ({
  code,
  name: code,
  level: 'unit',
  parent_code: null,
  admin_code: '320803001001',
  population,
  households: population / 2,
  geojson: JSON.stringify({
    type: 'MultiPolygon',
    coordinates: [[[at(x0, 0), at(x1, 0), at(x1, 1000), at(x0, 1000), at(x0, 0)]]],
  }),
});

const county = (w: number, grids: GridShapeRow[] = []) =>
  buildLand({ code: '320803', name: '示意县', geojson: rectangle(w, 1000) }, grids, 50);

describe('service districts and the 建标152-2017 verdicts', () => {
  it('splits a street between two stations where their times meet, with the district areas and edge times', () => {
    // 4 km × 1 km; stations at 500 m and 3,000 m: they meet at 1,750 m
    const engine = street(4000, 10);
    const land = county(4000);
    const a = engine.snap(...at(500, 500), 50)!;
    const b = engine.snap(...at(3000, 500), 50)!;
    const { figures } = serviceDistricts(land, engine, [a, b]);
    const [da, db] = figures;
    expect(da!.areaKm2).toBeCloseTo(1.75, 1);
    expect(db!.areaKm2).toBeCloseTo(2.25, 1);
    expect(da!.areaKm2 + db!.areaKm2).toBeCloseTo(4, 1);
    // both reach the meeting point, 1,250 m from A and from B, in 125 s: the edge of both districts
    expect(da!.edgeDriveS).toBeCloseTo(125, -1);
    expect(db!.edgeDriveS).toBeCloseTo(125, -1);

    // a small station may have 2 km²: A passes, B fails on area; both reach their edge in 1 + 125/60 min
    const va = districtVerdict('small', da!.areaKm2, da!.edgeDriveS, 1);
    const vb = districtVerdict('small', db!.areaKm2, db!.edgeDriveS, 1);
    expect(va.pass).toBe(true);
    expect(vb.pass).toBe(false);
    expect(vb.area).toMatchObject({ maxKm2: 2, pass: false });
    expect(vb.edge).toMatchObject({ maxMinutes: 5, pass: true });
    expect(vb.reasons).toEqual([expect.stringMatching(/exceeds 2 km² for a small station/)]);
    expect(districtVerdict('class2', db!.areaKm2, db!.edgeDriveS, 1).pass).toBe(true);
  });

  it('fails a district whose farthest road is more than 5 minutes from the order', () => {
    // one station at the west end of a slow 4 km street: 30 s per 100 m, 20 minutes to the far end
    const engine = street(4000, 30);
    const land = county(4000);
    const { figures } = serviceDistricts(land, engine, [engine.snap(...at(0, 500), 50)!]);
    expect(figures[0]!.areaKm2).toBeCloseTo(4, 1);
    expect(figures[0]!.edgeDriveS).toBeCloseTo(1200, 0);
    const v = districtVerdict('class1', figures[0]!.areaKm2, figures[0]!.edgeDriveS, 1);
    expect(v.area.pass).toBe(true);
    expect(v.edge).toEqual({ minutes: 21, maxMinutes: 5, pass: false });
    expect(v.pass).toBe(false);
    expect(v.reasons).toEqual([
      expect.stringMatching(/21 min from the order \(1 min turnout \+ 20 min driving\)/),
    ]);
  });
});

describe('road reach beside the circle, and gaps per grid', () => {
  it('reaches along the street as far as the minutes allow, partial edges included', () => {
    // 10 s per 100 m: 240 s of driving from the middle reach 2,400 m each way, i.e. the whole 4 km street
    const engine = street(8000, 10);
    const land = county(8000);
    const snap = engine.snap(...at(4000, 500), 50)!;
    const reach = paintReach(land, engine, snap, 125, 100);
    // 1,250 m each way, widened 100 m each side: 2,500 m × 200 m plus the rounded ends
    const expected = (2500 * 200 + Math.PI * 100 * 100) / 1e6;
    expect(reach.cells * 0.0025).toBeCloseTo(expected, 1);
    expect(reach.nodes.length).toBe(25); // nodes at 2,800 ... 5,200 m
  });

  it('says how much of the circle the road does not reach', () => {
    const engine = street(8000, 10);
    const land = county(8000);
    const force: PlanForce = {
      code: 'F1',
      name: 'F1',
      tier: 'rescue_station',
      station_class: 'class1',
      status: 'available',
      village_code: '320803001001',
      ...{ lon: at(4000, 500)[0], lat: at(4000, 500)[1] },
    };
    const reach = paintReach(land, engine, engine.snap(force.lon, force.lat, 50)!, 240);
    const c = compareCircle(land, force, reach);
    // the 1,429 m circle over a 1 km-high county: a band of the circle; the street's 200 m strip is reached
    expect(c.circleRadiusM).toBe(1429);
    expect(c.circleKm2).toBeGreaterThan(2.5);
    expect(c.reachKm2).toBeGreaterThan(0.9); // 4.8 km × 200 m, cut to the county
    expect(c.overstatedKm2).toBeCloseTo(c.circleKm2 - (2 * 1429 * 200) / 1e6, 1);
    expect(c.overstatedPct).toBeGreaterThan(70);
  });

  it('counts the people of each unit grid left outside the reach', () => {
    const engine = street(4000, 10);
    // two unit grids: west half (x < 2,000) with 1,000 people, east half with 3,000
    const land = county(4000, [unitGrid('G1', 0, 2000, 1000), unitGrid('G2', 2000, 4000, 3000)]);
    const reach = paintReach(land, engine, engine.snap(...at(500, 500), 50)!, 100, 100);
    const byRoad = new Uint8Array(land.frame.cells.length);
    for (let i = 0; i < reach.window.cells.length; i++)
      if (reach.window.cells[i]) {
        const col = (i % reach.window.cols) + reach.window.col0;
        const row = Math.floor(i / reach.window.cols) + reach.window.row0;
        byRoad[col + row * land.frame.cols] = 1;
      }
    const rows = gapRows(
      land,
      {
        byRoad,
        byCircle: new Uint8Array(byRoad.length),
        enterprises: [{ code: 'E1', risk: 'red', ...{ lon: at(3500, 900)[0], lat: at(3500, 900)[1] } }],
        hazards: [{ code: '1', lon: at(500, 500)[0], lat: at(500, 500)[1] }],
      },
      'unit',
    );
    const g1 = rows.find((r) => r.code === 'G1')!;
    const g2 = rows.find((r) => r.code === 'G2')!;
    // 1,000 m of street from 0 to 1,500 m... the reach is 0..1,500 m × 200 m (+ the rounded east end) of G1's 2 km²
    const reachedKm2 = (1500 * 200 + (Math.PI * 100 * 100) / 2) / 1e6;
    expect(g1.areaKm2).toBeCloseTo(2, 1);
    expect(g1.uncoveredKm2).toBeCloseTo(2 - reachedKm2, 1);
    expect(g1.uncoveredPopulation).toBeCloseTo(1000 * (1 - reachedKm2 / 2), -1);
    expect(g2.uncoveredPopulation).toBe(3000);
    expect(g2.uncoveredPct).toBe(100);
    expect(g2.uncoveredEnterprises.red).toBe(1);
    expect(g1.openHazards).toBe(1);
    expect(g1.uncoveredOpenHazards).toBe(0);
    expect(g1.uncoveredPopulationByCircle).toBe(1000);
  });
});

describe('hydrant gaps (GB 50974-2014)', () => {
  // a 1 km street with hydrants at 0, 300 and 600 m
  const engine = street(1000, 10);
  const hydrants = [0, 300, 600].map((x, i) => ({ code: `H${i}`, lon: at(x, 500)[0], lat: at(x, 500)[1] }));

  it('measures the road farther than 150 m from every hydrant', () => {
    const cover = roadCover(engine, hydrants);
    expect(cover.roadM).toBeCloseTo(1000, 0);
    expect(cover.uncoveredM).toBeCloseTo(250, 0); // 750 … 1,000 m
    expect(cover.lines).toHaveLength(1);
    expect(cover.lines[0]![0]![0]).toBeCloseTo(at(750, 500)[0], 6);
    expect(cover.lines[0]!.at(-1)![0]).toBeCloseTo(at(1000, 500)[0], 6);
  });

  it('says what goes uncovered when one hydrant is out of service', () => {
    const without = roadCover(engine, [hydrants[0]!, hydrants[2]!], 150, { within: hydrants[1] });
    // H1 protected 150 … 450 m alone
    expect(without.roadM).toBeCloseTo(300, 0);
    expect(without.uncoveredM).toBeCloseTo(300, 0);
    expect(roadCover(engine, [hydrants[0]!, hydrants[2]!]).uncoveredM).toBeCloseTo(550, 0);
  });

  it('finds hydrants spaced more than 120 m apart along the road', () => {
    const gaps = spacingGaps(engine, hydrants, 50);
    expect(gaps.map((g) => [g.code, g.nearestM])).toEqual([
      ['H0', 300],
      ['H1', 300],
      ['H2', 300],
    ]);
    const close = [0, 100, 200].map((x, i) => ({ code: `C${i}`, lon: at(x, 500)[0], lat: at(x, 500)[1] }));
    expect(spacingGaps(engine, close, 50)).toEqual([]);
  });
});

describe('siting', () => {
  it('puts the first new station where it covers most people, the next where most are still left', () => {
    // an 8 km street over four unit grids of 2 km each, people 100 / 5,000 / 200 / 3,000 from west to east
    const engine = street(8000, 10);
    const land = county(8000, [
      unitGrid('G1', 0, 2000, 100),
      unitGrid('G2', 2000, 4000, 5000),
      unitGrid('G3', 4000, 6000, 200),
      unitGrid('G4', 6000, 8000, 3000),
    ]);
    // candidates every kilometre; a reach of 60 s is 600 m of street each way, all inside one grid
    const candidates = [500, 1000, 3000, 5000, 7000].map((x) => engine.snap(...at(x, 500), 50)!);
    const reaches = candidates.map((c) => paintReach(land, engine, c, 60).window);
    const weights = cellWeights(land, [{ risk: 'red', ...{ lon: at(1000, 500)[0], lat: at(1000, 500)[1] } }]);
    const covered = new Uint8Array(land.frame.cells.length);
    const steps = greedySiting(land, covered, reaches, 3, weights, 'population');
    expect(steps.map((s) => s.candidate)).toEqual([2, 4, 3]); // G2, then G4, then G3
    expect(steps[0]!.gainPopulation).toBeGreaterThan(steps[1]!.gainPopulation);
    expect(steps[1]!.gainPopulation).toBeGreaterThan(steps[2]!.gainPopulation);
    // the input mask is left alone
    expect(covered.every((v) => v === 0)).toBe(true);
    // for high-risk enterprises, the one at 1 km is found first
    expect(greedySiting(land, covered, reaches, 1, weights, 'high_risk')[0]!.candidate).toBe(1);
  });

  it('chooses what computing every candidate again at every step chooses, ties to the earlier one', () => {
    // candidates every 250 m with reaches of 600 m each way: they overlap, so gains shrink step by step
    const engine = street(8000, 10);
    const land = county(8000, [
      unitGrid('G1', 0, 2000, 900),
      unitGrid('G2', 2000, 4000, 5000),
      unitGrid('G3', 4000, 6000, 900),
      unitGrid('G4', 6000, 8000, 3000),
    ]);
    const xs = Array.from({ length: 31 }, (_, i) => 250 + 250 * i);
    const reaches = xs.map((x) => paintReach(land, engine, engine.snap(...at(x, 500), 50)!, 60).window);
    const weights = cellWeights(land, []);
    const covered = new Uint8Array(land.frame.cells.length);
    // the plain greedy: every unused candidate's gain from the mask it would leave, every step
    const plain: number[] = [];
    const now = covered.slice();
    for (let step = 0; step < 8; step++) {
      let best = -1;
      let bestGain = 0;
      reaches.forEach((w, c) => {
        if (plain.includes(c)) return;
        const after = now.slice();
        addWindow(after, land.frame.cols, w);
        let g = 0;
        for (let i = 0; i < after.length; i++)
          if (after[i] && !now[i] && land.inArea[i]) g += weights.population[i]!;
        if (g > bestGain) [best, bestGain] = [c, g];
      });
      if (best < 0) break;
      plain.push(best);
      addWindow(now, land.frame.cols, reaches[best]!);
    }
    const lazy = greedySiting(land, covered, reaches, 8, weights, 'population').map((s) => s.candidate);
    expect(plain.length).toBe(8);
    expect(lazy).toEqual(plain);
  });
});
