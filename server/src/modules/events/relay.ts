import pg from 'pg';
import type { LiveEvent } from '../../../../shared/src/schemas/live.ts';
import { EVENT_CHANNEL, eventRepository } from './repo.ts';

export interface RelayOptions {
  pool: pg.Pool;
  /** PostgreSQL: a dedicated LISTEN connection wakes the relay when any instance commits events */
  listenUrl?: string | undefined;
  /** events committed within this window go out as one batch */
  batchMs: number;
  /** how often the relay looks at the log without being woken (a safety net, and the embedded backend's cross-process path) */
  pollMs: number;
  /** most events read per query */
  readLimit?: number;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

export type BatchListener = (events: LiveEvent[]) => void;

export interface EventRelay {
  /** the last seq handed to listeners: every event up to it has been delivered, in order */
  readonly seq: number;
  /** how long the last batch took from its newest event's commit to delivery, ms */
  readonly lagMs: number;
  onBatch(listener: BatchListener): () => void;
  /** read the log now-ish (called after a local commit) */
  wake(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Delivers the event log, in seq order and without gaps, to in-process listeners (the Socket.IO
 * fan-out). It reads `seq > last delivered` whenever it is woken: by NOTIFY on PostgreSQL (so every
 * instance sees every instance's commits), by the local writer after a commit, and by a slow poll.
 * Because seq order is commit order (see migration 003), reading past the last delivered seq can never
 * skip an event that commits later. Wake-ups within `batchMs` of the last read are coalesced.
 */
export function createEventRelay(options: RelayOptions): EventRelay {
  const { pool, batchMs, pollMs } = options;
  const readLimit = options.readLimit ?? 5_000;
  const log = options.log ?? (() => {});
  const listeners = new Set<BatchListener>();
  let seq = 0;
  let lagMs = 0;
  let stopped = true;
  let reading = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let lastReadAt = 0;
  let pollTimer: NodeJS.Timeout | undefined;
  let listenClient: pg.Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  async function read(): Promise<void> {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        lastReadAt = Date.now();
        const events = await eventRepository.range(pool, seq, Number.MAX_SAFE_INTEGER, readLimit);
        if (events.length === 0) break;
        seq = events.at(-1)!.seq;
        lagMs = Date.now() - Date.parse(events.at(-1)!.at);
        for (const listener of listeners) {
          try {
            listener(events);
          } catch (err) {
            log('warn', `event listener failed: ${(err as Error).message}`);
          }
        }
        if (events.length === readLimit) again = true;
      } while (again && !stopped);
      if (failures > 0) log('info', `event relay reading again after ${failures} failed attempt(s)`);
      failures = 0;
    } catch (err) {
      failures += 1;
      if (failures === 1) log('warn', `event relay cannot read the log: ${(err as Error).message}`);
    } finally {
      reading = false;
    }
  }

  function wake(): void {
    if (stopped || timer) return;
    const wait = Math.max(0, lastReadAt + batchMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      void read();
    }, wait);
  }

  async function listen(url: string): Promise<void> {
    const client = new pg.Client({ connectionString: url, keepAlive: true });
    const retry = (reason: string) => {
      if (stopped || reconnectTimer || listenClient !== client) return;
      listenClient = undefined;
      log('warn', `event relay LISTEN connection lost (${reason}); reconnecting`);
      client.end().catch(() => {});
      reconnectTimer = setTimeout(() => {
        reconnectTimer = undefined;
        listen(url).catch(() => {});
      }, 1_000);
    };
    listenClient = client;
    client.on('error', (err) => retry(err.message));
    client.on('end', () => retry('closed'));
    client.on('notification', () => wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_CHANNEL}`);
      // anything committed while we were not listening
      wake();
    } catch (err) {
      retry((err as Error).message);
    }
  }

  return {
    get seq() {
      return seq;
    },
    get lagMs() {
      return lagMs;
    },
    onBatch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wake,
    async start() {
      stopped = false;
      seq = await eventRepository.head(pool);
      if (options.listenUrl) await listen(options.listenUrl);
      pollTimer = setInterval(() => {
        eventRepository.head(pool).then(
          (head) => {
            if (head > seq) wake();
          },
          () => {},
        );
      }, pollMs);
      pollTimer.unref();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(reconnectTimer);
      clearInterval(pollTimer);
      timer = undefined;
      const client = listenClient;
      listenClient = undefined;
      await client?.end().catch(() => {});
      // let a read in progress finish before the pool closes
      while (reading) await new Promise((r) => setTimeout(r, 5));
    },
  };
}
