/**
 * `npm run bench:soak`: a kiosk wall left running, to see whether the page grows its memory.
 *
 * The embedded demo server runs its simulator busier than the demo default (grid members patrolling
 * and reporting hazards), and one Debian Chromium screen plays the kiosk playlist
 * (`?kiosk=wall:…,town:…,plan:…,ledger:…#display=<token>`, signed in by a display token as a wall is)
 * for BENCH_SOAK_MINUTES (60). Chromium runs as a kiosk does, with no DevTools client on the page but
 * our reads (kiosk-chromium.ts says why not Playwright). Every BENCH_SOAK_SAMPLE_S (60) the page's
 * garbage is collected and then read: the JavaScript heap in use, DOM nodes, event listeners and
 * documents, the main thread's V8 heap as committed, Blink's heap and ArrayBuffer backing stores, the
 * memory (PSS) of every Chromium process and of the server, Chromium's own account of the page's
 * renderer by allocator (a `memory-infra` dump: V8 main and workers, Blink's partitions, WebGL, canvas,
 * compositor tiles, malloc, ...), and how far the live stream has got. The growth is a least-squares
 * slope over the samples after the warm-up (the first BENCH_SOAK_WARMUP_MIN, 10), and again over the
 * second half of the run alone (has it levelled off?), in MB or nodes per hour.
 *
 * Chromium draws WebGL in software here (SwiftShader): the figures are about this page's own memory,
 * not a GPU driver's. Writes bench/results/soak.json (BENCH_SOAK_RESULT names another file).
 */
import { readdir, readFile } from 'node:fs/promises';
import type {} from '../../client/src/test-hooks.ts';
import { signInDemo, startDemoServer } from './demo-wall.ts';
import { openKiosk, type KioskChromium } from './kiosk-chromium.ts';
import { growthOf, type Sample } from './soak-figures.ts';
import { writeResult } from './server.ts';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 60);
const SAMPLE_S = Number(process.env.BENCH_SOAK_SAMPLE_S ?? 60);
const WARMUP_MIN = Number(process.env.BENCH_SOAK_WARMUP_MIN ?? Math.min(10, MINUTES / 4));
const PLAYLIST = process.env.BENCH_SOAK_PLAYLIST ?? 'wall:60,town:45,plan:45,ledger:45';
const MEMBERS = process.env.BENCH_SOAK_MEMBERS ?? '120';
const HAZARDS_PER_HOUR = process.env.BENCH_SOAK_HAZARDS_PER_HOUR ?? '600';
const RESULT = process.env.BENCH_SOAK_RESULT ?? 'soak';

/** Process ids below `root` (its children, their children, ...), from /proc. */
async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    // the command name may hold spaces and parentheses: the fields after its last ')' are fixed
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** Proportional set size (shared pages divided among the processes sharing them), MB. */
async function pssMb(pid: number): Promise<number> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const kb = /^Pss:\s+(\d+) kB/m.exec(rollup);
  return kb ? Number(kb[1]) / 1024 : 0;
}

/** Chromium's processes (the browser at `root` and every one below it) by process id, with their type. */
async function chromiumProcesses(root: number): Promise<Map<number, string>> {
  const types = new Map([[root, 'browser']]);
  for (const pid of await descendants(root)) {
    // Chromium's children rewrite their command line as one line (spaces, not NULs)
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    types.set(pid, /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'other');
  }
  return types;
}

/** The memory (PSS, MB) of Chromium's processes by type, and the process id of the biggest renderer. */
async function chromiumPssMb(
  root: number,
): Promise<{ byType: Record<string, number>; pageRenderer: number }> {
  const byType: Record<string, number> = {};
  let pageRenderer = 0;
  let biggest = 0;
  for (const [pid, type] of await chromiumProcesses(root)) {
    const mb = await pssMb(pid);
    byType[type] = (byType[type] ?? 0) + mb;
    // the page's renderer holds the map, the data and the charts: by far the biggest one
    if (type === 'renderer' && mb > biggest) [biggest, pageRenderer] = [mb, pid];
  }
  return { byType, pageRenderer };
}

interface MemoryDumpEvent {
  pid: number;
  args?: { dumps?: { allocators?: Record<string, { attrs?: { size?: { value?: string } } }> } };
}

/**
 * Chromium's account of a process's memory by allocator (a `memory-infra` dump through the tracing
 * domain), in MB: `v8`, `v8/main`, `v8/workers`, `webgl`, `canvas`, `cc/tile_memory`, `malloc`,
 * `partition_alloc/partitions/buffer`, ...
 */
async function allocatorsMb(kiosk: KioskChromium, pid: number): Promise<Record<string, number>> {
  const events: MemoryDumpEvent[] = [];
  const complete = new Promise<void>((resolve) => {
    const stop = kiosk.onEvent((method, params) => {
      if (method === 'Tracing.dataCollected') events.push(...(params.value as MemoryDumpEvent[]));
      if (method !== 'Tracing.tracingComplete') return;
      stop();
      resolve();
    });
  });
  await kiosk.send('Tracing.start', {
    traceConfig: {
      includedCategories: ['disabled-by-default-memory-infra'],
      memoryDumpConfig: { triggers: [] },
    },
    transferMode: 'ReportEvents',
  });
  await kiosk.send('Tracing.requestMemoryDump', { deterministic: true, levelOfDetail: 'detailed' });
  await kiosk.send('Tracing.end');
  await complete;
  const out: Record<string, number> = {};
  for (const event of events) {
    if (event.pid !== pid) continue;
    for (const [name, dump] of Object.entries(event.args?.dumps?.allocators ?? {})) {
      const size = dump.attrs?.size?.value;
      // sizes are hexadecimal byte counts; deeper names and those of single objects (contexts, shared
      // memory segments, strings by hash) are left out, but Blink's partitions are kept apart
      const depth = name.split('/').length;
      if (!size || depth > 3 || (depth === 3 && !name.startsWith('partition_alloc/partitions/'))) continue;
      if (/\/(__|context_0x|[0-9A-F]{16,}$)/i.test(name)) continue;
      out[name] = (out[name] ?? 0) + Number.parseInt(size, 16) / 1048576;
    }
  }
  return out;
}

const round = (x: number) => Math.round(x * 10) / 10;

async function sample(kiosk: KioskChromium, serverPid: number, t0: number): Promise<Sample> {
  await kiosk.send('HeapProfiler.collectGarbage', {}, true);
  const { metrics } = await kiosk.send<{ metrics: { name: string; value: number }[] }>(
    'Performance.getMetrics',
    {},
    true,
  );
  // the main thread's memory by kind (workers, MapLibre's among them, are in the allocators below)
  const usage = await kiosk.send<{
    totalSize: number;
    embedderHeapUsedSize?: number;
    backingStorageSize?: number;
  }>('Runtime.getHeapUsage', {}, true);
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  const state = await kiosk.evaluate<
    Pick<
      Sample,
      'appliedSeq' | 'snapshotLoads' | 'connection' | 'kioskAdvances' | 'view' | 'openHazards' | 'patrols'
    >
  >(`(() => {
    const h = window.__gridwatch;
    return {
      appliedSeq: h.live?.appliedSeq ?? 0,
      snapshotLoads: h.live?.snapshotLoads ?? 0,
      connection: h.live?.connection ?? 'none',
      kioskAdvances: h.kiosk?.advances ?? 0,
      view: h.kiosk?.view ?? '',
      openHazards: h.live?.hazardIds.length ?? 0,
      patrols: h.live?.patrolSessions.length ?? 0,
    };
  })()`);
  const chromium = await chromiumPssMb(kiosk.process.pid!);
  const allocators = await allocatorsMb(kiosk, chromium.pageRenderer);
  return {
    minute: round((performance.now() - t0) / 60_000),
    heapMb: round(metric('JSHeapUsedSize') / 1048576),
    v8TotalMb: round(usage.totalSize / 1048576),
    blinkMb: round((usage.embedderHeapUsedSize ?? 0) / 1048576),
    arrayBuffersMb: round((usage.backingStorageSize ?? 0) / 1048576),
    domNodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
    documents: metric('Documents'),
    chromiumPssMb: round(Object.values(chromium.byType).reduce((a, b) => a + b, 0)),
    chromiumByTypeMb: Object.fromEntries(
      Object.entries(chromium.byType).map(([type, mb]) => [type, round(mb)]),
    ),
    rendererAllocatorsMb: Object.fromEntries(
      Object.entries(allocators)
        .filter(([, mb]) => mb >= 0.5)
        .map(([name, mb]) => [name, round(mb)]),
    ),
    serverPssMb: round(await pssMb(serverPid)),
    ...state,
  };
}

/** Waits until `ready` (an expression) is true in the page; the page may still be loading. */
async function waitInPage(kiosk: KioskChromium, ready: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    // before the document is up there is no context to evaluate in: that is "not yet"
    if (await kiosk.evaluate<boolean>(`Boolean(${ready})`).catch(() => false)) return;
    if (Date.now() > until) throw new Error(`the page never got to ${ready}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main() {
  const { server, close } = await startDemoServer('soak', {
    SIMULATE: 'true',
    SIMULATE_MEMBERS: MEMBERS,
    SIMULATE_HAZARDS_PER_HOUR: HAZARDS_PER_HOUR,
  });
  let kiosk: KioskChromium | undefined;
  const pageErrors: string[] = [];
  try {
    // the administrator gives the wall's account a display token, as for a real screen
    const adminToken = (await signInDemo(server.url, 'admin')).token;
    const operator = (await signInDemo(server.url, 'county_operator')).user;
    const issued = await fetch(new URL('/api/devices', server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '长时运行测试大屏', kind: 'display', userId: operator.id }),
    });
    if (issued.status !== 201) throw new Error(`display token: ${issued.status} ${await issued.text()}`);
    const { token } = (await issued.json()) as { token: string };

    kiosk = await openKiosk(new URL(`/?kiosk=${PLAYLIST}#display=${token}`, server.url).href);
    await waitInPage(
      kiosk,
      `window.__gridwatch?.mapLoaded && window.__gridwatch.live?.connection === 'live'`,
      180_000,
    );
    // uncaught errors in the page (Runtime's exception events; Runtime.enable keeps no response bodies)
    kiosk.onEvent((method, params) => {
      if (method !== 'Runtime.exceptionThrown') return;
      const details = params.exceptionDetails as { text: string; exception?: { description?: string } };
      pageErrors.push(details.exception?.description ?? details.text);
    });
    await kiosk.send('Runtime.enable', {}, true);
    await kiosk.send('Performance.enable', {}, true);
    const serverPid = server.process.pid!;
    const t0 = performance.now();
    const samples: Sample[] = [];
    const end = t0 + MINUTES * 60_000;
    for (;;) {
      const s = await sample(kiosk, serverPid, t0);
      samples.push(s);
      console.log(
        `${s.minute} min: heap ${s.heapMb} MB (V8 ${s.v8TotalMb}, Blink ${s.blinkMb}, buffers ` +
          `${s.arrayBuffersMb}), ${s.domNodes} nodes, ${s.listeners} listeners, chromium ` +
          `${s.chromiumPssMb} MB (renderer ${s.chromiumByTypeMb.renderer ?? 0}), server ${s.serverPssMb} MB, ` +
          `seq ${s.appliedSeq}, ${s.view}`,
      );
      const wait = Math.min(SAMPLE_S * 1000, end - performance.now());
      if (wait <= 0) break;
      await new Promise((r) => setTimeout(r, wait));
    }
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const result = {
      renderer: 'Debian Chromium headless, WebGL in software (SwiftShader), no DevTools client on the page',
      viewport: '1920×1080',
      minutes: MINUTES,
      sampleEveryS: SAMPLE_S,
      warmupMinutes: WARMUP_MIN,
      playlist: PLAYLIST,
      simulator: { members: Number(MEMBERS), hazardsPerHour: Number(HAZARDS_PER_HOUR) },
      liveEvents: last.appliedSeq - first.appliedSeq,
      kioskAdvances: last.kioskAdvances - first.kioskAdvances,
      snapshotLoads: last.snapshotLoads - first.snapshotLoads,
      pageErrors,
      afterWarmup: growthOf(samples.filter((s) => s.minute >= WARMUP_MIN)),
      // whether it has levelled off: the same over the second half of the run alone
      secondHalf: growthOf(samples.filter((s) => s.minute >= MINUTES / 2)),
      samples,
    };
    console.log(JSON.stringify({ ...result, samples: undefined }, null, 2));
    console.log(`written ${await writeResult(RESULT, result)}`);
  } finally {
    await kiosk?.close();
    await close();
  }
}

await main();
