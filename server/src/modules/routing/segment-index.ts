/**
 * Nearest road segment to a point: a static uniform grid of cells over the network in a local metric
 * projection, each cell listing the segments whose bounding box touches it, stored as CSR typed arrays
 * (cell start offsets + segment ids) like the graph itself.
 *
 * Why not a library: flatbush (the natural fit) is not among the project's dependencies, and a grid
 * of ~200 m cells answers a snap within a few hundred metres by looking at a handful of cells; it is
 * built in one pass, holds no object per segment, and needs no k-nearest machinery.
 */

const RAD = Math.PI / 180;
const METRES_PER_DEGREE = 6_371_008.8 * RAD;

export interface SegmentHit {
  /** the edge and the index of the segment's first vertex (into the flat coordinate array / 2) */
  edge: number;
  vertex: number;
  /** 0..1 along the segment */
  t: number;
  /** metres from the query point (local projection; within 0.1% over a county) */
  distanceM: number;
  lon: number;
  lat: number;
}

export class SegmentIndex {
  private constructor(
    private readonly coords: Float64Array,
    /** metres per degree of longitude at the network's middle latitude */
    private readonly kx: number,
    private readonly minLon: number,
    private readonly minLat: number,
    private readonly cellM: number,
    private readonly cols: number,
    private readonly rows: number,
    private readonly cellStart: Int32Array,
    private readonly cellSegment: Int32Array,
    /** per segment: its edge and first vertex */
    private readonly segmentEdge: Int32Array,
    private readonly segmentVertex: Int32Array,
  ) {}

  static build(
    coords: Float64Array,
    coordStart: Int32Array,
    include: (edge: number) => boolean,
    cellM = 200,
  ): SegmentIndex {
    const edgeCount = coordStart.length - 1;
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    for (let i = 0; i < coords.length; i += 2) {
      minLon = Math.min(minLon, coords[i]!);
      maxLon = Math.max(maxLon, coords[i]!);
      minLat = Math.min(minLat, coords[i + 1]!);
      maxLat = Math.max(maxLat, coords[i + 1]!);
    }
    if (!Number.isFinite(minLon)) [minLon, minLat, maxLon, maxLat] = [0, 0, 0, 0];
    const kx = METRES_PER_DEGREE * Math.cos(((minLat + maxLat) / 2) * RAD);
    const cols = Math.max(1, Math.ceil(((maxLon - minLon) * kx) / cellM) + 1);
    const rows = Math.max(1, Math.ceil(((maxLat - minLat) * METRES_PER_DEGREE) / cellM) + 1);

    const segEdge: number[] = [];
    const segVertex: number[] = [];
    for (let e = 0; e < edgeCount; e++) {
      if (!include(e)) continue;
      for (let v = coordStart[e]!; v < coordStart[e + 1]! - 1; v++) {
        segEdge.push(e);
        segVertex.push(v);
      }
    }
    const col = (lon: number) => Math.floor(((lon - minLon) * kx) / cellM);
    const row = (lat: number) => Math.floor(((lat - minLat) * METRES_PER_DEGREE) / cellM);
    // two passes over the segments' cell ranges: count, then fill
    const cellStart = new Int32Array(cols * rows + 1);
    const visit = (s: number, each: (cell: number) => void) => {
      const v = segVertex[s]!;
      const [x1, y1, x2, y2] = [coords[2 * v]!, coords[2 * v + 1]!, coords[2 * v + 2]!, coords[2 * v + 3]!];
      for (let r = row(Math.min(y1, y2)); r <= row(Math.max(y1, y2)); r++)
        for (let c = col(Math.min(x1, x2)); c <= col(Math.max(x1, x2)); c++) each(r * cols + c);
    };
    for (let s = 0; s < segEdge.length; s++) visit(s, (cell) => cellStart[cell + 1]!++);
    for (let i = 0; i < cols * rows; i++) cellStart[i + 1]! += cellStart[i]!;
    const fill = cellStart.slice(0, cols * rows);
    const cellSegment = new Int32Array(cellStart[cols * rows]!);
    for (let s = 0; s < segEdge.length; s++) visit(s, (cell) => (cellSegment[fill[cell]!++] = s));
    return new SegmentIndex(
      coords,
      kx,
      minLon,
      minLat,
      cellM,
      cols,
      rows,
      cellStart,
      cellSegment,
      Int32Array.from(segEdge),
      Int32Array.from(segVertex),
    );
  }

  /** The nearest included segment within `maxM` metres of the point, or undefined. */
  nearest(lon: number, lat: number, maxM: number): SegmentHit | undefined {
    const px = (lon - this.minLon) * this.kx;
    const py = (lat - this.minLat) * METRES_PER_DEGREE;
    const width = this.cols * this.cellM;
    const height = this.rows * this.cellM;
    const outside = Math.hypot(Math.max(0, -px, px - width), Math.max(0, -py, py - height));
    if (outside > maxM) return undefined;
    const pc = Math.floor(px / this.cellM);
    const pr = Math.floor(py / this.cellM);
    let best: SegmentHit | undefined;
    let bestD2 = maxM * maxM;
    const check = (cell: number) => {
      for (let i = this.cellStart[cell]!; i < this.cellStart[cell + 1]!; i++) {
        const s = this.cellSegment[i]!;
        const v = this.segmentVertex[s]!;
        const ax = (this.coords[2 * v]! - this.minLon) * this.kx;
        const ay = (this.coords[2 * v + 1]! - this.minLat) * METRES_PER_DEGREE;
        const bx = (this.coords[2 * v + 2]! - this.minLon) * this.kx;
        const by = (this.coords[2 * v + 3]! - this.minLat) * METRES_PER_DEGREE;
        const dx = bx - ax;
        const dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
        const qx = ax + t * dx;
        const qy = ay + t * dy;
        const d2 = (px - qx) ** 2 + (py - qy) ** 2;
        // ties go to the lower edge so the answer does not depend on the cell order
        if (d2 < bestD2 || (d2 === bestD2 && best && this.segmentEdge[s]! < best.edge)) {
          bestD2 = d2;
          best = {
            edge: this.segmentEdge[s]!,
            vertex: v,
            t,
            distanceM: 0,
            lon: this.minLon + qx / this.kx,
            lat: this.minLat + qy / METRES_PER_DEGREE,
          };
        }
      }
    };
    const maxRing = Math.ceil(maxM / this.cellM) + 1;
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let r = pr - ring; r <= pr + ring; r++) {
        if (r < 0 || r >= this.rows) continue;
        const edgeRow = r === pr - ring || r === pr + ring;
        for (let c = pc - ring; c <= pc + ring; c += edgeRow ? 1 : 2 * ring || 1) {
          if (c >= 0 && c < this.cols) check(r * this.cols + c);
        }
      }
      // every segment not looked at yet lies in a cell at least `ring` cells away
      if (best && Math.sqrt(bestD2) <= ring * this.cellM) break;
    }
    if (best) best.distanceM = Math.sqrt(bestD2);
    return best;
  }
}
