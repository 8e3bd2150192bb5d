/**
 * The road network: one warped lattice with 100 m spacing laid over the district, of which every line
 * is kept in the urban core, every 2nd in the fringe, the town centres and the park, and every 4th or
 * 6th (400–600 m) in the countryside. Lattice nodes of degree 2 stay as edge splits, so edges are
 * ~100 m segments and all nodes are shared exactly. On top of that:
 *  - arterials routed (A* with a turn penalty) between the core and the town centres along a Gabriel graph;
 *  - county-road collectors every 3–4.5 km, main streets every 4th line in the core and through each town;
 *  - waterways cut every road except designated bridges (all arterial crossings, then every 1.5–3 km
 *    in built-up land and 5–8 km in the countryside, plus what connectivity needs);
 *  - a share of village-road links dropped for irregularity, stragglers removed;
 *  - one expressway crossing the district, joined to the local network only by ramps at interchanges
 *    every ~10 km; it crosses local roads without nodes (flyovers);
 *  - one-way couplets in the core and a few one-way streets, kept strongly connected.
 * Apart from the expressway, no two edges cross except at shared nodes.
 */
import { ROAD_CLASS_SPEED_KMH, ROAD_CLASSES, type RoadClass } from '../../shared/src/domain.ts';
import { segmentSegmentDist, segmentsCross, segmentsIntersect, crossParam, type XY } from './geo.ts';
import { UnionFind, sccOf, undirectedComponents, MinHeap } from './graph.ts';
import { StreetNamer, shortTownName } from './names.ts';
import type { Rng } from './prng.ts';
import { WaveNoise } from './sampling.ts';
import { BoxGrid, type PolygonIndex } from './spatial.ts';
import type { UrbanModel } from './urban.ts';
import type { Waterway } from './waterways.ts';

export const LATTICE_SPACING_M = 100;

export interface RoadEdge {
  /** Node index; for one-way edges the allowed direction is a → b. */
  a: number;
  b: number;
  cls: RoadClass;
  name: string | null;
  speed: number;
  oneway: boolean;
  bridge: boolean;
  /** Zone level of a lattice edge (1 core, 2 fringe/town/park, 3 countryside); 0 for expressway and ramps. */
  level: number;
  /** Urban centre of the edge's zone (UrbanModel index), -1 in the countryside. */
  centre: number;
  /** Lattice line ('h12' / 'v40'), '' for expressway and ramps; lineIdx is the line number, pos the place along it. */
  line: string;
  lineIdx: number;
  pos: number;
}

export interface RoadNetwork {
  x: Float64Array;
  y: Float64Array;
  edges: RoadEdge[];
  /** Nodes of the expressway (not part of the local network). */
  expresswayNode: Uint8Array;
  interchanges: number;
}

export interface RoadContext {
  index: PolygonIndex;
  urban: UrbanModel;
  waterways: readonly Waterway[];
  /** Name of the township of each urban centre (by centre index). */
  centreNames: readonly string[];
  cityName: string;
  rng: Rng;
  log: (m: string) => void;
}

const C = Object.fromEntries(ROAD_CLASSES.map((c, i) => [c, i])) as Record<RoadClass, number>;
const NONE = 255;

export function buildRoads(ctx: RoadContext): RoadNetwork {
  const { index, urban, rng, log } = ctx;
  const S = LATTICE_SPACING_M;

  // ---------------------------------------------------------------- lattice
  const phi = rng.range(-0.2, 0.2);
  const cs = Math.cos(phi);
  const sn = Math.sin(phi);
  const [bx0, by0, bx1, by1] = index.bbox;
  const corners: XY[] = [
    [bx0, by0],
    [bx1, by0],
    [bx1, by1],
    [bx0, by1],
  ];
  const us = corners.map(([x, y]) => x * cs + y * sn);
  const vs = corners.map(([x, y]) => -x * sn + y * cs);
  const u0 = Math.min(...us) - 3 * S;
  const v0 = Math.min(...vs) - 3 * S;
  const NI = Math.ceil((Math.max(...us) + 3 * S - u0) / S) + 1;
  const NJ = Math.ceil((Math.max(...vs) + 3 * S - v0) / S) + 1;
  const N = NI * NJ;
  const M = 2 * N;
  const nx = new Float64Array(N);
  const ny = new Float64Array(N);
  const inside = new Uint8Array(N);
  const warpU = new WaveNoise(rng.fork('warp-u'), 6, 6000, 25000);
  const warpV = new WaveNoise(rng.fork('warp-v'), 6, 6000, 25000);
  const jit = rng.fork('jitter');
  const A = 140;
  for (let j = 0; j < NJ; j++) {
    for (let i = 0; i < NI; i++) {
      const u = u0 + i * S;
      const v = v0 + j * S;
      const uu = u + A * warpU.value(u, v) + jit.range(-3, 3);
      const vv = v + A * warpV.value(u, v) + jit.range(-3, 3);
      const n = j * NI + i;
      nx[n] = uu * cs - vv * sn;
      ny[n] = uu * sn + vv * cs;
      inside[n] = index.contains(nx[n]!, ny[n]!) ? 1 : 0;
    }
  }
  const segA = (s: number): number => (s < N ? s : s - N);
  const segB = (s: number): number => (s < N ? s + 1 : s - N + NI);
  const lineOf = (s: number): number => (s < N ? Math.floor(s / NI) : (s - N) % NI);
  const segLen = (s: number): number => Math.hypot(nx[segB(s)]! - nx[segA(s)]!, ny[segB(s)]! - ny[segA(s)]!);
  const valid = new Uint8Array(M);
  for (let n = 0; n < N; n++) {
    const i = n % NI;
    const j = Math.floor(n / NI);
    if (i < NI - 1 && inside[n] && inside[n + 1]) valid[n] = 1;
    if (j < NJ - 1 && inside[n] && inside[n + NI]) valid[N + n] = 1;
  }

  // ---------------------------------------------------------------- zones and line activity
  const level = new Uint8Array(M);
  const centreOf = new Int16Array(M).fill(-1);
  for (let s = 0; s < M; s++) {
    if (!valid[s]) continue;
    const a = segA(s);
    const b = segB(s);
    const z = urban.zoneAt((nx[a]! + nx[b]!) / 2, (ny[a]! + ny[b]!) / 2);
    level[s] = z.level;
    centreOf[s] = z.centre;
  }
  const lineRng = rng.fork('lines');
  const ruralLines = (count: number): Uint8Array => {
    const out = new Uint8Array(count);
    for (let k = 2 * lineRng.int(0, 2); k < count; k += lineRng.chance(0.5) ? 4 : 6) out[k] = 1;
    return out;
  };
  const ruralRows = ruralLines(NJ);
  const ruralCols = ruralLines(NI);
  const collectorLines = (rural: Uint8Array): Uint8Array => {
    const out = new Uint8Array(rural.length);
    let next = lineRng.int(5, 25);
    for (let k = 0; k < rural.length; k++) {
      if (k >= next && rural[k]) {
        out[k] = 1;
        next = k + Math.round(lineRng.range(3000, 4500) / S);
      }
    }
    return out;
  };
  const collectorRows = collectorLines(ruralRows);
  const collectorCols = collectorLines(ruralCols);
  const isRow = (s: number): boolean => s < N;
  const active = (s: number): boolean => {
    const l = lineOf(s);
    if (level[s] === 1) return true;
    if (level[s] === 2) return l % 2 === 0;
    return (isRow(s) ? ruralRows[l] : ruralCols[l]) === 1;
  };
  // main streets through each town centre / park: the even lattice lines nearest its centre
  const uvIndex = (x: number, y: number): [number, number] => [
    Math.round((x * cs + y * sn - u0) / S),
    Math.round((-x * sn + y * cs - v0) / S),
  ];
  const mainCol = urban.centres.map((c) => uvIndex(c.x, c.y)[0] & ~1);
  const mainRow = urban.centres.map((c) => uvIndex(c.x, c.y)[1] & ~1);
  const coreCol = uvIndex(urban.core.x, urban.core.y)[0] & ~3;
  const coreRow = uvIndex(urban.core.x, urban.core.y)[1] & ~3;

  const kept = new Uint8Array(M);
  const cls = new Uint8Array(M).fill(NONE);
  for (let s = 0; s < M; s++) {
    if (!valid[s] || !active(s)) continue;
    kept[s] = 1;
    const l = lineOf(s);
    const c = centreOf[s]!;
    const county = (isRow(s) ? collectorRows[l] : collectorCols[l]) === 1;
    if (level[s] === 1) cls[s] = l % 4 === 0 || county ? C.collector : C.street;
    else if (level[s] === 2) {
      const main = c > 0 && (isRow(s) ? mainRow[c] === l : mainCol[c] === l);
      cls[s] = main || county ? C.collector : C.street;
    } else cls[s] = county ? C.collector : C.village;
  }

  // ---------------------------------------------------------------- waterways: wet segments and crossing runs
  const wSegs: { w: number; ax: number; ay: number; bx: number; by: number; pos: number }[] = [];
  let maxHalf = 0;
  ctx.waterways.forEach((ww, w) => {
    maxHalf = Math.max(maxHalf, ww.widthM / 2);
    let pos = 0;
    for (const part of ww.parts) {
      for (let k = 0; k + 1 < part.length; k++) {
        const [ax, ay] = part[k]!;
        const [bx, by] = part[k + 1]!;
        wSegs.push({ w, ax, ay, bx, by, pos });
        pos += Math.hypot(bx - ax, by - ay);
      }
      pos += 1; // parts are separate courses
    }
  });
  const wGrid = new BoxGrid(index.bbox, 400);
  wSegs.forEach((ws, k) => wGrid.insert(k, ws.ax, ws.ay, ws.bx, ws.by));
  const wet = new Uint8Array(M);
  const crossW = new Int16Array(M).fill(-1);
  const crossPos = new Float64Array(M);
  for (let s = 0; s < M; s++) {
    if (!valid[s]) continue;
    const a = segA(s);
    const b = segB(s);
    const ax = nx[a]!;
    const ay = ny[a]!;
    const bx = nx[b]!;
    const by = ny[b]!;
    const r = maxHalf + 10;
    for (const k of wGrid.query(
      Math.min(ax, bx) - r,
      Math.min(ay, by) - r,
      Math.max(ax, bx) + r,
      Math.max(ay, by) + r,
    )) {
      const ws = wSegs[k]!;
      const half = ctx.waterways[ws.w]!.widthM / 2;
      if (segmentSegmentDist(ax, ay, bx, by, ws.ax, ws.ay, ws.bx, ws.by) < half + 8) wet[s] = 1;
      if (crossW[s]! < 0 && segmentsCross(ax, ay, bx, by, ws.ax, ws.ay, ws.bx, ws.by)) {
        crossW[s] = ws.w;
        const t = crossParam(ws.ax, ws.ay, ws.bx, ws.by, ax, ay, bx, by);
        crossPos[s] = ws.pos + t * Math.hypot(ws.bx - ws.ax, ws.by - ws.ay);
      }
    }
  }
  interface Run {
    segs: number[];
    w: number;
    pos: number;
    bridge: boolean;
  }
  const runs: Run[] = [];
  const runOf = new Int32Array(M).fill(-1);
  const closeRun = (segs: number[]): void => {
    if (segs.length === 0 || segs.length > 6) return;
    const c = segs.find((s) => crossW[s]! >= 0);
    if (c === undefined) return;
    const id = runs.length;
    runs.push({ segs: [...segs], w: crossW[c]!, pos: crossPos[c]!, bridge: false });
    for (const s of segs) runOf[s] = id;
  };
  for (let j = 0; j < NJ; j++) {
    let cur: number[] = [];
    for (let i = 0; i < NI - 1; i++) {
      const s = j * NI + i;
      if (valid[s] && wet[s]) cur.push(s);
      else {
        closeRun(cur);
        cur = [];
      }
    }
    closeRun(cur);
  }
  for (let i = 0; i < NI; i++) {
    let cur: number[] = [];
    for (let j = 0; j < NJ - 1; j++) {
      const s = N + j * NI + i;
      if (valid[s] && wet[s]) cur.push(s);
      else {
        closeRun(cur);
        cur = [];
      }
    }
    closeRun(cur);
  }
  const setBridge = (r: Run, asClass: number | null): void => {
    r.bridge = true;
    for (const s of r.segs) {
      kept[s] = 1;
      if (asClass !== null && (cls[s] === NONE || asClass < cls[s]!)) cls[s] = asClass;
      if (cls[s] === NONE) cls[s] = level[s]! <= 2 ? C.street : C.village;
    }
  };

  // ---------------------------------------------------------------- arterials
  const centres = urban.centres;
  const nodeNear = (x: number, y: number): number => {
    const [ci, cj] = uvIndex(x, y);
    let best = -1;
    let bestD = Infinity;
    for (let dj = -12; dj <= 12; dj++) {
      for (let di = -12; di <= 12; di++) {
        const i = ci + di;
        const j = cj + dj;
        if (i < 1 || j < 1 || i >= NI - 1 || j >= NJ - 1) continue;
        const n = j * NI + i;
        if (!inside[n]) continue;
        const segs = [n, n - 1, N + n, N + n - NI];
        if (!segs.some((s) => valid[s] && !wet[s])) continue;
        const d = (nx[n]! - x) ** 2 + (ny[n]! - y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = n;
        }
      }
    }
    return best;
  };
  const centreNode = centres.map((c) => nodeNear(c.x, c.y));
  const pairs: [number, number][] = [];
  for (let p = 0; p < centres.length; p++) {
    for (let q = p + 1; q < centres.length; q++) {
      const a = centres[p]!;
      const b = centres[q]!;
      const d2 = (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
      if (d2 > 32000 ** 2) continue;
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      const gabriel = centres.every(
        (c, k) => k === p || k === q || (c.x - mx) ** 2 + (c.y - my) ** 2 >= d2 / 4,
      );
      if (gabriel) pairs.push([p, q]);
    }
  }
  pairs.sort(
    (e, f) =>
      Math.hypot(centres[e[0]]!.x - centres[e[1]]!.x, centres[e[0]]!.y - centres[e[1]]!.y) -
        Math.hypot(centres[f[0]]!.x - centres[f[1]]!.x, centres[f[0]]!.y - centres[f[1]]!.y) ||
      e[0] - f[0] ||
      e[1] - f[1],
  );
  const routeOf = new Int32Array(M).fill(-1);
  const routeNames: string[] = [];
  const namer = new StreetNamer(rng.fork('street-names'));
  const astar = makeAstar();
  for (const [p, q] of pairs) {
    const from = centreNode[p]!;
    const to = centreNode[q]!;
    if (from < 0 || to < 0 || from === to) continue;
    const path = astar(from, to);
    if (!path) continue;
    const id = routeNames.length;
    routeNames.push(namer.arterial(shortTownName(ctx.centreNames[p]!), shortTownName(ctx.centreNames[q]!)));
    for (const s of path) {
      kept[s] = 1;
      cls[s] = C.arterial;
      if (routeOf[s]! < 0) routeOf[s] = id;
      if (runOf[s]! >= 0) setBridge(runs[runOf[s]!]!, C.arterial);
    }
  }
  log(`roads: lattice ${NI}×${NJ}, arterial routes ${routeNames.length}, waterway crossings ${runs.length}`);

  function makeAstar(): (from: number, to: number) => number[] | null {
    const g = new Float64Array(4 * N).fill(Infinity);
    const parent = new Int32Array(4 * N).fill(-1);
    const touched: number[] = [];
    return (from, to) => {
      for (const t of touched) {
        g[t] = Infinity;
        parent[t] = -1;
      }
      touched.length = 0;
      const ti = to % NI;
      const tj = Math.floor(to / NI);
      const h = (n: number): number => {
        const di = Math.abs((n % NI) - ti);
        const dj = Math.abs(Math.floor(n / NI) - tj);
        return (di + dj) * S * 0.7;
      };
      const heap = new MinHeap();
      // start: virtual direction 4 (no turn penalty on the first move)
      const moves = (n: number): [number, number, number][] => {
        const out: [number, number, number][] = [];
        const i = n % NI;
        const j = Math.floor(n / NI);
        if (i < NI - 1) out.push([0, n, n + 1]);
        if (i > 0) out.push([1, n - 1, n - 1]);
        if (j < NJ - 1) out.push([2, N + n, n + NI]);
        if (j > 0) out.push([3, N + n - NI, n - NI]);
        return out;
      };
      const stepCost = (s: number): number => {
        if (!valid[s]) return Infinity;
        if (wet[s] && runOf[s]! < 0) return Infinity;
        let c = segLen(s) * (cls[s] === C.arterial ? 0.7 : kept[s] ? 1 : 1.7);
        if (runOf[s]! >= 0 && !runs[runOf[s]!]!.bridge) c += 600;
        return c;
      };
      for (const [d, s, m] of moves(from)) {
        const c = stepCost(s);
        if (!Number.isFinite(c)) continue;
        const st = m * 4 + d;
        if (c < g[st]!) {
          g[st] = c;
          parent[st] = -2 - from; // marks the start
          touched.push(st);
          heap.push(c + h(m), st);
        }
      }
      while (heap.size > 0) {
        const [f, st] = heap.pop();
        const n = Math.floor(st / 4);
        const d = st % 4;
        const gs = g[st]!;
        if (f - h(n) > gs + 1e-9) continue;
        if (n === to) {
          const segs: number[] = [];
          let cur = st;
          while (cur >= 0) {
            const cn = Math.floor(cur / 4);
            const cd = cur % 4;
            const prevNode = cd === 0 ? cn - 1 : cd === 1 ? cn + 1 : cd === 2 ? cn - NI : cn + NI;
            segs.push(cd === 0 ? prevNode : cd === 1 ? cn : cd === 2 ? N + prevNode : N + cn);
            cur = parent[cur]!;
          }
          return segs.reverse();
        }
        for (const [nd, s, m] of moves(n)) {
          if ((d ^ 1) === nd) continue; // no U-turn
          const c0 = stepCost(s);
          if (!Number.isFinite(c0)) continue;
          const turn = nd !== d ? (level[s]! <= 2 ? 250 : 1500) : 0;
          const ng = gs + c0 + turn;
          const ns = m * 4 + nd;
          if (ng < g[ns]!) {
            if (g[ns] === Infinity) touched.push(ns);
            g[ns] = ng;
            parent[ns] = st;
            heap.push(ng + h(m), ns);
          }
        }
      }
      return null;
    };
  }

  // ---------------------------------------------------------------- bridges by spacing along each waterway
  const bridgeRng = rng.fork('bridges');
  const runClass = (r: Run): number => Math.min(...r.segs.map((s) => cls[s]!));
  const runEligible = (r: Run): boolean => r.segs.every((s) => kept[s] === 1);
  const wwPoint = (w: number, pos: number): XY => {
    let p = 0;
    for (const part of ctx.waterways[w]!.parts) {
      for (let k = 0; k + 1 < part.length; k++) {
        const l = Math.hypot(part[k + 1]![0] - part[k]![0], part[k + 1]![1] - part[k]![1]);
        if (p + l >= pos) {
          const t = (pos - p) / l;
          return [
            part[k]![0] + t * (part[k + 1]![0] - part[k]![0]),
            part[k]![1] + t * (part[k + 1]![1] - part[k]![1]),
          ];
        }
        p += l;
      }
      p += 1;
    }
    const last = ctx.waterways[w]!.parts.at(-1)!.at(-1)!;
    return last;
  };
  ctx.waterways.forEach((ww, w) => {
    const cands = runs.filter((r) => r.w === w).sort((a, b) => a.pos - b.pos);
    if (cands.length === 0) return;
    const total = ww.parts.reduce((s, p) => s + (p.length - 1) * 100 + 1, 0);
    let last = -bridgeRng.range(0, 2000);
    while (last < total) {
      const [px, py] = wwPoint(w, Math.min(total, last + 1500));
      const built = urban.zoneAt(px, py).level <= 2;
      const gap = built ? bridgeRng.range(1500, 3000) : bridgeRng.range(5000, 8000);
      const target = last + gap;
      const existing = cands.find((r) => r.bridge && r.pos > last + 1 && r.pos <= target);
      if (existing) {
        last = existing.pos;
        continue;
      }
      const window = cands.filter(
        (r) => !r.bridge && runEligible(r) && r.pos >= last + 0.5 * gap && r.pos <= target,
      );
      let pick: Run | undefined;
      if (window.length > 0) {
        pick = window.reduce((best, r) => {
          const cb = runClass(best);
          const cr = runClass(r);
          if (cr !== cb) return cr < cb ? r : best;
          return Math.abs(r.pos - (target - 0.2 * gap)) < Math.abs(best.pos - (target - 0.2 * gap))
            ? r
            : best;
        });
      } else {
        pick = cands.find((r) => !r.bridge && runEligible(r) && r.pos > target);
        if (!pick) break;
      }
      setBridge(pick, null);
      last = pick.pos;
    }
  });

  // remove every wet segment that is not part of a bridge
  for (let s = 0; s < M; s++) if (wet[s] && !(runOf[s]! >= 0 && runs[runOf[s]!]!.bridge)) kept[s] = 0;

  // ---------------------------------------------------------------- irregularity: drop some village-road links
  const deg = new Int32Array(N);
  const recountDeg = (): void => {
    deg.fill(0);
    for (let s = 0; s < M; s++) {
      if (!kept[s]) continue;
      deg[segA(s)]!++;
      deg[segB(s)]!++;
    }
  };
  recountDeg();
  const incident = (n: number): number[] => {
    const out: number[] = [];
    const i = n % NI;
    const j = Math.floor(n / NI);
    if (i < NI - 1 && kept[n]) out.push(n);
    if (i > 0 && kept[n - 1]) out.push(n - 1);
    if (j < NJ - 1 && kept[N + n]) out.push(N + n);
    if (j > 0 && kept[N + n - NI]) out.push(N + n - NI);
    return out;
  };
  const other = (s: number, n: number): number => (segA(s) === n ? segB(s) : segA(s));
  const dropRng = rng.fork('drops');
  let dropped = 0;
  const visited = new Uint8Array(M);
  for (let n = 0; n < N; n++) {
    if (!inside[n] || deg[n]! < 3) continue;
    for (const s0 of incident(n)) {
      if (visited[s0] || cls[s0] !== C.village) continue;
      // follow the chain through degree-2 nodes
      const chain = [s0];
      visited[s0] = 1;
      let cur = other(s0, n);
      let prev = s0;
      while (deg[cur] === 2) {
        const next = incident(cur).find((s) => s !== prev);
        if (next === undefined || visited[next]) break;
        chain.push(next);
        visited[next] = 1;
        prev = next;
        cur = other(next, cur);
      }
      const ok =
        cur !== n &&
        deg[cur]! >= 3 &&
        deg[n]! >= 3 &&
        chain.every((s) => cls[s] === C.village && !(runOf[s]! >= 0 && runs[runOf[s]!]!.bridge));
      if (ok && dropRng.chance(0.1)) {
        for (const s of chain) kept[s] = 0;
        deg[n]!--;
        deg[cur]!--;
        dropped++;
      }
    }
  }

  // ---------------------------------------------------------------- connectivity: add bridges where needed, drop stragglers
  const components = (): UnionFind => {
    const uf = new UnionFind(N);
    for (let s = 0; s < M; s++) if (kept[s]) uf.union(segA(s), segB(s));
    return uf;
  };
  let uf = components();
  const mainRoot = (): number => {
    let best = -1;
    let bestSize = 0;
    for (let n = 0; n < N; n++) {
      if (!inside[n]) continue;
      const sz = uf.sizeOf(n);
      if (sz > bestSize) {
        bestSize = sz;
        best = uf.find(n);
      }
    }
    return best;
  };
  let added = 0;
  for (let pass = 0; pass < 3; pass++) {
    const root = mainRoot();
    const order = runs
      .map((r, k) => k)
      .filter((k) => !runs[k]!.bridge)
      .sort((p, q) => runClass(runs[p]!) - runClass(runs[q]!) || runs[p]!.pos - runs[q]!.pos || p - q);
    let changed = false;
    for (const k of order) {
      const r = runs[k]!;
      const a = segA(r.segs[0]!);
      const b = segB(r.segs[r.segs.length - 1]!);
      // the run's outer nodes must already be on roads
      const onRoad = (nn: number): boolean => incident(nn).some((s) => !r.segs.includes(s));
      if (!onRoad(a) || !onRoad(b)) continue;
      const ra = uf.find(a);
      const rb = uf.find(b);
      if (ra === rb) continue;
      const rootNow = uf.find(root);
      if (ra !== rootNow && rb !== rootNow) continue;
      const small = ra === rootNow ? b : a;
      if (uf.sizeOf(small) < 8) continue;
      setBridge(r, null);
      uf.union(a, b);
      added++;
      changed = true;
    }
    if (!changed) break;
    uf = components();
  }
  const root = mainRoot();
  let stragglers = 0;
  for (let s = 0; s < M; s++) {
    if (kept[s] && uf.find(segA(s)) !== root) {
      kept[s] = 0;
      stragglers++;
    }
  }
  // prune one-segment stubs left where a finer mesh meets a coarser one
  recountDeg();
  let pruned = 0;
  for (let s = 0; s < M; s++) {
    if (!kept[s] || (cls[s] !== C.street && cls[s] !== C.village)) continue;
    if (runOf[s]! >= 0 && runs[runOf[s]!]!.bridge) continue;
    const a = segA(s);
    const b = segB(s);
    if ((deg[a] === 1 && deg[b]! >= 3) || (deg[b] === 1 && deg[a]! >= 3)) {
      kept[s] = 0;
      deg[a]!--;
      deg[b]!--;
      pruned++;
    }
  }
  log(
    `roads: bridges ${runs.filter((r) => r.bridge).length} (${added} added for connectivity), ` +
      `${dropped} village links dropped, ${stragglers} straggler segments removed, ${pruned} stubs pruned`,
  );

  // ---------------------------------------------------------------- assemble the local network
  const nodeId = new Int32Array(N).fill(-1);
  const xs: number[] = [];
  const ys: number[] = [];
  const idOf = (n: number): number => {
    if (nodeId[n]! < 0) {
      nodeId[n] = xs.length;
      xs.push(nx[n]!);
      ys.push(ny[n]!);
    }
    return nodeId[n]!;
  };
  interface Proto {
    a: number;
    b: number;
    cls: number;
    seg: number; // lattice segment, -1 for expressway/ramps
    bridge: boolean;
    oneway: boolean;
    key: string; // naming / speed key
  }
  const protos: Proto[] = [];
  for (let s = 0; s < M; s++) {
    if (!kept[s]) continue;
    const a = idOf(segA(s));
    const b = idOf(segB(s));
    if (cls[s] === NONE) cls[s] = level[s]! <= 2 ? C.street : C.village;
    const bridge = runOf[s]! >= 0 && runs[runOf[s]!]!.bridge;
    protos.push({ a, b, cls: cls[s]!, seg: s, bridge, oneway: false, key: '' });
  }
  const localNodes = xs.length;

  // ---------------------------------------------------------------- expressway and interchanges
  const exRng = rng.fork('expressway');
  const ex = traceExpressway(index, urban, exRng);
  const exNodes: number[] = [];
  const expresswayNode: number[] = [];
  if (ex.length >= 2) {
    for (const [x, y] of ex) {
      exNodes.push(xs.length);
      xs.push(x);
      ys.push(y);
    }
    for (let k = 0; k + 1 < exNodes.length; k++) {
      const [ax, ay] = ex[k]!;
      const [bx, by] = ex[k + 1]!;
      let bridge = false;
      for (const q of wGrid.query(
        Math.min(ax, bx) - 50,
        Math.min(ay, by) - 50,
        Math.max(ax, bx) + 50,
        Math.max(ay, by) + 50,
      )) {
        const ws = wSegs[q]!;
        if (
          segmentSegmentDist(ax, ay, bx, by, ws.ax, ws.ay, ws.bx, ws.by) <
          ctx.waterways[ws.w]!.widthM / 2 + 8
        )
          bridge = true;
      }
      protos.push({
        a: exNodes[k]!,
        b: exNodes[k + 1]!,
        cls: C.expressway,
        seg: -1,
        bridge,
        oneway: false,
        key: 'ex',
      });
    }
  }
  expresswayNode.push(...exNodes);
  // local segments in a grid, to keep ramps from crossing anything
  const edgeGrid = new BoxGrid(index.bbox, 300);
  protos.forEach((p, k) => {
    if (p.cls !== C.expressway) edgeGrid.insert(k, xs[p.a]!, ys[p.a]!, xs[p.b]!, ys[p.b]!);
  });
  const localDeg = new Int32Array(xs.length);
  for (const p of protos) {
    localDeg[p.a]!++;
    localDeg[p.b]!++;
  }
  const localGrid = new BoxGrid(index.bbox, 300);
  for (let n = 0; n < localNodes; n++) localGrid.insert(n, xs[n]!, ys[n]!, xs[n]!, ys[n]!);
  const rampOk = (e: number, n: number): boolean => {
    const ax = xs[e]!;
    const ay = ys[e]!;
    const bx = xs[n]!;
    const by = ys[n]!;
    for (const k of edgeGrid.query(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
      const p = protos[k]!;
      if (p.a === n || p.b === n || p.a === e || p.b === e) continue;
      if (segmentsIntersect(ax, ay, bx, by, xs[p.a]!, ys[p.a]!, xs[p.b]!, ys[p.b]!)) return false;
    }
    for (const k of exNodes) {
      if (k === e) continue;
      const idx = exNodes.indexOf(k);
      if (idx + 1 < exNodes.length) {
        const k2 = exNodes[idx + 1]!;
        if (k2 === e) continue;
        if (segmentsIntersect(ax, ay, bx, by, xs[k]!, ys[k]!, xs[k2]!, ys[k2]!)) return false;
      }
    }
    for (const q of wGrid.query(
      Math.min(ax, bx) - 60,
      Math.min(ay, by) - 60,
      Math.max(ax, bx) + 60,
      Math.max(ay, by) + 60,
    )) {
      const ws = wSegs[q]!;
      if (
        segmentSegmentDist(ax, ay, bx, by, ws.ax, ws.ay, ws.bx, ws.by) <
        ctx.waterways[ws.w]!.widthM / 2 + 8
      )
        return false;
    }
    return true;
  };
  let interchanges = 0;
  if (exNodes.length >= 2) {
    const arc: number[] = [0];
    for (let k = 1; k < ex.length; k++)
      arc.push(arc[k - 1]! + Math.hypot(ex[k]![0] - ex[k - 1]![0], ex[k]![1] - ex[k - 1]![1]));
    const total = arc.at(-1)!;
    // interchange nearest the core first, then every ~10 km both ways, not within 2.5 km of the ends
    let nearest = 0;
    for (let k = 0; k < ex.length; k++) {
      if (
        Math.hypot(ex[k]![0] - urban.core.x, ex[k]![1] - urban.core.y) <
        Math.hypot(ex[nearest]![0] - urban.core.x, ex[nearest]![1] - urban.core.y)
      )
        nearest = k;
    }
    const spots = [arc[nearest]!];
    for (let p = arc[nearest]! + exRng.range(8500, 11500); p < total - 2500; p += exRng.range(8500, 11500))
      spots.push(p);
    for (let p = arc[nearest]! - exRng.range(8500, 11500); p > 2500; p -= exRng.range(8500, 11500))
      spots.push(p);
    spots.sort((p, q) => p - q);
    const interchangeAt = (k: number): boolean => {
      const e = exNodes[k]!;
      const [exX, exY] = ex[k]!;
      const prev = ex[Math.max(0, k - 1)]!;
      const next = ex[Math.min(ex.length - 1, k + 1)]!;
      const dirX = next[0] - prev[0];
      const dirY = next[1] - prev[1];
      const cands = localGrid
        .query(exX - 700, exY - 700, exX + 700, exY + 700)
        .filter((n) => localDeg[n]! >= 2)
        .map((n) => {
          const d = Math.hypot(xs[n]! - exX, ys[n]! - exY);
          const side = Math.sign(dirX * (ys[n]! - exY) - dirY * (xs[n]! - exX));
          const major = protos.some(
            (p) => (p.a === n || p.b === n) && (p.cls === C.arterial || p.cls === C.collector),
          );
          return { n, d: d * (major ? 0.5 : 1), side };
        })
        .filter((c) => c.d > 20)
        .sort((p, q) => p.d - q.d || p.n - q.n);
      let made = 0;
      for (const side of [1, -1]) {
        const c = cands.find((cc) => cc.side === side && rampOk(e, cc.n));
        if (!c) continue;
        protos.push({ a: e, b: c.n, cls: C.ramp, seg: -1, bridge: false, oneway: false, key: `ramp:${k}` });
        edgeGrid.insert(protos.length - 1, exX, exY, xs[c.n]!, ys[c.n]!);
        made++;
      }
      return made > 0;
    };
    for (const spot of spots) {
      if (spot < 2000 || spot > total - 2000) continue;
      const k = arc.reduce(
        (best, v, idx) => (Math.abs(v - spot) < Math.abs(arc[best]! - spot) ? idx : best),
        0,
      );
      if (interchangeAt(k)) interchanges++;
    }
    // a short expressway still needs one interchange: try the nodes nearest its middle
    if (interchanges === 0) {
      const order = arc
        .map((v, idx) => idx)
        .sort((p, q) => Math.abs(arc[p]! - total / 2) - Math.abs(arc[q]! - total / 2) || p - q);
      for (const k of order) {
        if (interchangeAt(k)) {
          interchanges++;
          break;
        }
      }
    }
  }
  if (exNodes.length >= 2 && interchanges === 0) {
    // no way on or off: leave the expressway out rather than leave it disconnected
    while (protos.length > 0 && protos[protos.length - 1]!.cls === C.expressway) protos.pop();
    xs.length = localNodes;
    ys.length = localNodes;
    exNodes.length = 0;
    expresswayNode.length = 0;
  }

  // ---------------------------------------------------------------- one-way streets
  const owRng = rng.fork('oneway');
  const protoOfSeg = new Map<number, number>();
  protos.forEach((p, k) => {
    if (p.seg >= 0) protoOfSeg.set(p.seg, k);
  });
  const setOneway = (k: number, forward: boolean): void => {
    const p = protos[k]!;
    if (p.oneway || p.cls !== C.street) return;
    p.oneway = true;
    if (!forward) [p.a, p.b] = [p.b, p.a];
  };
  // couplets: pairs of adjacent street lines in the core, one each way, in both directions of the lattice
  for (const [isH, base] of [
    [true, coreRow],
    [false, coreCol],
  ] as const) {
    for (const off of [owRng.int(3, 6), -owRng.int(3, 6)]) {
      const l1 = base + off;
      for (const [l, fwd] of [
        [l1, true],
        [l1 + 1, false],
      ] as const) {
        const count = isH ? NI - 1 : NJ - 1;
        for (let t = 0; t < count; t++) {
          if (l < 0 || l >= (isH ? NJ : NI)) break;
          const s = isH ? l * NI + t : N + t * NI + l;
          if (level[s] !== 1) continue;
          const k = protoOfSeg.get(s);
          if (k !== undefined) setOneway(k, fwd);
        }
      }
    }
  }
  // scattered one-way streets: short chains in built-up land
  for (let k = 0; k < protos.length; k++) {
    const p = protos[k]!;
    if (p.seg < 0 || p.cls !== C.street || p.oneway || !owRng.chance(0.006)) continue;
    const fwd = owRng.chance(0.5);
    const len = owRng.int(2, 5);
    let s = p.seg;
    for (let t = 0; t < len; t++) {
      const kk = protoOfSeg.get(s);
      if (kk === undefined) break;
      setOneway(kk, fwd);
      s = s < N ? s + 1 : s + NI;
      if (lineOf(s) !== lineOf(p.seg)) break;
    }
  }
  // keep the directed graph strongly connected: undo one-ways that trap nodes
  for (let round = 0; round < 50; round++) {
    const g = {
      n: xs.length,
      a: Int32Array.from(protos, (p) => p.a),
      b: Int32Array.from(protos, (p) => p.b),
      oneway: Uint8Array.from(protos, (p) => (p.oneway ? 1 : 0)),
    };
    const start = protos.find((p) => p.cls === C.arterial)?.a ?? 0;
    const inScc = sccOf(g, start);
    let fixed = 0;
    for (const p of protos) {
      if (p.oneway && (!inScc[p.a] || !inScc[p.b])) {
        p.oneway = false;
        fixed++;
      }
    }
    if (fixed === 0) break;
  }

  // ---------------------------------------------------------------- names and speeds
  const names = new Map<string, string | null>();
  const speedFactor = new Map<string, number>();
  const spRng = rng.fork('speeds');
  const exName = `${ctx.cityName.slice(0, 1)}${rng.fork('ex-name').pick(['宁', '沪', '连', '徐', '盐', '通'])}高速（示意）`;
  let countyNo = 1;
  for (const p of protos) {
    let key: string;
    let name: () => string | null;
    if (p.cls === C.expressway) {
      key = 'ex';
      name = () => exName;
    } else if (p.cls === C.ramp) {
      key = p.key;
      name = () => {
        const z = urban.zoneAt(xs[p.b]!, ys[p.b]!);
        const cidx = z.centre >= 0 ? z.centre : nearestCentre(urban, xs[p.b]!, ys[p.b]!);
        return `${shortTownName(ctx.centreNames[cidx]!)}互通匝道`;
      };
    } else {
      const s = p.seg;
      const l = lineOf(s);
      const dir = isRow(s) ? 'h' : 'v';
      const c = centreOf[s]!;
      if (level[s]! <= 2 && c >= 0) {
        key = `u:${c}:${dir}:${l}`;
        const isCore = urban.centres[c]!.kind === 'core';
        const main = p.cls === C.arterial || p.cls === C.collector;
        name = () =>
          isCore
            ? namer.core(p.cls === C.arterial ? 'avenue' : main ? 'road' : 'street')
            : namer.town(
                shortTownName(ctx.centreNames[c]!),
                p.cls === C.arterial || (isRow(s) ? mainRow[c] === l : mainCol[c] === l),
              );
      } else if (p.cls === C.arterial) {
        key = `r:${routeOf[s]}`;
        name = () => routeNames[routeOf[s]!] ?? null;
      } else if (p.cls === C.collector) {
        key = `x:${dir}:${l}`;
        name = () => namer.county(countyNo++);
      } else {
        key = `v:${dir}:${l}`;
        name = () => null;
      }
    }
    p.key = key;
    if (!names.has(key)) names.set(key, name());
    if (!speedFactor.has(key))
      speedFactor.set(key, spRng.chance(0.3) ? spRng.pick([0.9, 0.95, 1.05, 1.1]) : 1);
  }
  const edges: RoadEdge[] = protos.map((p) => {
    const c = ROAD_CLASSES[p.cls]!;
    const sg = p.seg;
    const lattice = sg >= 0;
    return {
      level: lattice ? level[sg]! : 0,
      centre: lattice ? centreOf[sg]! : -1,
      line: lattice ? `${isRow(sg) ? 'h' : 'v'}${lineOf(sg)}` : '',
      lineIdx: lattice ? lineOf(sg) : -1,
      pos: lattice ? (isRow(sg) ? sg % NI : Math.floor((sg - N) / NI)) : -1,
      a: p.a,
      b: p.b,
      cls: c,
      name: names.get(p.key) ?? null,
      speed: Math.round(ROAD_CLASS_SPEED_KMH[c] * speedFactor.get(p.key)! * 10) / 10,
      oneway: p.oneway,
      bridge: p.bridge,
    };
  });
  const exFlag = new Uint8Array(xs.length);
  for (const n of expresswayNode) exFlag[n] = 1;
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), edges, expresswayNode: exFlag, interchanges };
}

function nearestCentre(urban: UrbanModel, x: number, y: number): number {
  let best = 0;
  let bestD = Infinity;
  urban.centres.forEach((c, i) => {
    const d = Math.hypot(c.x - x, c.y - y);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/**
 * The expressway: a gently curving line passing 3–6 km from the core, sampled every ~500 m, the longest
 * run inside the district among a few candidate directions.
 */
function traceExpressway(index: PolygonIndex, urban: UrbanModel, rng: Rng): XY[] {
  const [x0, y0, x1, y1] = index.bbox;
  const extent = Math.hypot(x1 - x0, y1 - y0);
  const core = urban.core;
  const base = rng.range(0, Math.PI);
  let best: XY[] = [];
  for (let k = 0; k < 8; k++) {
    const ang = base + (k * Math.PI) / 8;
    const [dx, dy] = [Math.cos(ang), Math.sin(ang)];
    const [px, py] = [-dy, dx];
    const off = (k % 2 === 0 ? 1 : -1) * (core.radius + rng.range(1500, 3500));
    const amp = rng.range(800, 2000);
    const wl = rng.range(25000, 45000);
    const ph = rng.range(0, 2 * Math.PI);
    const run: XY[] = [];
    let bestRun: XY[] = [];
    for (let t = -extent; t <= extent; t += 100) {
      const o = off + amp * Math.sin((2 * Math.PI * t) / wl + ph);
      const x = core.x + t * dx + o * px;
      const y = core.y + t * dy + o * py;
      if (index.contains(x, y)) run.push([x, y]);
      else {
        if (run.length > bestRun.length) bestRun = run.slice();
        run.length = 0;
      }
    }
    if (run.length > bestRun.length) bestRun = run.slice();
    if (bestRun.length > best.length) best = bestRun;
  }
  // resample every 5th point (~500 m), keeping both ends
  const out: XY[] = [];
  for (let k = 0; k < best.length; k += 5) out.push(best[k]!);
  if (best.length > 0 && out.at(-1) !== best.at(-1)) out.push(best.at(-1)!);
  return out;
}

/** Checks used by tests and the generator: planarity of non-expressway edges (returns the first offending pair). */
export function findCrossing(net: RoadNetwork): [number, number] | null {
  const { x, y, edges } = net;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let n = 0; n < x.length; n++) {
    minX = Math.min(minX, x[n]!);
    maxX = Math.max(maxX, x[n]!);
    minY = Math.min(minY, y[n]!);
    maxY = Math.max(maxY, y[n]!);
  }
  const grid = new BoxGrid([minX, minY, maxX, maxY], 250);
  edges.forEach((e, k) => {
    if (e.cls !== 'expressway') grid.insert(k, x[e.a]!, y[e.a]!, x[e.b]!, y[e.b]!);
  });
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k]!;
    if (e.cls === 'expressway') continue;
    for (const q of grid.query(x[e.a]!, y[e.a]!, x[e.b]!, y[e.b]!)) {
      if (q <= k) continue;
      const f = edges[q]!;
      const shared = e.a === f.a || e.a === f.b || e.b === f.a || e.b === f.b;
      if (shared) {
        // sharing one node: they must not overlap collinearly
        if ((e.a === f.a && e.b === f.b) || (e.a === f.b && e.b === f.a)) return [k, q];
        continue;
      }
      if (segmentsIntersect(x[e.a]!, y[e.a]!, x[e.b]!, y[e.b]!, x[f.a]!, y[f.a]!, x[f.b]!, y[f.b]!))
        return [k, q];
    }
  }
  return null;
}

/** Undirected and strong connectivity of the network. */
export function connectivity(net: RoadNetwork): { components: number; strongMissing: number } {
  const g = {
    n: net.x.length,
    a: Int32Array.from(net.edges, (e) => e.a),
    b: Int32Array.from(net.edges, (e) => e.b),
    oneway: Uint8Array.from(net.edges, (e) => (e.oneway ? 1 : 0)),
  };
  const { sizes } = undirectedComponents(g);
  const scc = sccOf(g, 0);
  let missing = 0;
  for (let i = 0; i < g.n; i++) if (!scc[i]) missing++;
  return { components: sizes.length, strongMissing: missing };
}
