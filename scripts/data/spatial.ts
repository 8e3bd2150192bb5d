/**
 * Spatial indexes for the generator: point-in-polygon with y-banded edge lists, a polygon-set lookup
 * (which of many polygons contains a point) and a uniform grid of segments. All work in planar
 * coordinates of any unit (the generator uses metres).
 */

type PointLike = ArrayLike<number>;

/** Point-in-polygon for a set of rings under the even-odd rule (valid Polygon / MultiPolygon rings). */
export class PolygonIndex {
  private readonly minY: number;
  private readonly bandH: number;
  private readonly bands: Float64Array[];
  readonly bbox: [number, number, number, number];

  constructor(rings: PointLike[][], bandsHint?: number) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let edgeCount = 0;
    for (const ring of rings) {
      for (const p of ring) {
        minX = Math.min(minX, p[0]!);
        maxX = Math.max(maxX, p[0]!);
        minY = Math.min(minY, p[1]!);
        maxY = Math.max(maxY, p[1]!);
      }
      edgeCount += ring.length;
    }
    this.bbox = [minX, minY, maxX, maxY];
    const nBands = Math.max(1, Math.min(4096, bandsHint ?? Math.ceil(edgeCount / 4)));
    this.minY = minY;
    this.bandH = (maxY - minY) / nBands || 1;
    const lists: number[][] = Array.from({ length: nBands }, () => []);
    for (const ring of rings) {
      const n = ring.length;
      for (let i = 0; i < n; i++) {
        const a = ring[i]!;
        const b = ring[(i + 1) % n]!;
        if (a[0] === b[0] && a[1] === b[1]) continue;
        const y0 = Math.min(a[1]!, b[1]!);
        const y1 = Math.max(a[1]!, b[1]!);
        const b0 = Math.max(0, Math.floor((y0 - minY) / this.bandH));
        const b1 = Math.min(nBands - 1, Math.floor((y1 - minY) / this.bandH));
        for (let k = b0; k <= b1; k++) lists[k]!.push(a[0]!, a[1]!, b[0]!, b[1]!);
      }
    }
    this.bands = lists.map((l) => Float64Array.from(l));
  }

  contains(x: number, y: number): boolean {
    const [minX, minY, maxX, maxY] = this.bbox;
    if (x < minX || x > maxX || y < minY || y > maxY) return false;
    const k = Math.min(this.bands.length - 1, Math.floor((y - this.minY) / this.bandH));
    const e = this.bands[k]!;
    let inside = false;
    for (let i = 0; i < e.length; i += 4) {
      const ay = e[i + 1]!;
      const by = e[i + 3]!;
      if (ay > y !== by > y) {
        const ax = e[i]!;
        const bx = e[i + 2]!;
        const xi = ax + ((y - ay) * (bx - ax)) / (by - ay);
        if (x < xi) inside = !inside;
      }
    }
    return inside;
  }
}

/** Which of many polygons (each a set of rings) contains a point; first match in id order wins. */
export class PolygonSetIndex {
  private readonly polys: PolygonIndex[];
  private readonly cell: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cells: Int32Array[];

  constructor(polygons: PointLike[][][], cellSize: number) {
    this.polys = polygons.map((rings) => new PolygonIndex(rings));
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const p of this.polys) {
      minX = Math.min(minX, p.bbox[0]);
      minY = Math.min(minY, p.bbox[1]);
      maxX = Math.max(maxX, p.bbox[2]);
      maxY = Math.max(maxY, p.bbox[3]);
    }
    this.cell = cellSize;
    this.minX = minX;
    this.minY = minY;
    this.nx = Math.max(1, Math.ceil((maxX - minX) / cellSize) + 1);
    this.ny = Math.max(1, Math.ceil((maxY - minY) / cellSize) + 1);
    const lists: number[][] = Array.from({ length: this.nx * this.ny }, () => []);
    this.polys.forEach((p, id) => {
      const [x0, y0, x1, y1] = p.bbox;
      const i0 = Math.floor((x0 - minX) / cellSize);
      const i1 = Math.floor((x1 - minX) / cellSize);
      const j0 = Math.floor((y0 - minY) / cellSize);
      const j1 = Math.floor((y1 - minY) / cellSize);
      for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) lists[j * this.nx + i]!.push(id);
    });
    this.cells = lists.map((l) => Int32Array.from(l));
  }

  /** Ids of every polygon containing (x, y), ascending. */
  findAll(x: number, y: number): number[] {
    const i = Math.floor((x - this.minX) / this.cell);
    const j = Math.floor((y - this.minY) / this.cell);
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return [];
    return Array.from(this.cells[j * this.nx + i]!).filter((id) => this.polys[id]!.contains(x, y));
  }

  /** Id of the containing polygon, or -1. */
  find(x: number, y: number): number {
    const i = Math.floor((x - this.minX) / this.cell);
    const j = Math.floor((y - this.minY) / this.cell);
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return -1;
    for (const id of this.cells[j * this.nx + i]!) if (this.polys[id]!.contains(x, y)) return id;
    return -1;
  }
}

/** Uniform grid of items with bounding boxes (segments, points); query returns candidate ids once each. */
export class BoxGrid {
  private readonly cell: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cells: number[][];
  private stamp: Int32Array;
  private tick = 0;

  constructor(bbox: [number, number, number, number], cellSize: number) {
    this.cell = cellSize;
    this.minX = bbox[0];
    this.minY = bbox[1];
    this.nx = Math.max(1, Math.ceil((bbox[2] - bbox[0]) / cellSize) + 1);
    this.ny = Math.max(1, Math.ceil((bbox[3] - bbox[1]) / cellSize) + 1);
    this.cells = Array.from({ length: this.nx * this.ny }, () => []);
    this.stamp = new Int32Array(1024);
  }

  private range(x0: number, y0: number, x1: number, y1: number): [number, number, number, number] {
    const c = this.cell;
    return [
      Math.max(0, Math.floor((x0 - this.minX) / c)),
      Math.max(0, Math.floor((y0 - this.minY) / c)),
      Math.min(this.nx - 1, Math.floor((x1 - this.minX) / c)),
      Math.min(this.ny - 1, Math.floor((y1 - this.minY) / c)),
    ];
  }

  insert(id: number, x0: number, y0: number, x1: number, y1: number): void {
    const [i0, j0, i1, j1] = this.range(
      Math.min(x0, x1),
      Math.min(y0, y1),
      Math.max(x0, x1),
      Math.max(y0, y1),
    );
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) this.cells[j * this.nx + i]!.push(id);
    if (id >= this.stamp.length) {
      const s = new Int32Array(Math.max(id + 1, this.stamp.length * 2));
      s.set(this.stamp);
      this.stamp = s;
    }
  }

  /** Ids whose cells overlap the box, each once, in ascending order. */
  query(x0: number, y0: number, x1: number, y1: number): number[] {
    const [i0, j0, i1, j1] = this.range(
      Math.min(x0, x1),
      Math.min(y0, y1),
      Math.max(x0, x1),
      Math.max(y0, y1),
    );
    this.tick++;
    if (this.tick === 0x7fffffff) {
      this.stamp.fill(0);
      this.tick = 1;
    }
    const out: number[] = [];
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        for (const id of this.cells[j * this.nx + i]!) {
          if (this.stamp[id] !== this.tick) {
            this.stamp[id] = this.tick;
            out.push(id);
          }
        }
      }
    }
    return out.sort((a, b) => a - b);
  }
}
