/**
 * The wall's live connection (README "Live stream"): the snapshot first, then Socket.IO with
 * `auth: { token, afterSeq }` so the server replays everything after the snapshot and goes on live.
 *
 * - Batches go to the store in seq order; duplicates are skipped there.
 * - A gap (a subscription that receives the whole log skipping a seq) or a `reload` from the server
 *   reloads the snapshot, then reconnects after its seq.
 * - A dropped network or a restarted server: Socket.IO reconnects by itself (and we do after a
 *   server-side disconnect, which it does not retry); the handshake's `afterSeq` is read at every
 *   attempt, so the server resumes after the last applied event.
 * - A refused token (401) is refreshed through the session before the next attempt.
 * - The snapshot loads at once; the socket opens when `socketReady` says so (a wall: once its first
 *   picture is up), with Socket.IO's client loaded then (a chunk of its own). Nothing is missed
 *   meanwhile: the handshake's `afterSeq` replays what happened since the snapshot.
 */
import type { Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  LiveEvent,
  LiveHandshake,
  LiveProgress,
  LiveSnapshot,
  ServerToClientEvents,
} from '../../../shared/src/schemas/live.ts';
import type { LiveStore } from './live-store.ts';

export const SNAPSHOT_URL = '/api/live/snapshot';

/** Retries (snapshot, reconnect after the server closed the socket) back off up to this. */
export const RETRY_MAX_MS = 10_000;
const RETRY_FIRST_MS = 1_000;

/** Two gaps this close together mean the stream is filtered after all: stop treating skips as gaps. */
export const GAP_STORM_MS = 60_000;

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveConnectionDeps {
  store: LiveStore;
  /** The session's fetch (carries the bearer token). */
  fetch: typeof fetch;
  /** The current access token (read at every connection attempt). */
  token: () => string | null;
  /** Refreshes the access token (after the server refused it). */
  refresh: () => Promise<unknown>;
  /**
   * Whether this subscription receives every event of the log, so that a skipped seq is a gap. A
   * subscription narrowed by area, topic or department skips seqs by design.
   */
  contiguous: boolean;
  /** Told of every progress report of a long computation this user asked for (README "Progress"). */
  onProgress?: (report: LiveProgress) => void;
  /** Opens the socket (tests pass a fake); by default Socket.IO's client, loaded on first use. */
  openSocket?: (auth: (cb: (data: LiveHandshake) => void) => void) => LiveSocket | Promise<LiveSocket>;
  /** Resolves when the socket may open (until then only the snapshot loads); at once when absent. */
  socketReady?: Promise<void>;
  now?: () => number;
}

export interface LiveConnection {
  stop(): void;
  /** Handles a batch as if the server had sent it (the browser test's way to make a gap). */
  receive(batch: LiveEvent[]): void;
}

async function defaultOpenSocket(auth: (cb: (data: LiveHandshake) => void) => void): Promise<LiveSocket> {
  const { io } = await import('socket.io-client');
  return io({
    autoConnect: false,
    auth,
    reconnectionDelay: RETRY_FIRST_MS,
    reconnectionDelayMax: RETRY_MAX_MS / 2,
  });
}

const backoff = (attempt: number) => Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt);

export function startLiveConnection(deps: LiveConnectionDeps): LiveConnection {
  const { store } = deps;
  const now = deps.now ?? (() => Date.now());
  let contiguous = deps.contiguous;
  let stopped = false;
  /** Set while the snapshot is (re)loading: the socket is closed on purpose meanwhile. */
  let loading = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let connectAttempts = 0;
  let lastGapAt = -Infinity;

  /** The socket once it is open (null before `socketReady`, and while its code loads). */
  let socket: LiveSocket | null = null;
  const auth = (cb: (data: LiveHandshake) => void) =>
    cb({ token: deps.token() ?? '', afterSeq: store.getSnapshot().appliedSeq });
  /** Opens the socket when allowed, trying again (backing off) if its code fails to load. */
  const opened = (async (): Promise<LiveSocket> => {
    await deps.socketReady;
    for (let attempt = 0; ; attempt++) {
      if (stopped) return new Promise<never>(() => {});
      try {
        const opening = await (deps.openSocket ?? defaultOpenSocket)(auth);
        if (stopped) return new Promise<never>(() => {});
        listen(opening);
        socket = opening;
        return opening;
      } catch (error) {
        console.warn(`gridwatch: the live stream's client did not load, retrying: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, backoff(attempt)));
      }
    }
  })();
  /** Connects once the socket is open, unless stopped, reloading or connected already. */
  const connect = () =>
    void opened.then((open) => {
      if (!stopped && !loading && !open.connected) open.connect();
    });

  const later = (ms: number, run: () => void) => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!stopped) run();
    }, ms);
  };

  /** Connects again where Socket.IO will not by itself (the server closed the socket, or refused it). */
  const connectLater = () => later(backoff(connectAttempts++), connect);

  async function loadSnapshot(state: 'connecting' | 'reloading'): Promise<void> {
    if (loading || stopped) return;
    loading = true;
    clearTimeout(retryTimer);
    store.setConnection(state);
    socket?.disconnect();
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const response = await deps.fetch(SNAPSHOT_URL);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const snapshot = (await response.json()) as LiveSnapshot;
        if (stopped) return;
        store.applySnapshot(snapshot);
        break;
      } catch (error) {
        console.warn(`gridwatch: the live snapshot did not load, retrying: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, backoff(attempt)));
      }
    }
    loading = false;
    connect();
  }

  function receive(batch: LiveEvent[]): void {
    if (stopped || loading) return;
    const result = store.applyBatch(batch, { contiguous });
    if (result.status !== 'gap') return;
    console.warn(
      `gridwatch: live events ${result.expected}…${result.received - 1} are missing: reloading the snapshot`,
    );
    const at = now();
    if (at - lastGapAt < GAP_STORM_MS) contiguous = false;
    lastGapAt = at;
    void loadSnapshot('reloading');
  }

  function listen(open: LiveSocket): void {
    open.on('events', receive);
    open.on('progress', (report) => deps.onProgress?.(report));
    open.on('subscribed', (info) => {
      connectAttempts = 0;
      store.markSubscribed(info.seq);
      store.setConnection('live');
    });
    open.on('reload', (info) => {
      console.warn(`gridwatch: the server asks for a snapshot reload (${info.reason})`);
      void loadSnapshot('reloading');
    });
    open.on('live:error', (error) => {
      console.warn(`gridwatch: live stream error ${error.status} ${error.field}: ${error.message}`);
    });
    open.on('disconnect', (reason) => {
      if (stopped || loading || reason === 'io client disconnect') return;
      store.setConnection('reconnecting');
      // Socket.IO retries a lost transport by itself, never a socket the server closed (a restart
      // closes every socket before it stops).
      if (reason === 'io server disconnect') connectLater();
    });
    open.on('connect_error', (error) => {
      if (stopped || loading) return;
      store.setConnection('reconnecting');
      const status = (error as Error & { data?: { status?: number } }).data?.status;
      if (status === 401) {
        void deps.refresh().finally(connectLater);
      } else if (!open.active) {
        connectLater();
      }
    });
  }

  void loadSnapshot('connecting');

  return {
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      socket?.removeAllListeners();
      socket?.disconnect();
      store.setConnection('stopped');
    },
    receive,
  };
}
