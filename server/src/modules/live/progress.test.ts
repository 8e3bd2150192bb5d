import { describe, expect, it } from 'vitest';
import type { LiveProgress } from '../../../../shared/src/schemas/live.ts';
import { createProgress, withProgress } from './progress.ts';

/** A clock the test moves by hand. */
const clock = () => {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('progress of a long computation', () => {
  it('reports the stages in order, at most every everyMs, and always the end', async () => {
    const c = clock();
    const seen: LiveProgress[] = [];
    const p = createProgress({
      task: 'siting',
      stages: ['land', 'reach', 'candidates', 'greedy'],
      token: 'abcdefgh',
      emit: (r) => seen.push(r),
      everyMs: 100,
      sliceMs: 1e9,
      now: c.now,
    });
    await p.stage('land');
    expect(seen).toHaveLength(0); // nothing before everyMs: a quick answer sends only its last report
    c.advance(100);
    await p.step();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      token: 'abcdefgh',
      task: 'siting',
      stage: 'land',
      stageIndex: 1,
      stages: 4,
    });
    await p.step();
    expect(seen).toHaveLength(1); // no time has passed
    await p.stage('candidates', 200);
    for (let i = 0; i < 200; i++) {
      c.advance(10);
      await p.step();
    }
    // 2,000 ms of steps, reported every 100 ms
    expect(seen.length).toBeGreaterThanOrEqual(19);
    expect(seen.length).toBeLessThanOrEqual(21);
    const mid = seen.find((r) => r.stage === 'candidates' && r.done === 100)!;
    expect(mid.stageIndex).toBe(3);
    expect(mid.fraction).toBeCloseTo((2 + 100 / 200) / 4, 3);
    const fractions = seen.map((r) => r.fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    p.end(true);
    p.end(true);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ finished: true, ok: true, fraction: 1 });
    expect(seen.filter((r) => r.finished)).toHaveLength(1);
  });

  it('moves only forward: an earlier stage run again inside a larger task is passed over', async () => {
    const c = clock();
    const seen: LiveProgress[] = [];
    const p = createProgress({
      task: 'report',
      stages: ['land', 'reach', 'gaps'],
      token: 'abcdefgh',
      emit: (r) => seen.push(r),
      everyMs: 0,
      sliceMs: 1e9,
      now: c.now,
    });
    await p.stage('reach', 10);
    await p.step(4);
    await p.stage('land'); // the gaps part reads its context again
    await p.step();
    expect(seen.at(-1)).toMatchObject({ stage: 'reach', done: 4, total: 10 });
    await p.stage('gaps', 2);
    await p.step();
    expect(seen.at(-1)).toMatchObject({ stage: 'gaps', stageIndex: 3, done: 1, total: 2 });
    expect(seen.every((r, i) => i === 0 || r.fraction >= seen[i - 1]!.fraction)).toBe(true);
  });

  it('hands the event loop back every slice, whether anyone listens or not', async () => {
    const p = createProgress({ task: 'siting', stages: ['candidates'], sliceMs: 5 });
    let ran = 0;
    const timer = setInterval(() => ran++, 1);
    await p.stage('candidates', 60);
    const started = performance.now();
    for (let i = 0; i < 60; i++) {
      const until = performance.now() + 1;
      while (performance.now() < until); // a millisecond of work
      await p.step();
    }
    clearInterval(timer);
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
    // a timer could fire while 60 ms of work ran in slices of 5 ms
    expect(ran).toBeGreaterThan(3);
  });

  it('reports nothing without a token, and reports a failure as finished but not ok', async () => {
    const seen: LiveProgress[] = [];
    const silent = createProgress({ task: 'gaps', stages: ['gaps'], emit: (r) => seen.push(r) });
    await silent.stage('gaps');
    silent.end(true);
    expect(seen).toEqual([]);
    const failing = createProgress({
      task: 'gaps',
      stages: ['gaps'],
      token: 'abcdefgh',
      emit: (r) => seen.push(r),
    });
    await expect(
      withProgress(failing, async (p) => {
        await p.stage('gaps');
        throw new Error('no county');
      }),
    ).rejects.toThrow('no county');
    expect(seen.at(-1)).toMatchObject({ finished: true, ok: false });
    // a report that cannot be sent does not fail the computation
    const broken = createProgress({
      task: 'gaps',
      stages: ['gaps'],
      token: 'abcdefgh',
      emit: () => {
        throw new Error('socket gone');
      },
    });
    await expect(withProgress(broken, async (p) => (await p.stage('gaps'), 42))).resolves.toBe(42);
  });
});
