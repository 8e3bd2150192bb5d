import { LIVE_EVENT_TOPIC, type LiveEvent, type NewLiveEvent } from '../../../../shared/src/schemas/live.ts';
import type { Queryable } from '../../db/transaction.ts';

/** The channel the log's writers notify after commit (PostgreSQL delivers NOTIFY only on commit). */
export const EVENT_CHANNEL = 'gridwatch_events';

interface EventRow {
  seq: string;
  type: LiveEvent['type'];
  topic: LiveEvent['topic'];
  at: Date;
  area_code: string;
  grid_code: string | null;
  department: LiveEvent['department'];
  subject: string;
  data: Record<string, unknown>;
}

const toEvent = (r: EventRow): LiveEvent => ({
  seq: Number(r.seq),
  type: r.type,
  topic: r.topic,
  at: r.at.toISOString(),
  area: r.area_code,
  grid: r.grid_code,
  department: r.department,
  subject: r.subject,
  data: r.data,
});

const COLUMNS = 'seq, type, topic, at, area_code, grid_code, department, subject, data';

export const eventRepository = {
  /**
   * Appends events inside the caller's transaction and returns them with their seq. Locks the
   * sequence counter until the transaction ends, so call it last, once, just before COMMIT.
   */
  async append(db: Queryable, events: readonly NewLiveEvent[]): Promise<LiveEvent[]> {
    if (events.length === 0) return [];
    const { rows } = await db.query<EventRow>(
      `WITH counter AS (UPDATE event_seq SET seq = seq + $1 RETURNING seq - $1 AS base)
       INSERT INTO event_log (seq, type, topic, area_code, grid_code, department, subject, data)
       SELECT counter.base + e.ord, e.type, e.topic, e.area_code, e.grid_code, e.department, e.subject, e.data
         FROM counter,
              unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
                WITH ORDINALITY AS e(type, topic, area_code, grid_code, department, subject, data, ord)
       RETURNING ${COLUMNS}`,
      [
        events.length,
        events.map((e) => e.type),
        events.map((e) => LIVE_EVENT_TOPIC[e.type]),
        events.map((e) => e.area),
        events.map((e) => e.grid ?? null),
        events.map((e) => e.department ?? null),
        events.map((e) => e.subject),
        events.map((e) => JSON.stringify(e.data)),
      ],
    );
    await db.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, rows.at(-1)!.seq]);
    return rows.map(toEvent).sort((a, b) => a.seq - b.seq);
  },

  /** The newest committed seq (0 when the log is empty). */
  async head(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ seq: string }>('SELECT seq FROM event_seq');
    return Number(rows[0]!.seq);
  },

  /** The oldest seq still in the log (after pruning), or null when it holds none. */
  async oldest(db: Queryable): Promise<number | null> {
    const { rows } = await db.query<{ seq: string | null }>('SELECT min(seq) AS seq FROM event_log');
    return rows[0]!.seq === null ? null : Number(rows[0]!.seq);
  },

  /** Events with afterSeq < seq <= untilSeq, in order, at most `limit`. */
  async range(db: Queryable, afterSeq: number, untilSeq: number, limit: number): Promise<LiveEvent[]> {
    const { rows } = await db.query<EventRow>(
      `SELECT ${COLUMNS} FROM event_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [afterSeq, untilSeq, limit],
    );
    return rows.map(toEvent);
  },

  /** Deletes events older than `before`, always keeping the newest `keep`; returns how many went. */
  async prune(db: Queryable, before: Date, keep: number): Promise<number> {
    const { rowCount } = await db.query(
      `DELETE FROM event_log WHERE at < $1 AND seq <= (SELECT seq FROM event_seq) - $2`,
      [before, keep],
    );
    return rowCount ?? 0;
  },
};
