import type pg from 'pg';
import type { LiveEvent, NewLiveEvent } from '../../../../shared/src/schemas/live.ts';
import { withTransaction } from '../../db/transaction.ts';
import { eventRepository } from './repo.ts';

/** Called after a transaction with events committed (the relay reads the log sooner than its poll). */
export type CommitListener = (last: LiveEvent) => void;

export interface EventWriter {
  /**
   * Runs `work` in one transaction; the events it emits are appended to the log at the end of that
   * transaction, so the change and its events commit together or not at all.
   */
  transaction<T>(
    work: (client: pg.PoolClient, emit: (event: NewLiveEvent) => void) => Promise<T>,
  ): Promise<T>;
  onCommit(listener: CommitListener): () => void;
}

export function createEventWriter(pool: pg.Pool): EventWriter {
  const listeners = new Set<CommitListener>();
  return {
    async transaction(work) {
      let appended: LiveEvent[] = [];
      const result = await withTransaction(pool, async (client) => {
        const pending: NewLiveEvent[] = [];
        const value = await work(client, (event) => pending.push(event));
        appended = await eventRepository.append(client, pending);
        return value;
      });
      const last = appended.at(-1);
      if (last) for (const listener of listeners) listener(last);
      return result;
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
