/**
 * Fire forces placed the way a county has them (DOMAIN.md, 5-minute fire circle):
 *  - 消防救援站 in the urban core: a class-1 station at the centre, a class-2 and a small station in the
 *    built-up area, and a standard station at the edge of built-up land;
 *  - a 政府专职消防队 in most town centres (not in the core subdistricts);
 *  - 防消联勤服务站 (skid-mounted joint stations) in the gaps: repeatedly at the village farthest, by road
 *    travel time, from every station so far;
 *  - 微型消防站 at communities and at high-risk enterprises (added after the enterprises exist).
 * Every station sits on a road node of the local network.
 */
import type { RescueStationClass, StationStatus, StationTier } from '../../shared/src/domain.ts';
import { dijkstra } from './graph.ts';
import { maskedLandline, maskedMobile, communityName, shortTownName, shortVillageName } from './names.ts';
import type { Rng } from './prng.ts';
import type { World } from './world.ts';

export interface Station {
  code: string;
  name: string;
  tier: StationTier;
  stationClass: RescueStationClass | null;
  status: StationStatus;
  crew: number;
  vehicles: number;
  node: number;
  gridCode: string | null;
  address: string;
  phone: string;
}

const CREW: Record<string, [number, number, number, number]> = {
  class1: [35, 45, 7, 9],
  class2: [26, 32, 5, 6],
  small: [20, 24, 4, 4],
  standard: [30, 40, 6, 8],
  fulltime_team: [8, 15, 2, 3],
  joint_station: [4, 6, 1, 2],
  micro_station: [3, 8, 0, 1],
};

/** Travel time in seconds of every edge of the network (two-way unless one-way). */
export function edgeSeconds(world: World): Float64Array {
  const { x, y, edges } = world.roads;
  return Float64Array.from(edges, (e) => Math.hypot(x[e.b]! - x[e.a]!, y[e.b]! - y[e.a]!) / (e.speed / 3.6));
}

export function networkGraph(world: World): { n: number; a: Int32Array; b: Int32Array; oneway: Uint8Array } {
  const e = world.roads.edges;
  return {
    n: world.roads.x.length,
    a: Int32Array.from(e, (r) => r.a),
    b: Int32Array.from(e, (r) => r.b),
    oneway: Uint8Array.from(e, (r) => (r.oneway ? 1 : 0)),
  };
}

export class StationBuilder {
  readonly stations: Station[] = [];
  private readonly world: World;
  private readonly rng: Rng;
  private readonly usedNodes = new Set<number>();
  private readonly usedNames = new Set<string>();
  private readonly serial: Record<string, number> = {};

  constructor(world: World, rng: Rng) {
    this.world = world;
    this.rng = rng;
  }

  private uniqueName(name: string, fallbackPrefix: string): string {
    let n = name;
    if (this.usedNames.has(n)) n = fallbackPrefix + name;
    let k = 2;
    while (this.usedNames.has(n)) n = `${name.replace(/(站|队)$/u, '')}${k++}${name.slice(-1)}`;
    this.usedNames.add(n);
    return n;
  }

  add(
    tier: StationTier,
    stationClass: RescueStationClass | null,
    node: number,
    name: string,
    rng: Rng,
  ): Station {
    const w = this.world;
    const [x, y] = w.nodeXY(node);
    const unit = w.unitAt(x, y);
    const prefix = { rescue_station: 'R', fulltime_team: 'F', joint_station: 'J', micro_station: 'M' }[tier];
    this.serial[prefix] = (this.serial[prefix] ?? 0) + 1;
    const [c0, c1, v0, v1] = CREW[stationClass ?? tier]!;
    const town = unit?.village.town.def.name ?? w.input.name;
    const s: Station = {
      code: `ST${w.input.code}-${prefix}${String(this.serial[prefix]).padStart(tier === 'micro_station' ? 3 : 2, '0')}`,
      name: this.uniqueName(name, shortTownName(town)),
      tier,
      stationClass,
      status: 'available',
      crew: rng.int(c0, c1),
      vehicles: rng.int(v0, v1),
      node,
      gridCode: unit ? unitGridCode(unit.village.def.code, unit.index) : null,
      address: w.address(x, y, rng),
      phone: tier === 'micro_station' ? maskedMobile(rng) : maskedLandline(rng, w.input.phoneAreaCode),
    };
    this.stations.push(s);
    this.usedNodes.add(node);
    return s;
  }

  private freeNode(x: number, y: number, maxR: number, extra?: (v: number) => boolean): number {
    const w = this.world;
    return w.nearestNode(
      x,
      y,
      maxR,
      (v) => w.degree[v]! >= 2 && !this.usedNodes.has(v) && (!extra || extra(v)),
    );
  }

  /** Rescue stations in the core, full-time teams in town centres, joint stations in the gaps. */
  placeForces(): void {
    const w = this.world;
    const rng = this.rng.fork('forces');
    const urban = w.admin.urban;
    const core = urban.core;
    const R = core.radius;
    const coreTown = w.admin.towns.find((t) => t.def.code === core.townCode)!;
    const coreShort = shortTownName(coreTown.def.name);
    const inCore = (v: number): boolean => urban.zoneAt(w.roads.x[v]!, w.roads.y[v]!).level === 1;
    const inFringe = (v: number): boolean => {
      const z = urban.zoneAt(w.roads.x[v]!, w.roads.y[v]!);
      return z.level === 2 && z.centre === 0;
    };
    // class 1 at the centre, on a main road
    const c1 = this.freeNode(core.x, core.y, 1500, (v) => w.major[v] === 1 && inCore(v));
    this.add(
      'rescue_station',
      'class1',
      c1 >= 0 ? c1 : this.freeNode(core.x, core.y, 3000),
      `${coreShort}消防救援站`,
      rng,
    );
    // class 2 and small: inside the core, as far as possible from the stations already there
    const farFromStations = (cands: number[]): number => {
      let best = -1;
      let bestD = -1;
      for (const v of cands) {
        const d = Math.min(
          ...this.stations.map((s) =>
            Math.hypot(w.roads.x[v]! - w.roads.x[s.node]!, w.roads.y[v]! - w.roads.y[s.node]!),
          ),
        );
        if (d > bestD) {
          bestD = d;
          best = v;
        }
      }
      return best;
    };
    // keep stations off the district edge: most of the 1.2 km around them should be inside the district
    const idx = w.admin.districtIndex;
    const central = (v: number): boolean => {
      let inside = 0;
      for (let a = 0; a < 8; a++) {
        if (
          idx.contains(
            w.roads.x[v]! + 1200 * Math.cos((a * Math.PI) / 4),
            w.roads.y[v]! + 1200 * Math.sin((a * Math.PI) / 4),
          )
        )
          inside++;
      }
      return inside >= 7;
    };
    const ring = (r0: number, r1: number, pred: (v: number) => boolean): number[] => {
      const out: number[] = [];
      for (let v = 0; v < w.roads.x.length; v++) {
        if (w.degree[v]! < 3 || this.usedNodes.has(v) || !pred(v) || !central(v)) continue;
        const d = Math.hypot(w.roads.x[v]! - core.x, w.roads.y[v]! - core.y);
        if (d >= r0 && d <= r1) out.push(v);
      }
      return out;
    };
    const named = (v: number, suffix: string): string => {
      const t = w.townAt(w.roads.x[v]!, w.roads.y[v]!);
      const nm = w.nodeName[v];
      const base =
        t && t.def.code !== core.townCode
          ? shortTownName(t.def.name)
          : nm
            ? nm.replace(/(大道|路|街|巷)$/u, '')
            : coreShort;
      return `${base}${suffix}`;
    };
    const v2 = farFromStations(ring(0.45 * R, 0.7 * R, (v) => inCore(v) && w.major[v] === 1));
    if (v2 >= 0) this.add('rescue_station', 'class2', v2, named(v2, '消防救援站'), rng);
    const vs = farFromStations(ring(0.3 * R, 0.55 * R, inCore));
    if (vs >= 0) this.add('rescue_station', 'small', vs, named(vs, '消防救援站'), rng);
    const vstd = farFromStations(ring(R, R + 1200, (v) => inFringe(v) && w.major[v] === 1));
    if (vstd >= 0) this.add('rescue_station', 'standard', vstd, named(vstd, '消防救援站'), rng);

    // full-time teams in most town centres: not where a rescue station is close, and not quite everywhere
    const teamRng = rng.fork('teams');
    const rescue = this.stations.map((s) => w.nodeXY(s.node));
    for (const t of w.admin.towns) {
      if (t.coreGroup || t.centreIndex < 0) continue;
      const c = urban.centres[t.centreIndex]!;
      const nearRescue = rescue.some(([x, y]) => Math.hypot(x - c.x, y - c.y) < 4000);
      if (nearRescue || (c.kind !== 'park' && teamRng.chance(0.12))) continue;
      const near = this.freeNode(
        t.centre[0] + teamRng.range(-300, 300),
        t.centre[1] + teamRng.range(-300, 300),
        1200,
        (v) => w.major[v] === 1,
      );
      const v = near >= 0 ? near : this.freeNode(t.centre[0], t.centre[1], 3000);
      if (v < 0) continue;
      const tn = t.def.name.replace(/（.*?）/gu, '');
      this.add('fulltime_team', null, v, `${tn}政府专职消防队`, teamRng);
    }

    // joint stations where the road network is farthest from every station
    const area = w.admin.districtAreaM2 / 1e6;
    const count = Math.max(6, Math.min(10, Math.round(area / 180)));
    const g = networkGraph(w);
    const cost = edgeSeconds(w);
    const jRng = rng.fork('joint');
    const candidates = w.admin.villages
      .filter((v) => v.def.kind !== 'community')
      .map((v) => ({ v, node: this.freeNode(v.centre[0], v.centre[1], 1500) }))
      .filter((c) => c.node >= 0);
    for (let k = 0; k < count && candidates.length > 0; k++) {
      const dist = dijkstra(
        g,
        cost,
        this.stations.map((s) => s.node),
      );
      let best = -1;
      let bestT = -1;
      candidates.forEach((c, i) => {
        const t = dist[c.node]!;
        if (Number.isFinite(t) && !this.usedNodes.has(c.node) && t > bestT) {
          bestT = t;
          best = i;
        }
      });
      if (best < 0) break;
      const { v, node } = candidates[best]!;
      candidates.splice(best, 1);
      this.add(
        'joint_station',
        null,
        node,
        `${shortVillageName(v.def.name).replace(/村$/u, '')}防消联勤服务站`,
        jRng,
      );
    }
  }

  /** Micro stations at every community and at the high-risk enterprises given. */
  placeMicro(highRisk: readonly { x: number; y: number; name: string }[]): void {
    const w = this.world;
    const rng = this.rng.fork('micro');
    for (const v of w.admin.villages) {
      if (v.def.kind !== 'community') continue;
      const node = this.freeNode(v.centre[0], v.centre[1], 1500);
      if (node < 0) continue;
      this.add('micro_station', null, node, `${communityName(v.def.name)}微型消防站`, rng);
    }
    for (const e of highRisk) {
      const node = this.freeNode(e.x, e.y, 800);
      if (node < 0) continue;
      this.add(
        'micro_station',
        null,
        node,
        `${e.name.replace(/(有限责任公司|有限公司|股份有限公司)$/u, '')}微型消防站`,
        rng,
      );
    }
  }

  /** A few busy stations and one to three out of service. */
  setStatuses(): void {
    const rng = this.rng.fork('status');
    for (const s of this.stations) if (rng.chance(0.05)) s.status = 'busy';
    const pool = this.stations.filter(
      (s) => s.tier === 'micro_station' || s.tier === 'joint_station' || s.tier === 'fulltime_team',
    );
    const k = rng.int(1, 3);
    for (const s of rng.shuffle([...pool]).slice(0, k)) s.status = 'out_of_service';
  }
}

export function unitGridCode(villageCode: string, index: number): string {
  return `G${villageCode}-${String(index).padStart(2, '0')}`;
}
