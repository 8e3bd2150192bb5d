import type { Queryable } from '../../db/transaction.ts';

export interface IdempotencyRow {
  request_hash: string;
  status: number | null;
  response: unknown;
}

export interface IdempotencyScope {
  userId: number;
  /** `POST /api/hazards` */
  route: string;
  key: string;
}

export const idempotencyRepository = {
  async find(db: Queryable, s: IdempotencyScope): Promise<IdempotencyRow | undefined> {
    const { rows } = await db.query<IdempotencyRow>(
      `SELECT request_hash, status, response FROM idempotency_key WHERE user_id = $1 AND route = $2 AND key = $3`,
      [s.userId, s.route, s.key],
    );
    return rows[0];
  },

  /**
   * Claims the key for this transaction: true when it is ours. When another transaction holds it, the
   * insert waits for that one to end (unique index), then finds its row and returns false.
   */
  async claim(db: Queryable, s: IdempotencyScope, requestHash: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO idempotency_key (user_id, route, key, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [s.userId, s.route, s.key, requestHash],
    );
    return rowCount === 1;
  },

  async complete(db: Queryable, s: IdempotencyScope, status: number, response: unknown): Promise<void> {
    await db.query(
      `UPDATE idempotency_key SET status = $4, response = $5 WHERE user_id = $1 AND route = $2 AND key = $3`,
      [s.userId, s.route, s.key, status, JSON.stringify(response)],
    );
  },

  async prune(db: Queryable, before: Date): Promise<number> {
    const { rowCount } = await db.query('DELETE FROM idempotency_key WHERE created_at < $1', [before]);
    return rowCount ?? 0;
  },
};
