/**
 * `npm run bench:soak`: a kiosk wall left running, to see whether the page grows its memory.
 *
 * The embedded demo server runs its simulator busier than the demo default (grid members patrolling
 * and reporting hazards), and one Debian Chromium screen plays the kiosk playlist
 * (`?kiosk=wall:…,town:…,plan:…,ledger:…#display=<token>`, signed in by a display token as a wall is)
 * for BENCH_SOAK_MINUTES (60). Every BENCH_SOAK_SAMPLE_S (60) the page's garbage is collected (CDP
 * `HeapProfiler.collectGarbage`) and then read: the JavaScript heap in use, DOM nodes, event listeners
 * and documents (CDP `Performance.getMetrics`), the main thread's V8 heap as committed, Blink's heap and
 * ArrayBuffer backing stores (CDP `Runtime.getHeapUsage`), the memory (PSS) of every Chromium process and of
 * the server, and how far the live stream has got. The growth is a least-squares slope over the
 * samples after the warm-up (the first BENCH_SOAK_WARMUP_MIN, 10), in MB or nodes per hour.
 *
 * Chromium draws WebGL in software here (SwiftShader): the figures are about this page's own memory,
 * not a GPU driver's. Writes bench/results/soak.json.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { CDPSession, Page } from 'playwright-core';
import type {} from '../../client/src/test-hooks.ts';
import type { TokenResponse } from '../../shared/src/schemas/auth.ts';
import { DEMO_WALL_PASSWORD, startDemoWall } from './demo-wall.ts';
import { writeResult } from './server.ts';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 60);
const SAMPLE_S = Number(process.env.BENCH_SOAK_SAMPLE_S ?? 60);
const WARMUP_MIN = Number(process.env.BENCH_SOAK_WARMUP_MIN ?? Math.min(10, MINUTES / 4));
const PLAYLIST = process.env.BENCH_SOAK_PLAYLIST ?? 'wall:60,town:45,plan:45,ledger:45';
const MEMBERS = process.env.BENCH_SOAK_MEMBERS ?? '120';
const HAZARDS_PER_HOUR = process.env.BENCH_SOAK_HAZARDS_PER_HOUR ?? '600';
const PASSWORD = DEMO_WALL_PASSWORD;

interface Sample {
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
  serverPssMb: number;
  appliedSeq: number;
  snapshotLoads: number;
  connection: string;
  kioskAdvances: number;
  view: string;
  openHazards: number;
  patrols: number;
}

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

/** Memory of every Chromium process this script started, MB (PSS: shared pages are not counted twice). */
async function chromiumPssMb(): Promise<Record<string, number>> {
  const byType: Record<string, number> = {};
  for (const pid of await descendants(process.pid)) {
    // Chromium's children rewrite their command line as one line (spaces, not NULs)
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!/chrom/i.test(cmd.split(/[\0 ]/)[0] ?? '')) continue;
    const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
    byType[type] = (byType[type] ?? 0) + (await pssMb(pid));
  }
  return byType;
}

async function sample(page: Page, cdp: CDPSession, serverPid: number, t0: number): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  // the main thread's memory by kind (workers, MapLibre's among them, are not in these)
  const usage = (await cdp.send('Runtime.getHeapUsage')) as {
    totalSize: number;
    embedderHeapUsedSize?: number;
    backingStorageSize?: number;
  };
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  const state = await page.evaluate(() => {
    const h = window.__gridwatch!;
    return {
      appliedSeq: h.live?.appliedSeq ?? 0,
      snapshotLoads: h.live?.snapshotLoads ?? 0,
      connection: h.live?.connection ?? 'none',
      kioskAdvances: h.kiosk?.advances ?? 0,
      view: h.kiosk?.view ?? '',
      openHazards: h.live?.hazardIds.length ?? 0,
      patrols: h.live?.patrolSessions.length ?? 0,
    };
  });
  const round = (x: number) => Math.round(x * 10) / 10;
  const chromium = await chromiumPssMb();
  return {
    minute: round((performance.now() - t0) / 60_000),
    heapMb: round(metric('JSHeapUsedSize') / 1048576),
    v8TotalMb: round(usage.totalSize / 1048576),
    blinkMb: round((usage.embedderHeapUsedSize ?? 0) / 1048576),
    arrayBuffersMb: round((usage.backingStorageSize ?? 0) / 1048576),
    domNodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
    documents: metric('Documents'),
    chromiumPssMb: round(Object.values(chromium).reduce((a, b) => a + b, 0)),
    chromiumByTypeMb: Object.fromEntries(Object.entries(chromium).map(([type, mb]) => [type, round(mb)])),
    serverPssMb: round(await pssMb(serverPid)),
    ...state,
  };
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

async function main() {
  const { server, browser, close } = await startDemoWall('soak', {
    SIMULATE: 'true',
    SIMULATE_MEMBERS: MEMBERS,
    SIMULATE_HAZARDS_PER_HOUR: HAZARDS_PER_HOUR,
  });
  const pageErrors: string[] = [];
  try {
    // the administrator gives the wall's account a display token, as for a real screen
    const login = async (username: string) => {
      const res = await fetch(new URL('/api/auth/login', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
      return (await res.json()) as TokenResponse;
    };
    const adminToken = (await login('admin')).token;
    const operator = (await login('county_operator')).user;
    const issued = await fetch(new URL('/api/devices', server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '长时运行测试大屏', kind: 'display', userId: operator.id }),
    });
    if (issued.status !== 201) throw new Error(`display token: ${issued.status} ${await issued.text()}`);
    const { token } = (await issued.json()) as { token: string };

    const page = await browser.newPage({
      viewport: { width: 1920, height: 1080 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(new URL(`/?kiosk=${PLAYLIST}#display=${token}`, server.url).href);
    await page.waitForFunction(
      () => window.__gridwatch?.mapLoaded && window.__gridwatch.live?.connection === 'live',
      null,
      { timeout: 180_000 },
    );
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const serverPid = server.process.pid!;
    const t0 = performance.now();
    const samples: Sample[] = [];
    const end = t0 + MINUTES * 60_000;
    for (;;) {
      const s = await sample(page, cdp, serverPid, t0);
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
    const settled = samples.filter((s) => s.minute >= WARMUP_MIN);
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const result = {
      renderer: 'Debian Chromium headless, WebGL in software (SwiftShader)',
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
      afterWarmup: {
        heapMb: growth(settled, (s) => s.heapMb),
        v8TotalMb: growth(settled, (s) => s.v8TotalMb),
        blinkMb: growth(settled, (s) => s.blinkMb),
        arrayBuffersMb: growth(settled, (s) => s.arrayBuffersMb),
        domNodes: growth(settled, (s) => s.domNodes),
        listeners: growth(settled, (s) => s.listeners),
        chromiumPssMb: growth(settled, (s) => s.chromiumPssMb),
        chromiumByTypeMb: Object.fromEntries(
          Object.keys(last.chromiumByTypeMb).map((type) => [
            type,
            growth(settled, (s) => s.chromiumByTypeMb[type] ?? 0),
          ]),
        ),
        serverPssMb: growth(settled, (s) => s.serverPssMb),
      },
      samples,
    };
    console.log(JSON.stringify({ ...result, samples: undefined }, null, 2));
    console.log(`written ${await writeResult('soak', result)}`);
  } finally {
    await close();
  }
}

await main();
