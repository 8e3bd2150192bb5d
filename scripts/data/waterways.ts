/**
 * Illustrative waterways: a north–south canal through the west of the urban core, an east–west channel
 * a few kilometres off the core, and a river across the countryside. Each crosses the whole district
 * (boundary to boundary) with gentle meanders. Their names say 示意 (illustrative): they are not the
 * real rivers.
 */
import type { XY } from './geo.ts';
import type { Rng } from './prng.ts';
import type { PolygonIndex } from './spatial.ts';

export interface Waterway {
  code: string;
  name: string;
  widthM: number;
  /** Pieces inside the district (planar metres), each a polyline with vertices every ~100 m. */
  parts: XY[][];
}

interface Spec {
  name: string;
  widthM: number;
  through: XY;
  /** Direction of flow, radians from +x. */
  angle: number;
  meander: number;
}

const STEP_M = 100;

/** A meandering line through `through` along `angle`, clipped to the polygon; pieces shorter than 1 km dropped. */
function trace(spec: Spec, index: PolygonIndex, extent: number, rng: Rng): XY[][] {
  const [dx, dy] = [Math.cos(spec.angle), Math.sin(spec.angle)];
  const [nx, ny] = [-dy, dx];
  const waves = [0, 1, 2].map((k) => ({
    amp: spec.meander * [1, 0.45, 0.18][k]!,
    wl: [16000, 6500, 2600][k]! * rng.range(0.8, 1.25),
    ph: rng.range(0, 2 * Math.PI),
  }));
  const off = (t: number): number =>
    waves.reduce((s, w) => s + w.amp * Math.sin((2 * Math.PI * t) / w.wl + w.ph), 0);
  const off0 = off(0);
  const pts: XY[] = [];
  for (let t = -extent; t <= extent; t += STEP_M) {
    const o = off(t) - off0;
    pts.push([spec.through[0] + t * dx + o * nx, spec.through[1] + t * dy + o * ny]);
  }
  const parts: XY[][] = [];
  let cur: XY[] = [];
  for (const p of pts) {
    if (index.contains(p[0], p[1])) cur.push(p);
    else {
      if (cur.length > 1) parts.push(cur);
      cur = [];
    }
  }
  if (cur.length > 1) parts.push(cur);
  return parts.filter((p) => (p.length - 1) * STEP_M >= 1000);
}

function length(parts: XY[][]): number {
  return parts.reduce((s, p) => s + (p.length - 1) * STEP_M, 0);
}

export function buildWaterways(
  index: PolygonIndex,
  core: XY,
  coreRadius: number,
  districtCode: string,
  rng: Rng,
): Waterway[] {
  const [x0, y0, x1, y1] = index.bbox;
  const extent = Math.hypot(x1 - x0, y1 - y0);
  const out: Waterway[] = [];
  const add = (name: string, widthM: number, candidates: Spec[], minCoreDist = 0): void => {
    // take the candidate with the longest course inside the district (keeping clear of the core if asked)
    let best: XY[][] = [];
    for (const spec of candidates) {
      const parts = trace(spec, index, extent, rng.fork(name));
      const clear = parts.every((p) =>
        p.every(([x, y]) => Math.hypot(x - core[0], y - core[1]) >= minCoreDist),
      );
      if (clear && length(parts) > length(best)) best = parts;
    }
    if (best.length === 0) return;
    out.push({
      code: `WW${districtCode}-${String(out.length + 1).padStart(2, '0')}`,
      name,
      widthM,
      parts: best,
    });
  };

  // 1. canal: north–south through the western part of the core
  const canalAngle = Math.PI / 2 + rng.range(-0.25, 0.25);
  const canalSpecs: Spec[] = [0.35, 0.2, 0.05, -0.1].map((f) => ({
    name: 'canal',
    widthM: 80,
    through: [core[0] - f * coreRadius, core[1]] as XY,
    angle: canalAngle,
    meander: 700,
  }));
  add(
    '运河（示意）',
    80,
    canalSpecs.filter((s) => index.contains(s.through[0], s.through[1])),
  );

  // 2. channel: east–west, a few kilometres north or south of the core
  const chAngle = rng.range(-0.2, 0.2);
  const chSpecs: Spec[] = [];
  for (const side of rng.chance(0.5) ? [1, -1] : [-1, 1]) {
    for (const d of [coreRadius + 4500, coreRadius + 8000, coreRadius + 2500]) {
      const through: XY = [core[0] + 3000, core[1] + side * d];
      if (index.contains(through[0], through[1]))
        chSpecs.push({ name: 'channel', widthM: 60, through, angle: chAngle, meander: 900 });
    }
  }
  add('总渠（示意）', 60, chSpecs);

  // 3. river across the countryside, roughly diagonal, through the far side of the district, clear of the core
  const far: XY = [
    (x0 + x1) / 2 + ((x0 + x1) / 2 - core[0]) * 0.3,
    (y0 + y1) / 2 + ((y0 + y1) / 2 - core[1]) * 0.3,
  ];
  const rvSpecs: Spec[] = [];
  for (const a of rng.chance(0.5) ? [1, -1] : [-1, 1]) {
    const rvAngle = (a * Math.PI) / 4 + rng.range(-0.2, 0.2);
    for (let k = 0; k < 7; k++) {
      const t = (k - 3) * 3000;
      const through: XY = [far[0] - t * Math.sin(rvAngle), far[1] + t * Math.cos(rvAngle)];
      if (index.contains(through[0], through[1]))
        rvSpecs.push({ name: 'river', widthM: 40, through, angle: rvAngle, meander: 1200 });
    }
  }
  add('新河（示意）', 40, rvSpecs, coreRadius + 2500);
  return out;
}
