/**
 * Power diagrams (weighted Voronoi) and a capacity-constrained relaxation on sample points.
 *
 * A site i owns the points p minimising |p − s_i|² − w_i. Cells are convex polygons with straight
 * edges, so they clip cleanly against real boundaries, and the weights let cells of very different
 * sizes sit next to each other (small urban subdistricts beside large rural towns). The relaxation
 * alternates Lloyd steps (move each site towards the centroid of its samples) with weight updates
 * that push each cell's captured capacity (area, or population) towards its target.
 */
import type { XY } from './geo.ts';

export interface Site {
  x: number;
  y: number;
  w: number;
}

export interface Samples {
  x: Float64Array;
  y: Float64Array;
  /** Capacity of each sample (area in m², or people). */
  w: Float64Array;
  /** Area represented by one sample, m². */
  cellArea: number;
}

/** Index of the site owning (x, y). */
export function ownerOf(sites: readonly Site[], x: number, y: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < sites.length; i++) {
    const s = sites[i]!;
    const d = (x - s.x) * (x - s.x) + (y - s.y) * (y - s.y) - s.w;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

export function assignSamples(sites: readonly Site[], samples: Samples): Int32Array {
  const n = samples.x.length;
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = ownerOf(sites, samples.x[k]!, samples.y[k]!);
  return out;
}

/** The power cell of site i, clipped to bbox [minX, minY, maxX, maxY]; counter-clockwise, open ring. */
export function powerCell(sites: readonly Site[], i: number, bbox: [number, number, number, number]): XY[] {
  const [minX, minY, maxX, maxY] = bbox;
  // Work relative to the site to keep magnitudes small.
  const si = sites[i]!;
  let poly: XY[] = [
    [minX - si.x, minY - si.y],
    [maxX - si.x, minY - si.y],
    [maxX - si.x, maxY - si.y],
    [minX - si.x, maxY - si.y],
  ];
  for (let j = 0; j < sites.length && poly.length > 0; j++) {
    if (j === i) continue;
    const sj = sites[j]!;
    const dx = sj.x - si.x;
    const dy = sj.y - si.y;
    if (dx === 0 && dy === 0) {
      if (sj.w > si.w || (sj.w === si.w && j < i)) return [];
      continue;
    }
    // keep points p (relative to s_i) with 2 p·d ≤ |d|² − w_j + w_i
    const c = dx * dx + dy * dy - sj.w + si.w;
    poly = clipHalfPlane(poly, 2 * dx, 2 * dy, c);
  }
  return poly.map(([x, y]) => [x + si.x, y + si.y]);
}

/** Sutherland–Hodgman clip of a convex polygon to a·x + b·y ≤ c. */
function clipHalfPlane(poly: XY[], a: number, b: number, c: number): XY[] {
  const out: XY[] = [];
  const n = poly.length;
  for (let k = 0; k < n; k++) {
    const p = poly[k]!;
    const q = poly[(k + 1) % n]!;
    const fp = a * p[0] + b * p[1] - c;
    const fq = a * q[0] + b * q[1] - c;
    if (fp <= 0) out.push(p);
    if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

export interface RelaxOptions {
  iterations: number;
  /** Target capacity per site (same unit as Samples.w); scaled so they sum to the sample total. */
  targets: readonly number[];
  /** Lloyd step per site in [0, 1]: 0 keeps the site fixed where it is. */
  move: readonly number[];
}

/**
 * Capacity-constrained relaxation. Mutates and returns `sites`.
 *
 * Moving sites always sit on one of their own samples (so inside the region the samples cover), and
 * the weights are clamped so that every site owns its own position: no cell can vanish, however
 * different the targets of neighbours are. Weight steps adapt per site (grow while the error keeps
 * its sign, shrink when it flips).
 */
export function relaxPower(sites: Site[], samples: Samples, opts: RelaxOptions): Site[] {
  const n = sites.length;
  const m = samples.x.length;
  if (n === 0 || m === 0) return sites;
  let total = 0;
  for (let k = 0; k < m; k++) total += samples.w[k]!;
  const tSum = opts.targets.reduce((a, b) => a + b, 0);
  const target = opts.targets.map((t) => (t / tSum) * total);
  const cap = new Float64Array(n);
  const cnt = new Float64Array(n);
  const cx = new Float64Array(n);
  const cy = new Float64Array(n);
  const tx = new Float64Array(n);
  const ty = new Float64Array(n);
  const bestD = new Float64Array(n);
  const bestK = new Int32Array(n);
  const eta = new Float64Array(n).fill(0.5);
  const prevRel = new Float64Array(n);
  const owner = new Int32Array(m);
  clampWeights(sites);
  for (let it = 0; it < opts.iterations; it++) {
    cap.fill(0);
    cnt.fill(0);
    cx.fill(0);
    cy.fill(0);
    for (let k = 0; k < m; k++) {
      const o = ownerOf(sites, samples.x[k]!, samples.y[k]!);
      owner[k] = o;
      const w = samples.w[k]! + 1e-9;
      cap[o]! += samples.w[k]!;
      cnt[o]!++;
      cx[o]! += samples.x[k]! * w;
      cy[o]! += samples.y[k]! * w;
    }
    const late = it > opts.iterations * 0.7;
    for (let i = 0; i < n; i++) {
      const s = sites[i]!;
      const wsum = cap[i]! + 1e-9 * cnt[i]!;
      const mv = cnt[i]! > 0 ? opts.move[i]! * (late ? 0.5 : 1) : 0;
      tx[i] = s.x + mv * (cx[i]! / (wsum || 1) - s.x);
      ty[i] = s.y + mv * (cy[i]! / (wsum || 1) - s.y);
    }
    // snap moving sites to their owned sample nearest the Lloyd target
    bestD.fill(Infinity);
    bestK.fill(-1);
    for (let k = 0; k < m; k++) {
      const o = owner[k]!;
      const d = (samples.x[k]! - tx[o]!) ** 2 + (samples.y[k]! - ty[o]!) ** 2;
      if (d < bestD[o]!) {
        bestD[o] = d;
        bestK[o] = k;
      }
    }
    for (let i = 0; i < n; i++) {
      const s = sites[i]!;
      if (opts.move[i]! > 0 && bestK[i]! >= 0) {
        s.x = samples.x[bestK[i]!]!;
        s.y = samples.y[bestK[i]!]!;
      }
      const area = Math.max(cnt[i]! * samples.cellArea, samples.cellArea);
      const rel = Math.max(-1, Math.min(2, (target[i]! - cap[i]!) / Math.max(target[i]!, 1e-9)));
      if (rel * prevRel[i]! < 0) eta[i] = Math.max(0.02, eta[i]! * 0.6);
      else eta[i] = Math.min(1, eta[i]! * 1.1);
      prevRel[i] = rel;
      s.w += eta[i]! * (area / Math.PI) * rel;
    }
    let mean = 0;
    for (const s of sites) mean += s.w;
    mean /= n;
    for (const s of sites) s.w -= mean;
    clampWeights(sites);
  }
  return sites;
}

/** Raise weights until every site owns its own position: w_i − w_j ≥ −0.9 |s_i − s_j|² for all pairs. */
export function clampWeights(sites: Site[]): void {
  const n = sites.length;
  for (let pass = 0; pass < 100; pass++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const si = sites[i]!;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const sj = sites[j]!;
        const lim = sj.w - 0.9 * ((si.x - sj.x) ** 2 + (si.y - sj.y) ** 2);
        if (si.w < lim) {
          si.w = lim;
          changed = true;
        }
      }
    }
    if (!changed) return;
  }
}
