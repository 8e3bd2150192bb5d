/** Sample points inside polygons, smooth noise fields and spread-out seed selection. */
import type { XY } from './geo.ts';
import type { Rng } from './prng.ts';
import type { PolygonIndex } from './spatial.ts';

export interface PointSet {
  x: Float64Array;
  y: Float64Array;
  spacing: number;
}

/** Jittered square grid of points inside `index` (planar polygon), spacing in the polygon's units. */
export function gridSamples(index: PolygonIndex, spacing: number, rng: Rng, jitter = 0.35): PointSet {
  const [x0, y0, x1, y1] = index.bbox;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = y0 + spacing / 2; y < y1; y += spacing) {
    for (let x = x0 + spacing / 2; x < x1; x += spacing) {
      const px = x + rng.range(-jitter, jitter) * spacing;
      const py = y + rng.range(-jitter, jitter) * spacing;
      if (index.contains(px, py)) {
        xs.push(px);
        ys.push(py);
      }
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), spacing };
}

/**
 * Smooth pseudo-noise: a sum of plane waves with random directions, wavelengths and phases.
 * value(x, y) lies roughly in [-1, 1].
 */
export class WaveNoise {
  private readonly kx: number[] = [];
  private readonly ky: number[] = [];
  private readonly ph: number[] = [];
  private readonly amp: number[] = [];

  constructor(rng: Rng, waves: number, minWavelength: number, maxWavelength: number) {
    let total = 0;
    for (let i = 0; i < waves; i++) {
      const angle = rng.range(0, Math.PI);
      const wl = minWavelength * Math.pow(maxWavelength / minWavelength, rng.next());
      const k = (2 * Math.PI) / wl;
      this.kx.push(k * Math.cos(angle));
      this.ky.push(k * Math.sin(angle));
      this.ph.push(rng.range(0, 2 * Math.PI));
      const a = Math.sqrt(wl / maxWavelength);
      this.amp.push(a);
      total += a;
    }
    for (let i = 0; i < waves; i++) this.amp[i]! /= total / 1.6;
  }

  value(x: number, y: number): number {
    let v = 0;
    for (let i = 0; i < this.kx.length; i++)
      v += this.amp[i]! * Math.sin(this.kx[i]! * x + this.ky[i]! * y + this.ph[i]!);
    return Math.max(-1, Math.min(1, v));
  }
}

/**
 * Pick `count` points from candidates, each as far as possible from the ones already chosen (and from
 * `fixed`), with a little random slack so the pattern is not a perfect lattice.
 */
export function farthestPoints(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  candidates: readonly number[],
  count: number,
  fixed: readonly XY[],
  rng: Rng,
): number[] {
  const chosen: number[] = [];
  const dmin = new Float64Array(candidates.length).fill(Infinity);
  const update = (px: number, py: number): void => {
    for (let c = 0; c < candidates.length; c++) {
      const k = candidates[c]!;
      const d = (xs[k]! - px) ** 2 + (ys[k]! - py) ** 2;
      if (d < dmin[c]!) dmin[c] = d;
    }
  };
  for (const [x, y] of fixed) update(x, y);
  if (fixed.length === 0 && candidates.length > 0) {
    const c = rng.int(0, candidates.length - 1);
    chosen.push(candidates[c]!);
    update(xs[candidates[c]!]!, ys[candidates[c]!]!);
  }
  while (chosen.length < count && chosen.length < candidates.length) {
    let best = -1;
    let bestScore = -1;
    for (let c = 0; c < candidates.length; c++) {
      const score = dmin[c]! * (0.75 + 0.5 * rng.next());
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (best < 0 || dmin[best] === 0) break;
    chosen.push(candidates[best]!);
    update(xs[candidates[best]!]!, ys[candidates[best]!]!);
  }
  return chosen;
}
