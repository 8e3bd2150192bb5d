/**
 * Progress of a long computation (README "Progress of long computations"). A computation walks through
 * its stages and counts its units of work; this reports where it is to the user who asked (at most
 * every `everyMs`, and always at the end) and, whether anyone listens or not, hands the event loop back
 * every `sliceMs` so that a planner's siting run of several seconds does not hold up the live stream,
 * the dispatch desk or other requests meanwhile.
 */
import type { LiveProgress, ProgressStage, ProgressTask } from '../../../../shared/src/schemas/live.ts';

export interface Progress {
  /**
   * Starts a stage of `total` units of work. Stages only move forward: a stage listed before the current
   * one (a part computed again inside a larger task) passes without being reported; a stage not listed
   * is counted after the listed ones.
   */
  stage(name: ProgressStage, total?: number): Promise<void>;
  /** `n` more units of the current stage are done; yields to the event loop when the slice is used up. */
  step(n?: number): Promise<void>;
  /** The computation is over: reports the last event. Later calls do nothing. */
  end(ok: boolean): void;
}

export interface ProgressOptions {
  task: ProgressTask;
  stages: readonly ProgressStage[];
  /** the client's token; without it (or without `emit`) nothing is reported, but the loop still yields */
  token?: string | undefined;
  emit?: ((p: LiveProgress) => void) | null;
  /** most milliseconds of work between two yields to the event loop */
  sliceMs?: number;
  /** fewest milliseconds between two reports */
  everyMs?: number;
  now?: () => number;
}

export const PROGRESS_SLICE_MS = 20;
export const PROGRESS_EVERY_MS = 100;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const sliceMs = options.sliceMs ?? PROGRESS_SLICE_MS;
  const everyMs = options.everyMs ?? PROGRESS_EVERY_MS;
  const stages = [...options.stages];
  const emit = options.token && options.emit ? options.emit : null;
  let stage: ProgressStage = stages[0] ?? 'render';
  /** set while a stage earlier than the current one runs again: its steps are not counted */
  let passing = false;
  let done = 0;
  let total = 1;
  let sliceStart = now();
  // the first report waits `everyMs` too: a computation that is over sooner (most answers come from
  // what is kept) only sends its last one, so no bar flashes up for it
  let lastReport = sliceStart;
  let ended = false;

  const report = (finished: boolean, ok: boolean) => {
    if (!emit) return;
    lastReport = now();
    const index = stages.indexOf(stage);
    const share = finished ? 1 : (index + Math.min(1, total > 0 ? done / total : 1)) / stages.length;
    try {
      emit({
        token: options.token!,
        task: options.task,
        stage,
        stageIndex: index + 1,
        stages: stages.length,
        done: finished && ok ? total : done,
        total,
        fraction: Math.round(share * 1000) / 1000,
        finished,
        ok,
        at: new Date().toISOString(),
      });
    } catch {
      // a report that cannot be sent never fails the computation
    }
  };

  const maybe = async () => {
    const t = now();
    if (emit && t - lastReport >= everyMs) report(false, true);
    if (t - sliceStart >= sliceMs) {
      await yieldToLoop();
      sliceStart = now();
    }
  };

  return {
    stage(name, stageTotal = 1) {
      if (ended) return Promise.resolve();
      if (!stages.includes(name)) stages.push(name);
      passing = stages.indexOf(name) < stages.indexOf(stage);
      if (!passing) {
        stage = name;
        done = 0;
        total = Math.max(0, stageTotal);
      }
      return maybe();
    },
    step(n = 1) {
      if (ended) return Promise.resolve();
      if (!passing) done = Math.min(total, done + n);
      return maybe();
    },
    end(ok) {
      if (ended) return;
      ended = true;
      report(true, ok);
    },
  };
}

/** Runs `work` with a progress, ending it whether the work succeeds or fails. */
export async function withProgress<T>(progress: Progress, work: (p: Progress) => Promise<T>): Promise<T> {
  try {
    const answer = await work(progress);
    progress.end(true);
    return answer;
  } catch (err) {
    progress.end(false);
    throw err;
  }
}

/** Makes the progress of a user's request (its token from the `Progress-Token` header, if any). */
export type ProgressFactory = (
  userId: number,
  token: string | undefined,
  task: ProgressTask,
  stages: readonly ProgressStage[],
) => Progress;
