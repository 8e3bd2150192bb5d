import type { Queryable } from '../../db/transaction.ts';
import { HttpError } from '../../errors.ts';
import { idempotencyRepository as repo, type IdempotencyScope } from './repo.ts';

export type { IdempotencyScope } from './repo.ts';

/** The first answer to a request, replayed for a retry with the same key. */
export interface StoredAnswer<T> {
  status: number;
  body: T;
}

const FIELD = 'headers.idempotency-key';

/** The same key with a different request: the client reused a key (422, naming the header). */
const mismatch = (key: string) =>
  new HttpError(
    422,
    `Idempotency-Key ${JSON.stringify(key)} was already used for a different request; use a new key for a new request`,
    FIELD,
  );

/**
 * Idempotency-Key handling for write routes. `lookup` answers a retry cheaply before any work; `claim`
 * inside the writing transaction makes concurrent first attempts safe: one of them writes, the others
 * wait for it and replay its answer.
 */
export const idempotency = {
  /** The stored answer for this key and request, undefined when the key is new; 422 when it was used for another request. */
  async lookup<T>(
    db: Queryable,
    scope: IdempotencyScope,
    requestHash: string,
  ): Promise<StoredAnswer<T> | undefined> {
    const row = await repo.find(db, scope);
    if (!row || row.status === null) return undefined;
    if (row.request_hash !== requestHash) throw mismatch(scope.key);
    return { status: row.status, body: row.response as T };
  },

  /** Claims the key in the caller's transaction; returns the answer to replay when another request got there first. */
  async claim<T>(
    db: Queryable,
    scope: IdempotencyScope,
    requestHash: string,
  ): Promise<StoredAnswer<T> | undefined> {
    if (await repo.claim(db, scope, requestHash)) return undefined;
    const answer = await this.lookup<T>(db, scope, requestHash);
    if (!answer) throw new HttpError(409, 'a request with this Idempotency-Key is still in progress', FIELD);
    return answer;
  },

  /** Records the answer of the request that claimed the key (same transaction). */
  complete(db: Queryable, scope: IdempotencyScope, answer: StoredAnswer<unknown>): Promise<void> {
    return repo.complete(db, scope, answer.status, answer.body);
  },

  prune(db: Queryable, before: Date): Promise<number> {
    return repo.prune(db, before);
  },
};
