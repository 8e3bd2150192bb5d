/**
 * A value read from the database and kept in memory until the event log says it changed: any event of
 * one of `topics` marks it stale, whether this instance committed it (at once, so a caller reads its own
 * writes) or the relay brought it from another instance; and so does age (`maxAgeMs`, for changes made outside the
 * product: imports, seeds, hand edits). A read that started before the value was marked stale does not
 * count as fresh, so an answer is never older than the newest event this instance has relayed.
 * Concurrent callers share one read; a failed read is tried again by the next caller.
 */
import type { LiveEvent, LiveTopic } from '../../../../shared/src/schemas/live.ts';

/** Something that tells of events: the relay's onBatch, the writer's onCommit. */
export type EventSource = (listener: (events: LiveEvent[]) => void) => () => unknown;

export interface LiveCache<T> {
  get(): Promise<T>;
  /** marks the value stale (the next get reads it again) */
  invalidate(): void;
  /** stops listening to the relay */
  close(): void;
}

export function createLiveCache<T>(options: {
  sources: readonly EventSource[];
  topics: readonly LiveTopic[];
  maxAgeMs: number;
  load: () => Promise<T>;
}): LiveCache<T> {
  const topics = new Set<string>(options.topics);
  let value: { data: T; at: number; generation: number } | undefined;
  let generation = 0;
  let loading: { promise: Promise<T>; generation: number } | undefined;

  const offs = options.sources.map((source) =>
    source((events: LiveEvent[]) => {
      if (events.some((e) => topics.has(e.topic))) generation++;
    }),
  );

  function load(): Promise<T> {
    if (loading && loading.generation === generation) return loading.promise;
    const started = generation;
    const at = Date.now();
    const promise = options.load().then(
      (data) => {
        if (!value || value.generation <= started) value = { data, at, generation: started };
        if (loading?.promise === promise) loading = undefined;
        return data;
      },
      (err: unknown) => {
        if (loading?.promise === promise) loading = undefined;
        throw err;
      },
    );
    loading = { promise, generation: started };
    return promise;
  }

  return {
    get() {
      if (value && value.generation === generation && Date.now() - value.at < options.maxAgeMs)
        return Promise.resolve(value.data);
      return load();
    },
    invalidate() {
      generation++;
    },
    close() {
      for (const off of offs) off();
    },
  };
}
