/**
 * Fire water sources:
 *  - municipal hydrants along urban streets, one per ~100 m street segment (GB 50974-2014 §7.2.5: at
 *    most 120 m apart, protection radius 150 m): on every other street line in the core and every other
 *    main line in the town centres, plus all arterials and collectors there; some stretches are left
 *    without hydrants and a few hydrants are weak (< 15 L/s, GB 50974 §7.2.6) or out of service;
 *  - fire pools (消防水池) in villages far from any hydrant;
 *  - natural intakes (取水点) along the waterways every 2–3 km where a road comes close;
 *  - a few fire cranes (消防水鹤) on main roads in the core and the largest town centres.
 */
import type { WaterSourceKind, WaterSourceStatus } from '../../shared/src/domain.ts';
import { HYDRANT_MIN_FLOW_LPS } from '../../shared/src/standards.ts';
import type { XY } from './geo.ts';
import { shortVillageName } from './names.ts';
import type { Rng } from './prng.ts';
import { BoxGrid } from './spatial.ts';
import type { World } from './world.ts';

export interface WaterSource {
  code: string;
  name: string | null;
  kind: WaterSourceKind;
  flowLps: number;
  pressureMpa: number | null;
  capacityM3: number | null;
  status: WaterSourceStatus;
  lastInspectedAt: string | null;
  x: number;
  y: number;
}

/** An ISO date in 2026 between 5 January and 20 November. */
function inspectionDate(rng: Rng): string {
  const start = Date.UTC(2026, 0, 5);
  const end = Date.UTC(2026, 10, 20);
  const t = start + Math.floor(rng.next() * ((end - start) / 86400000 + 1)) * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

function status(rng: Rng): WaterSourceStatus {
  const r = rng.next();
  return r < 0.05 ? 'out_of_service' : r < 0.07 ? 'under_repair' : 'in_service';
}

const round = (v: number, d: number): number => Math.round(v * 10 ** d) / 10 ** d;

export function buildWaterSources(world: World, rng: Rng): WaterSource[] {
  const out: WaterSource[] = [];
  const code = (prefix: string, n: number, width: number): string =>
    `WS${world.input.code}-${prefix}${String(n).padStart(width, '0')}`;
  const { x: nx, y: ny, edges } = world.roads;

  // ---- hydrants: group urban edges by lattice line, walk each line in order
  const hrng = rng.fork('hydrants');
  const lines = new Map<string, number[]>();
  edges.forEach((e, k) => {
    if (e.level === 0 || e.level === 3 || e.centre < 0) return;
    const core = e.level === 1;
    const main = e.cls === 'arterial' || e.cls === 'collector';
    const wanted = main || (core ? e.lineIdx % 2 === 0 : e.lineIdx % 4 === 0);
    if (!wanted) return;
    const key = `${e.centre}:${e.line}`;
    let l = lines.get(key);
    if (!l) lines.set(key, (l = []));
    l.push(k);
  });
  let hn = 0;
  for (const key of [...lines.keys()].sort()) {
    const ks = lines.get(key)!.sort((p, q) => edges[p]!.pos - edges[q]!.pos || p - q);
    // a stretch without hydrants on about one line in eight
    let gapFrom = -1;
    let gapTo = -1;
    if (ks.length > 6 && hrng.chance(0.125)) {
      gapFrom = hrng.int(0, ks.length - 4);
      gapTo = gapFrom + hrng.int(3, 7);
    }
    ks.forEach((k, idx) => {
      if (idx >= gapFrom && idx <= gapTo) return;
      if (hrng.chance(0.03)) return;
      const e = edges[k]!;
      const ax = nx[e.a]!;
      const ay = ny[e.a]!;
      const bx = nx[e.b]!;
      const by = ny[e.b]!;
      const len = Math.hypot(bx - ax, by - ay);
      if (len < 30) return;
      const side = idx % 2 === 0 ? 1 : -1;
      const t = hrng.range(0.4, 0.6);
      const x = ax + t * (bx - ax) + (side * 6 * -(by - ay)) / len;
      const y = ay + t * (by - ay) + (side * 6 * (bx - ax)) / len;
      if (!world.unitAt(x, y)) return;
      const weak = hrng.chance(0.1);
      const flow = weak ? hrng.range(10, HYDRANT_MIN_FLOW_LPS - 0.5) : hrng.range(HYDRANT_MIN_FLOW_LPS, 40);
      const pressure = weak ? hrng.range(0.08, 0.12) : hrng.range(0.12, 0.4);
      out.push({
        code: code('H', ++hn, 5),
        name: null,
        kind: 'hydrant',
        flowLps: round(flow, 1),
        pressureMpa: round(pressure, 2),
        capacityM3: null,
        status: status(hrng),
        lastInspectedAt: inspectionDate(hrng),
        x,
        y,
      });
    });
  }
  const hydrantGrid = new BoxGrid(world.admin.districtIndex.bbox, 500);
  out.forEach((h, i) => hydrantGrid.insert(i, h.x, h.y, h.x, h.y));
  const nearestHydrant = (x: number, y: number, r: number): number => {
    let best = Infinity;
    for (const i of hydrantGrid.query(x - r, y - r, x + r, y + r))
      best = Math.min(best, Math.hypot(out[i]!.x - x, out[i]!.y - y));
    return best;
  };

  // ---- fire pools in villages out of reach of hydrants
  const prng = rng.fork('pools');
  const villages = world.admin.villages.filter(
    (v) => v.def.kind !== 'community' && nearestHydrant(v.centre[0], v.centre[1], 1000) > 1000,
  );
  const poolCount = Math.max(15, Math.min(60, Math.round(villages.length * 0.15)));
  const chosen = prng.shuffle([...villages]).slice(0, poolCount);
  chosen.sort((a, b) => (a.def.code < b.def.code ? -1 : 1));
  let pn = 0;
  for (const v of chosen) {
    const node = world.nearestNode(v.centre[0], v.centre[1], 1500);
    if (node < 0) continue;
    const ang = prng.range(0, 2 * Math.PI);
    const p: XY = [nx[node]! + 20 * Math.cos(ang), ny[node]! + 20 * Math.sin(ang)];
    if (!world.unitAt(p[0], p[1])) continue;
    out.push({
      code: code('P', ++pn, 3),
      name: `${shortVillageName(v.def.name)}消防水池`,
      kind: 'fire_pool',
      flowLps: round(prng.range(15, 30), 1),
      pressureMpa: null,
      capacityM3: prng.pick([100, 150, 200, 200, 300, 300, 400, 500]),
      status: status(prng),
      lastInspectedAt: inspectionDate(prng),
      x: p[0],
      y: p[1],
    });
  }

  // ---- natural intakes along the waterways every 2–3 km, where a road comes within 250 m
  const irng = rng.fork('intakes');
  let inn = 0;
  for (const ww of world.waterways) {
    const short = ww.name.replace(/（示意）$/u, '');
    let k = 0;
    for (const part of ww.parts) {
      let next = irng.range(500, 2500);
      let acc = 0;
      for (let i = 1; i < part.length; i++) {
        acc += Math.hypot(part[i]![0] - part[i - 1]![0], part[i]![1] - part[i - 1]![1]);
        if (acc < next) continue;
        next = acc + irng.range(2000, 3000);
        const [px, py] = part[i]!;
        const node = world.nearestNode(px, py, 250);
        if (node < 0) continue;
        // on the bank facing the road
        const [qx, qy] = part[i - 1]!;
        const tx = px - qx;
        const ty = py - qy;
        const tl = Math.hypot(tx, ty) || 1;
        let nxv = -ty / tl;
        let nyv = tx / tl;
        if ((nx[node]! - px) * nxv + (ny[node]! - py) * nyv < 0) {
          nxv = -nxv;
          nyv = -nyv;
        }
        const off = ww.widthM / 2 + 3;
        const x = px + nxv * off;
        const y = py + nyv * off;
        if (!world.unitAt(x, y)) continue;
        out.push({
          code: code('N', ++inn, 3),
          name: `${short}取水点${++k}号`,
          kind: 'natural_intake',
          flowLps: round(irng.range(30, 60), 1),
          pressureMpa: null,
          capacityM3: null,
          status: status(irng),
          lastInspectedAt: inspectionDate(irng),
          x,
          y,
        });
      }
    }
  }

  // ---- fire cranes on main roads: 2–3 in the core, 1 in each of the largest town centres
  const crng = rng.fork('cranes');
  const urban = world.admin.urban;
  const towns = urban.centres
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.kind === 'town')
    .sort((a, b) => b.c.pop - a.c.pop || a.i - b.i)
    .slice(0, crng.int(1, 3));
  const spots: { x: number; y: number; r: number }[] = [];
  for (let k = crng.int(2, 3); k > 0; k--) {
    const a = crng.range(0, 2 * Math.PI);
    const d = crng.range(0.2, 0.7) * urban.core.radius;
    spots.push({ x: urban.core.x + d * Math.cos(a), y: urban.core.y + d * Math.sin(a), r: 800 });
  }
  for (const { c } of towns) spots.push({ x: c.x, y: c.y, r: 600 });
  let cn = 0;
  for (const s of spots) {
    const node = world.nearestNode(s.x, s.y, s.r, (v) => world.major[v] === 1);
    if (node < 0) continue;
    const x = nx[node]! + 5;
    const y = ny[node]! + 5;
    if (!world.unitAt(x, y)) continue;
    const road = world.nodeName[node] ?? shortVillageName(world.villageAt(x, y)?.def.name ?? '');
    out.push({
      code: code('C', ++cn, 2),
      name: `${road}消防水鹤`,
      kind: 'fire_crane',
      flowLps: round(crng.range(40, 60), 1),
      pressureMpa: round(crng.range(0.2, 0.35), 2),
      capacityM3: null,
      status: crng.chance(0.9) ? 'in_service' : 'under_repair',
      lastInspectedAt: inspectionDate(crng),
      x,
      y,
    });
  }
  return out;
}
