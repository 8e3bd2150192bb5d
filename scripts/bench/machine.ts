import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** What the figures were measured on; every benchmark result carries it. */
export function describeMachine() {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    commit,
    at: new Date().toISOString(),
  };
}

/**
 * How steady this machine's CPU is: the same pure-JavaScript loop (about a millisecond of work) timed
 * `runs` times with nothing else asked of the process. On a quiet machine its p99 is close to its p50;
 * a virtual machine whose cores are shared shows a long tail here too, and a benchmark's p99 of
 * millisecond work cannot be steadier than this.
 */
export function cpuSteadiness(runs = 1000): { p50Ms: number; p99Ms: number; maxMs: number } {
  const times: number[] = [];
  let sink = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (let j = 0; j < 300_000; j++) sink += (j & 7) * 1e-9;
    times.push(performance.now() - t0);
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the loop from being optimised away
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 1000) / 1000;
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}
