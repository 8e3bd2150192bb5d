/**
 * The generated world shared by the later stages (stations, enterprises, water sources): lookups from a
 * point to its unit grid and township, nearest road nodes, and synthetic street addresses.
 */
import type { AdminLayout, TownArea, VillageArea } from './admin.ts';
import { ringsXY } from './admin.ts';
import type { LocalProjection, XY } from './geo.ts';
import { shortVillageName } from './names.ts';
import type { Rng } from './prng.ts';
import type { DistrictInput } from './reference.ts';
import type { RoadNetwork } from './roads.ts';
import { BoxGrid, PolygonSetIndex } from './spatial.ts';
import type { UnitArea } from './units.ts';
import type { Waterway } from './waterways.ts';

export class World {
  readonly input: DistrictInput;
  readonly proj: LocalProjection;
  readonly admin: AdminLayout;
  readonly units: UnitArea[];
  readonly roads: RoadNetwork;
  readonly waterways: Waterway[];
  private readonly unitIndex: PolygonSetIndex;
  private readonly nodeGrid: BoxGrid;
  /** Degree of every road node in the local network (expressway nodes excluded). */
  readonly degree: Int32Array;
  /** Best street name at each node (null on unnamed village roads). */
  readonly nodeName: (string | null)[];
  /** 1 where an arterial or collector passes the node. */
  readonly major: Uint8Array;

  constructor(
    input: DistrictInput,
    proj: LocalProjection,
    admin: AdminLayout,
    units: UnitArea[],
    roads: RoadNetwork,
    waterways: Waterway[],
  ) {
    this.input = input;
    this.proj = proj;
    this.admin = admin;
    this.units = units;
    this.roads = roads;
    this.waterways = waterways;
    this.unitIndex = new PolygonSetIndex(
      units.map((u) => ringsXY(u.geometry, proj)),
      1000,
    );
    const n = roads.x.length;
    this.degree = new Int32Array(n);
    this.nodeName = new Array<string | null>(n).fill(null);
    this.major = new Uint8Array(n);
    const rank = (c: string): number =>
      ['street', 'collector', 'arterial', 'village', 'ramp', 'expressway'].indexOf(c);
    const best = new Int32Array(n).fill(99);
    for (const e of roads.edges) {
      if (e.cls === 'expressway' || e.cls === 'ramp') continue;
      for (const v of [e.a, e.b]) {
        this.degree[v]!++;
        if (e.cls === 'arterial' || e.cls === 'collector') this.major[v] = 1;
        if (e.name && rank(e.cls) < best[v]!) {
          best[v] = rank(e.cls);
          this.nodeName[v] = e.name;
        }
      }
    }
    this.nodeGrid = new BoxGrid(admin.districtIndex.bbox, 250);
    for (let v = 0; v < n; v++)
      if (this.degree[v]! > 0) this.nodeGrid.insert(v, roads.x[v]!, roads.y[v]!, roads.x[v]!, roads.y[v]!);
  }

  unitAt(x: number, y: number): UnitArea | null {
    const id = this.unitIndex.find(x, y);
    return id < 0 ? null : this.units[id]!;
  }

  townAt(x: number, y: number): TownArea | null {
    return this.unitAt(x, y)?.village.town ?? null;
  }

  villageAt(x: number, y: number): VillageArea | null {
    return this.unitAt(x, y)?.village ?? null;
  }

  /** Nearest local road node to (x, y) passing the filter, searching up to maxR metres; -1 if none. */
  nearestNode(x: number, y: number, maxR = 3000, filter?: (v: number) => boolean): number {
    for (let r = 200; r <= maxR * 2; r *= 2) {
      const rr = Math.min(r, maxR);
      let best = -1;
      let bestD = Infinity;
      for (const v of this.nodeGrid.query(x - rr, y - rr, x + rr, y + rr)) {
        if (filter && !filter(v)) continue;
        const d = (this.roads.x[v]! - x) ** 2 + (this.roads.y[v]! - y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = v;
        }
      }
      if (best >= 0 && Math.sqrt(bestD) <= rr) return best;
      if (rr >= maxR) return best;
    }
    return -1;
  }

  nodeXY(v: number): XY {
    return [this.roads.x[v]!, this.roads.y[v]!];
  }

  /** A synthetic address: 车桥镇车桥中街128号, or 车桥镇张庄村5组 off the named streets. */
  address(x: number, y: number, rng: Rng): string {
    const unit = this.unitAt(x, y);
    const town = unit?.village.town.def.name ?? this.input.name;
    const v = this.nearestNode(x, y, 400, (n) => this.nodeName[n] !== null);
    if (v >= 0 && this.nodeName[v]) {
      const d = Math.hypot(this.roads.x[v]! - x, this.roads.y[v]! - y);
      const road = this.nodeName[v]!;
      if (d < 300) return `${town}${road}${/[0-9]$/u.test(road) ? '线' : ''}${rng.int(1, 399)}号`;
    }
    const village = unit ? shortVillageName(unit.village.def.name) : '';
    return `${town}${village}${rng.int(1, 12)}组${rng.int(1, 60)}号`;
  }
}
