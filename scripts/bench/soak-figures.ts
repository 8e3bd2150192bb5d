/** One sample of `npm run bench:soak` and how a run's figures moved (kept apart so results can be summed up again). */

export interface Sample {
  /** minutes since the playlist started */
  minute: number;
  heapMb: number;
  /** the page's V8 heap as committed (used or not), Blink's own heap, and ArrayBuffer backing stores */
  v8TotalMb: number;
  blinkMb: number;
  arrayBuffersMb: number;
  domNodes: number;
  listeners: number;
  documents: number;
  chromiumPssMb: number;
  /** the same by Chromium process type (browser, renderer, gpu-process, utility, ...) */
  chromiumByTypeMb: Record<string, number>;
  /** the page's renderer by allocator, as Chromium accounts for it (`v8/main`, and Blink's partitions a level deeper) */
  rendererAllocatorsMb: Record<string, number>;
  serverPssMb: number;
  appliedSeq: number;
  snapshotLoads: number;
  connection: string;
  kioskAdvances: number;
  view: string;
  openHazards: number;
  patrols: number;
}

/** Least-squares slope of `y` over minutes, per hour. */
function perHour(samples: Sample[], y: (s: Sample) => number): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((a, s) => a + s.minute, 0) / n;
  const my = samples.reduce((a, s) => a + y(s), 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.minute - mx) * (y(s) - my);
    den += (s.minute - mx) ** 2;
  }
  return den === 0 ? 0 : Math.round((num / den) * 60 * 10) / 10;
}

function growth(samples: Sample[], y: (s: Sample) => number) {
  const values = samples.map(y);
  return {
    first: values[0] ?? 0,
    last: values.at(-1) ?? 0,
    max: Math.max(...values),
    perHour: perHour(samples, y),
  };
}

/** How each figure moved over `samples`: first, last, largest, and the fitted slope per hour. */
export function growthOf(samples: Sample[]) {
  const last = samples.at(-1);
  const each = <K extends 'chromiumByTypeMb' | 'rendererAllocatorsMb'>(key: K) =>
    Object.fromEntries(
      Object.keys(last?.[key] ?? {}).map((name) => [name, growth(samples, (s) => s[key][name] ?? 0)]),
    );
  return {
    heapMb: growth(samples, (s) => s.heapMb),
    v8TotalMb: growth(samples, (s) => s.v8TotalMb),
    blinkMb: growth(samples, (s) => s.blinkMb),
    arrayBuffersMb: growth(samples, (s) => s.arrayBuffersMb),
    domNodes: growth(samples, (s) => s.domNodes),
    listeners: growth(samples, (s) => s.listeners),
    chromiumPssMb: growth(samples, (s) => s.chromiumPssMb),
    chromiumByTypeMb: each('chromiumByTypeMb'),
    rendererAllocatorsMb: each('rendererAllocatorsMb'),
    serverPssMb: growth(samples, (s) => s.serverPssMb),
  };
}
