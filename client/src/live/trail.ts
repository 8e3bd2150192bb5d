/** A patrol's short trail: the newest `capacity` fixes in a ring, so a long patrol never grows it. */
export type LonLat = readonly [number, number];

export const TRAIL_POINTS = 20;

export interface Trail {
  readonly capacity: number;
  /** Oldest first. */
  points(): LonLat[];
  push(point: LonLat): void;
  readonly length: number;
  readonly last: LonLat | null;
}

export function createTrail(capacity = TRAIL_POINTS, initial: readonly LonLat[] = []): Trail {
  const ring: LonLat[] = new Array<LonLat>(capacity);
  let start = 0;
  let count = 0;
  const push = (point: LonLat) => {
    if (count < capacity) {
      ring[(start + count) % capacity] = point;
      count += 1;
    } else {
      ring[start] = point;
      start = (start + 1) % capacity;
    }
  };
  for (const point of initial) push(point);
  return {
    capacity,
    push,
    points: () => Array.from({ length: count }, (_, i) => ring[(start + i) % capacity]!),
    get length() {
      return count;
    },
    get last() {
      return count === 0 ? null : ring[(start + count - 1) % capacity]!;
    },
  };
}
