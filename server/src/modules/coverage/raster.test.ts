import { describe, expect, it } from 'vitest';
import {
  cellAt,
  cellsKm2,
  countCells,
  createRaster,
  paintDisc,
  paintLine,
  paintPolygon,
  parentIndex,
  polygons,
  windowOf,
} from './raster.ts';

const LAT0 = 33.5;
const M_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180);
const M_LAT = 110_574;
/** (x, y) metres east and north of (119, 33.5) as [lon, lat] */
const at = (x: number, y: number): [number, number] => [119 + x / M_LON, LAT0 + y / M_LAT];

function ringArea(ring: [number, number][]) {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++)
    a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a / 2;
}

describe('raster', () => {
  // 2 km × 2 km at 50 m cells
  const frame = () => createRaster([...at(0, 0), ...at(2000, 2000)] as [number, number, number, number], 50);

  it('paints a disc with the area of the circle', () => {
    const r = frame();
    paintDisc(r, ...at(1000, 1000), 500);
    const km2 = cellsKm2(
      r,
      countCells(r, (v) => v === 1),
    );
    expect(km2).toBeCloseTo(Math.PI * 0.25, 1); // 0.785 km²
  });

  it('paints a line widened on both sides, ends rounded', () => {
    const r = frame();
    const line = [...at(500, 1000), ...at(1500, 1000)];
    paintLine(r, line, 0, 2, 100);
    // a 1,000 m × 200 m band plus two half discs of 100 m
    const expected = (1000 * 200 + Math.PI * 100 * 100) / 1e6;
    expect(
      cellsKm2(
        r,
        countCells(r, (v) => v === 1),
      ),
    ).toBeCloseTo(expected, 1);
    expect(r.cells[cellAt(r, ...at(1000, 1080))]).toBe(1);
    expect(r.cells[cellAt(r, ...at(1000, 1130))]).toBe(0);
  });

  it('fills a polygon with a hole by the even-odd rule', () => {
    const r = frame();
    const square = (x0: number, y0: number, x1: number, y1: number) => [
      at(x0, y0),
      at(x1, y0),
      at(x1, y1),
      at(x0, y1),
      at(x0, y0),
    ];
    paintPolygon(r, [square(200, 200, 1800, 1800), square(800, 800, 1200, 1200)]);
    expect(
      cellsKm2(
        r,
        countCells(r, (v) => v === 1),
      ),
    ).toBeCloseTo(1.6 * 1.6 - 0.4 * 0.4, 2);
    expect(r.cells[cellAt(r, ...at(1000, 1000))]).toBe(0);
    expect(r.cells[cellAt(r, ...at(500, 500))]).toBe(1);
  });

  it('traces painted cells back into polygons: outer rings counterclockwise, holes clockwise', () => {
    const r = frame();
    paintDisc(r, ...at(1000, 1000), 600);
    paintDisc(r, ...at(1000, 1000), 200, 0);
    const shape = polygons(r, (v) => v === 1);
    expect(shape).toHaveLength(1);
    const [outer, hole] = shape[0]!;
    expect(shape[0]).toHaveLength(2);
    expect(ringArea(outer!)).toBeGreaterThan(0);
    expect(ringArea(hole!)).toBeLessThan(0);
    // the ring's area in km² is close to the cell count's
    const km2 = (ring: [number, number][]) => (Math.abs(ringArea(ring)) * M_LON * M_LAT) / 1e6;
    const drawn = km2(outer!) - km2(hole!);
    const counted = cellsKm2(
      r,
      countCells(r, (v) => v === 1),
    );
    expect(Math.abs(drawn - counted) / counted).toBeLessThan(0.05);
  });

  it('windows sit on the parent’s cells', () => {
    const r = frame();
    const w = windowOf(r, [...at(1000, 1000), ...at(1400, 1200)] as [number, number, number, number]);
    expect(w.cols).toBeGreaterThanOrEqual(8);
    expect(w.rows).toBeGreaterThanOrEqual(4);
    paintDisc(w, ...at(1225, 1125), 30);
    let painted = 0;
    for (let i = 0; i < w.cells.length; i++)
      if (w.cells[i]) {
        painted++;
        expect(parentIndex(w, r.cols, i)).toBe(cellAt(r, ...at(1225, 1125)));
      }
    expect(painted).toBe(1);
  });
});
