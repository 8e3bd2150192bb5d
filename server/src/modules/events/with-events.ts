import type pg from 'pg';
import type { LiveEvent, NewLiveEvent } from '../../../../shared/src/schemas/live.ts';
import { withTransaction } from '../../db/transaction.ts';
import { eventRepository } from './repo.ts';

/**
 * Called after a transaction with events committed, with those events in seq order (the relay reads the
 * log sooner than its poll; in-memory caches of this instance drop what the commit changed at once).
 */
export type CommitListener = (committed: LiveEvent[]) => void;

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
      if (appended.length) for (const listener of listeners) listener(appended);
      return result;
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
