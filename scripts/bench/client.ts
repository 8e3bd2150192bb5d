/**
 * `npm run bench:client`: the wall in Debian Chromium on localhost, over the embedded demo server.
 *
 * - First map: a signed-in wall reloaded (its session survives a reload), from navigation start until
 *   MapLibre's `load` and deck.gl's first draw, and until every dataset has arrived.
 * - JavaScript before the first map: every script the page had fetched by then, as transferred
 *   (the server compresses; `encodedBodySize`) and gzipped here (level 6) for the ≤ 800 KB target.
 * - Frame time: 50,000 live patrol points handed to the live store in batches as if the server had sent
 *   them, then 1,000 position events a second (50 every 50 ms) for BENCH_CLIENT_SECONDS; frame time is
 *   the interval between animation frames, beside the same map idle.
 *
 * Chromium here draws WebGL in software (SwiftShader, NOTES.md): the frame figures compare the wall
 * with itself on this machine, not what a GPU would do. Writes bench/results/client.json.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type {} from '../../client/src/test-hooks.ts';
import { DEMO_WALL_PASSWORD, startDemoWall } from './demo-wall.ts';
import { writeResult } from './server.ts';

const POINTS = Number(process.env.BENCH_CLIENT_POINTS ?? 50_000);
const EVENTS_PER_S = Number(process.env.BENCH_CLIENT_EVENTS_PER_S ?? 1_000);
const SECONDS = Number(process.env.BENCH_CLIENT_SECONDS ?? 10);
const RELOADS = Number(process.env.BENCH_CLIENT_RELOADS ?? 3);
const PASSWORD = DEMO_WALL_PASSWORD;
const DIST = path.resolve('dist/client');

interface FirstMap {
  /** from navigation start, ms */
  mapMs: number;
  allDataMs: number;
  scripts: { url: string; transferredBytes: number; responseEndMs: number }[];
}

/** Reloads the signed-in wall and times it (the page keeps its session across a reload). */
async function firstMap(page: Page): Promise<FirstMap> {
  await page.reload({ waitUntil: 'commit' });
  const mapMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const check = () => {
          const h = window.__gridwatch;
          if (h?.mapLoaded && h.deckDrawCount > 0) resolve(performance.now());
          else setTimeout(check, 5);
        };
        check();
      }),
  );
  const allDataMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const check = () => {
          const h = window.__gridwatch;
          if (h?.mapLoaded && h.pendingDatasets.length === 0 && h.layersDrawn === h.layersRequested)
            resolve(performance.now());
          else setTimeout(check, 5);
        };
        check();
      }),
  );
  const scripts = await page.evaluate((before) => {
    return (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => /\.m?js(\?|$)/.test(e.name) && e.responseEnd <= before)
      .map((e) => ({ url: e.name, transferredBytes: e.encodedBodySize, responseEndMs: e.responseEnd }));
  }, mapMs);
  return { mapMs, allDataMs, scripts };
}

/** Frame intervals (ms) over `seconds`, while `feed` (if any) runs in the page. */
async function frameTimes(page: Page, seconds: number, eventsPerS: number): Promise<number[]> {
  return page.evaluate(
    ({ seconds, eventsPerS }) =>
      new Promise<number[]>((resolve) => {
        const h = window.__gridwatch!;
        const intervals: number[] = [];
        let last = performance.now();
        const end = last + seconds * 1000;
        let feeder: ReturnType<typeof setInterval> | undefined;
        if (eventsPerS > 0) {
          const perTick = Math.round(eventsPerS / 20);
          const state = (window as unknown as { __bench: { seq: number; sessions: number; bbox: number[] } })
            .__bench;
          let n = 0;
          feeder = setInterval(() => {
            const batch = [];
            for (let i = 0; i < perTick; i++) {
              const sessionId = 1 + ((n++ * 7919) % state.sessions);
              const [w, s, e, nn] = state.bbox as [number, number, number, number];
              batch.push({
                seq: ++state.seq,
                type: 'patrol.position',
                topic: 'patrol',
                at: new Date().toISOString(),
                area: '320803',
                grid: null,
                department: null,
                subject: `patrol:${sessionId}`,
                data: {
                  sessionId,
                  userId: sessionId,
                  member: `巡查员${sessionId}`,
                  lon: w + Math.random() * (e - w),
                  lat: s + Math.random() * (nn - s),
                  fixAt: new Date().toISOString(),
                  speedKmh: 4,
                  bearing: 90,
                  inOwnGrid: true,
                },
              });
            }
            h.liveReceive!(batch as never);
          }, 50);
        }
        const frame = (t: number) => {
          intervals.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(frame);
          else {
            clearInterval(feeder);
            resolve(intervals);
          }
        };
        requestAnimationFrame(frame);
      }),
    { seconds, eventsPerS },
  );
}

/** Hands `points` patrol sessions, each with a started and a position event, to the live store. */
async function loadPoints(page: Page, points: number): Promise<number> {
  return page.evaluate(async (points) => {
    const h = window.__gridwatch!;
    const [w, s, e, n] = h.district!.bbox;
    const state = { seq: h.live!.appliedSeq, sessions: points, bbox: [w, s, e, n] };
    (window as unknown as { __bench: typeof state }).__bench = state;
    const t0 = performance.now();
    const at = new Date().toISOString();
    for (let from = 1; from <= points; from += 5_000) {
      const batch = [];
      for (let id = from; id < Math.min(points + 1, from + 5_000); id++) {
        const member = `巡查员${id}`;
        const common = {
          topic: 'patrol',
          at,
          area: '320803',
          grid: null,
          department: null,
          subject: `patrol:${id}`,
        };
        batch.push({
          ...common,
          seq: ++state.seq,
          type: 'patrol.started',
          data: {
            sessionId: id,
            userId: id,
            member,
            grid: null,
            startedAt: at,
            distanceM: 0,
            durationS: 0,
            insideS: 0,
          },
        });
        batch.push({
          ...common,
          seq: ++state.seq,
          type: 'patrol.position',
          data: {
            sessionId: id,
            userId: id,
            member,
            lon: w + Math.random() * (e - w),
            lat: s + Math.random() * (n - s),
            fixAt: at,
            speedKmh: 4,
            bearing: 0,
            inOwnGrid: true,
          },
        });
      }
      h.liveReceive!(batch as never);
      // let the page draw between batches, as it would between socket messages
      await new Promise((r) => setTimeout(r, 0));
    }
    // until deck.gl has drawn the layers with every point
    await new Promise<void>((resolve) => {
      const check = () => (h.layersDrawn === h.layersRequested ? resolve() : setTimeout(check, 10));
      check();
    });
    return performance.now() - t0;
  }, points);
}

function summary(intervals: number[]) {
  const sorted = [...intervals].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10;
  const total = intervals.reduce((a, b) => a + b, 0);
  return {
    frames: intervals.length,
    fps: Math.round((intervals.length / total) * 10_000) / 10,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    maxMs: at(1),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const { server, browser, close } = await startDemoWall('client');
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // tsx keeps function names with an `__name` helper that the page's copies of our callbacks call
    await page.addInitScript('globalThis.__name = (f) => f');
    await page.goto(server.url);
    await page.getByTestId('sign-in-username').fill('county_operator');
    await page.getByTestId('sign-in-password').fill(PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForFunction(
      () => window.__gridwatch?.mapLoaded && window.__gridwatch.pendingDatasets.length === 0,
      null,
      { timeout: 180_000 },
    );

    const runs: FirstMap[] = [];
    for (let i = 0; i < RELOADS; i++) runs.push(await firstMap(page));
    const last = runs.at(-1)!;
    const scripts = await Promise.all(
      last.scripts.map(async (s) => {
        const file = path.join(DIST, new URL(s.url).pathname);
        const raw = await readFile(file).catch(() => null);
        return {
          ...s,
          file: path.relative(DIST, file),
          rawBytes: raw?.length ?? 0,
          gzipBytes: raw ? gzipSync(raw, { level: 6 }).length : 0,
        };
      }),
    );
    const kb = (b: number) => Math.round(b / 102.4) / 10;
    await page.waitForFunction(() => window.__gridwatch?.live?.connection === 'live', null, {
      timeout: 60_000,
    });

    const idle = summary(await frameTimes(page, SECONDS, 0));
    const ingestMs = await loadPoints(page, POINTS);
    const cdp = process.env.BENCH_CLIENT_PROF ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const loaded = summary(await frameTimes(page, SECONDS, 0));
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      await writeFile(process.env.BENCH_CLIENT_PROF!, JSON.stringify(profile));
    }
    const streaming = summary(await frameTimes(page, SECONDS, EVENTS_PER_S));
    const heapMb = await page.evaluate(
      () =>
        Math.round(
          ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) /
            1e5,
        ) / 10,
    );
    const livePoints = await page.evaluate(() => window.__gridwatch!.live!.patrolSessions.length);

    const result = {
      renderer: 'Debian Chromium headless, WebGL in software (SwiftShader)',
      viewport: '1920×1080',
      firstMap: {
        reloads: RELOADS,
        mapMsMedian: Math.round(median(runs.map((r) => r.mapMs))),
        allDataMsMedian: Math.round(median(runs.map((r) => r.allDataMs))),
        each: runs.map((r) => ({ mapMs: Math.round(r.mapMs), allDataMs: Math.round(r.allDataMs) })),
      },
      javascriptBeforeFirstMap: {
        files: scripts.length,
        transferredKb: kb(scripts.reduce((a, s) => a + s.transferredBytes, 0)),
        gzipKb: kb(scripts.reduce((a, s) => a + s.gzipBytes, 0)),
        rawKb: kb(scripts.reduce((a, s) => a + s.rawBytes, 0)),
        targetGzipKb: 800,
        scripts: scripts.map((s) => ({
          file: s.file,
          gzipKb: kb(s.gzipBytes),
          transferredKb: kb(s.transferredBytes),
        })),
      },
      frames: {
        seconds: SECONDS,
        idle,
        livePoints,
        ingestMs: Math.round(ingestMs),
        withPoints: loaded,
        withPointsAndEvents: { eventsPerS: EVENTS_PER_S, ...streaming },
        heapMb,
      },
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`written ${await writeResult('client', result)}`);
  } finally {
    await close();
  }
}

await main();
