/**
 * Where the built-up land is: the urban core (the district seat), the town centres (镇区) and one
 * industrial park. Gives a zone level for the road mesh and the population density field.
 *
 * Zone levels: 1 = urban core (100 m street mesh), 2 = urban fringe, town centres and the park
 * (200 m mesh), 3 = countryside (400–600 m village-road mesh).
 */
import { smoothstep } from './geo.ts';
import type { Rng } from './prng.ts';
import { WaveNoise } from './sampling.ts';

export type CentreKind = 'core' | 'town' | 'park';

export interface Centre {
  kind: CentreKind;
  /** Division code of the township the centre belongs to. */
  townCode: string;
  x: number;
  y: number;
  /** Radius of the built-up area, m. */
  radius: number;
  /** People living in the centre's built-up area (on top of the rural background). */
  pop: number;
  /** Shape wobble: radius × (1 + a1 sin(3θ + p1) + a2 sin(5θ + p2)). */
  shape: [number, number, number, number];
}

/** Persons per km² of the urban core, used to size it from its number of communities. */
export const CORE_DENSITY_PER_KM2 = 7000;
/** People per urban community (居委会) in the core. */
export const CORE_PEOPLE_PER_COMMUNITY = 7000;
/** Width of the fringe (level 2) around the core, m. */
export const FRINGE_M = 1200;
/** Rural background density, persons per km². */
export const RURAL_DENSITY_PER_KM2 = 330;

export function makeCentre(
  kind: CentreKind,
  townCode: string,
  x: number,
  y: number,
  radius: number,
  pop: number,
  rng: Rng,
): Centre {
  return {
    kind,
    townCode,
    x,
    y,
    radius,
    pop,
    shape: [rng.range(0.08, 0.2), rng.range(0, 2 * Math.PI), rng.range(0.03, 0.1), rng.range(0, 2 * Math.PI)],
  };
}

/** Distance to the centre, stretched by its shape so the edge of the built-up area is not a circle. */
export function shapedDistance(c: Centre, x: number, y: number): number {
  const dx = x - c.x;
  const dy = y - c.y;
  const d = Math.hypot(dx, dy);
  if (d === 0) return 0;
  const t = Math.atan2(dy, dx);
  const [a1, p1, a2, p2] = c.shape;
  return d / (1 + a1 * Math.sin(3 * t + p1) + a2 * Math.sin(5 * t + p2));
}

export interface Zone {
  level: 1 | 2 | 3;
  /** Index of the centre whose built-up area this is (nearest relative to its radius), -1 in the countryside. */
  centre: number;
}

export class UrbanModel {
  readonly centres: Centre[];
  private readonly ruralNoise: WaveNoise;
  /** Per centre: people per unit of kernel integral (set by calibrate). */
  private scale: number[] = [];
  private ruralScale = 1;

  constructor(centres: Centre[], rng: Rng) {
    this.centres = centres;
    this.ruralNoise = new WaveNoise(rng.fork('rural-noise'), 10, 3000, 20000);
    this.scale = centres.map(() => 0);
  }

  get core(): Centre {
    return this.centres[0]!;
  }

  zoneAt(x: number, y: number): Zone {
    let best = -1;
    let bestRel = Infinity;
    let level: 1 | 2 | 3 = 3;
    for (let i = 0; i < this.centres.length; i++) {
      const c = this.centres[i]!;
      const d = shapedDistance(c, x, y);
      if (c.kind === 'core') {
        if (d < c.radius) return { level: 1, centre: i };
        if (d < c.radius + FRINGE_M) {
          const rel = d / (c.radius + FRINGE_M);
          if (rel < bestRel) {
            bestRel = rel;
            best = i;
            level = 2;
          }
        }
      } else if (d < c.radius) {
        const rel = d / c.radius;
        if (rel < bestRel) {
          bestRel = rel;
          best = i;
          level = 2;
        }
      }
    }
    return { level, centre: best };
  }

  private kernel(i: number, x: number, y: number): number {
    const c = this.centres[i]!;
    const d = shapedDistance(c, x, y);
    if (c.kind === 'core') {
      return (
        0.35 * (1 - smoothstep(0, 1.25 * c.radius, d)) +
        0.65 * (1 - smoothstep(0.75 * c.radius, 1.12 * c.radius, d))
      );
    }
    if (c.kind === 'park') return 1 - smoothstep(0.3 * c.radius, c.radius, d);
    return 1 - smoothstep(0.45 * c.radius, 1.05 * c.radius, d);
  }

  private rural(x: number, y: number): number {
    return 1 + 0.35 * this.ruralNoise.value(x, y);
  }

  /**
   * Scale each component so that, integrated over the sample points (each worth cellArea m²), the
   * centre holds its `pop` and the countryside holds RURAL_DENSITY_PER_KM2 × area.
   */
  calibrate(xs: ArrayLike<number>, ys: ArrayLike<number>, cellArea: number): void {
    const sums = this.centres.map(() => 0);
    let rural = 0;
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k]!;
      const y = ys[k]!;
      for (let i = 0; i < this.centres.length; i++) sums[i]! += this.kernel(i, x, y) * cellArea;
      rural += this.rural(x, y) * cellArea;
    }
    this.scale = this.centres.map((c, i) => (sums[i]! > 0 ? c.pop / sums[i]! : 0));
    const area = xs.length * cellArea;
    this.ruralScale = rural > 0 ? ((RURAL_DENSITY_PER_KM2 / 1e6) * area) / rural : 0;
  }

  /** Residents per m². */
  density(x: number, y: number): number {
    let v = this.ruralScale * this.rural(x, y);
    for (let i = 0; i < this.centres.length; i++) {
      const s = this.scale[i]!;
      if (s > 0) {
        const c = this.centres[i]!;
        if (Math.abs(x - c.x) < 2 * c.radius && Math.abs(y - c.y) < 2 * c.radius)
          v += s * this.kernel(i, x, y);
      }
    }
    return v;
  }
}
