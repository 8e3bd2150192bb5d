/**
 * The `progress` reports of the live connection (README "Progress of long computations"), handed to
 * whoever asked for them: a store that sent a request with a `Progress-Token` header listens for its
 * token here while the answer is on its way.
 */
import type { LiveProgress } from '../../../shared/src/schemas/live.ts';

export type ProgressListener = (report: LiveProgress) => void;

export interface ProgressSource {
  subscribe(listener: ProgressListener): () => void;
}

export function createProgressBus(): ProgressSource & { publish: ProgressListener } {
  const listeners = new Set<ProgressListener>();
  return {
    publish(report) {
      for (const listener of [...listeners]) listener(report);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The page's one bus: the live connection publishes, the stores subscribe. */
export const progressBus = createProgressBus();

/** A token for one request's progress: 8–64 letters and digits (the header's pattern). */
export const progressToken = (): string =>
  `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`.padEnd(8, '0');
