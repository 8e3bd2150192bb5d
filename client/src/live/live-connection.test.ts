import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  LiveEvent,
  LiveHandshake,
  LiveProgress,
  LiveSnapshot,
} from '../../../shared/src/schemas/live.ts';
import { SNAPSHOT_URL, startLiveConnection, type LiveSocket } from './live-connection.ts';
import { createLiveStore } from './live-store.ts';

/** A stand-in for the Socket.IO client: records connects and their handshakes, and lets a test emit. */
function fakeSocket() {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  let auth: (cb: (data: LiveHandshake) => void) => void = () => {};
  const socket = {
    connected: false,
    active: false,
    handshakes: [] as LiveHandshake[],
    disconnects: 0,
    on(event: string, handler: (...args: unknown[]) => void) {
      handlers.set(event, handler);
      return socket;
    },
    connect() {
      auth((data) => socket.handshakes.push(data));
      socket.connected = true;
      socket.active = true;
      return socket;
    },
    disconnect() {
      if (socket.connected) socket.disconnects += 1;
      socket.connected = false;
      socket.active = false;
      return socket;
    },
    removeAllListeners() {
      handlers.clear();
      return socket;
    },
    emit(event: string, ...args: unknown[]) {
      handlers.get(event)?.(...args);
    },
  };
  return {
    socket,
    open: (a: typeof auth) => {
      auth = a;
      return socket as unknown as LiveSocket;
    },
  };
}

const snapshot = (seq: number): LiveSnapshot => ({
  seq,
  at: '2026-11-28T08:00:00Z',
  area: '320803',
  parts: { hazards: [], stations: [] },
});

const stationEvent = (seq: number): LiveEvent => ({
  seq,
  type: 'station.status_changed',
  topic: 'station',
  at: '2026-11-28T08:00:00Z',
  area: '320803001001',
  grid: null,
  department: null,
  subject: 'station:ST1',
  data: { code: 'ST1', name: '一站', tier: 'rescue_station', from: 'available', to: 'busy', reason: null },
});

function setup(
  options: {
    contiguous?: boolean;
    snapshots?: number[];
    onProgress?: (p: LiveProgress) => void;
    socketReady?: Promise<void>;
    open?: (auth: (cb: (data: LiveHandshake) => void) => void) => LiveSocket | Promise<LiveSocket>;
  } = {},
) {
  const seqs = [...(options.snapshots ?? [10, 20, 30])];
  const fetch = vi.fn(async (url: RequestInfo | URL) => {
    expect(String(url)).toBe(SNAPSHOT_URL);
    return new Response(JSON.stringify(snapshot(seqs.shift() ?? 99)), { status: 200 });
  });
  const refresh = vi.fn(async () => null);
  const store = createLiveStore(() => 0);
  const fake = fakeSocket();
  const connection = startLiveConnection({
    store,
    fetch: fetch as unknown as typeof globalThis.fetch,
    token: () => 'token-1',
    refresh,
    contiguous: options.contiguous ?? true,
    openSocket: options.open ?? fake.open,
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.socketReady && { socketReady: options.socketReady }),
  });
  return { store, socket: fake.socket, fetch, refresh, connection };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('startLiveConnection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('loads the snapshot first, then connects after its seq; live once subscribed', async () => {
    const { store, socket } = setup();
    expect(store.getSnapshot().connection).toBe('connecting');
    await settle();
    expect(socket.handshakes).toEqual([{ token: 'token-1', afterSeq: 10 }]);
    socket.emit('subscribed', { area: '320803', topics: [], replayed: 0, seq: 12 });
    expect(store.getSnapshot()).toMatchObject({ connection: 'live', appliedSeq: 12 });
  });

  it('opens the socket only when allowed, the snapshot loaded meanwhile; then replays after it', async () => {
    let allow = () => {};
    const socketReady = new Promise<void>((resolve) => (allow = resolve));
    const fake = fakeSocket();
    const opened = vi.fn(fake.open);
    const { store } = setup({ socketReady, open: opened });
    await settle();
    expect(store.getSnapshot().appliedSeq).toBe(10);
    expect(opened).not.toHaveBeenCalled();
    allow();
    await settle();
    expect(opened).toHaveBeenCalledTimes(1);
    expect(fake.socket.handshakes).toEqual([{ token: 'token-1', afterSeq: 10 }]);
  });

  it('tries again when the socket’s code fails to load, and never opens one once stopped', async () => {
    const fake = fakeSocket();
    let failures = 1;
    const open = vi.fn(async (auth: Parameters<typeof fake.open>[0]) => {
      if (failures-- > 0) throw new Error('chunk failed');
      return fake.open(auth);
    });
    setup({ open });
    await settle();
    expect(fake.socket.handshakes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(open).toHaveBeenCalledTimes(2);
    expect(fake.socket.handshakes).toEqual([{ token: 'token-1', afterSeq: 10 }]);

    let allow = () => {};
    const late = fakeSocket();
    const { connection } = setup({
      socketReady: new Promise((resolve) => (allow = resolve)),
      open: late.open,
    });
    await settle();
    connection.stop();
    allow();
    await settle();
    expect(late.socket.handshakes).toEqual([]);
  });

  it('hands the progress reports of long computations on, leaving the store alone', async () => {
    const seen: LiveProgress[] = [];
    const { store, socket } = setup({ onProgress: (p) => seen.push(p) });
    await settle();
    socket.emit('subscribed', { area: '320803', topics: [], replayed: 0, seq: 12 });
    const report = { token: 'abcdefgh', task: 'report', stage: 'render', finished: true } as LiveProgress;
    socket.emit('progress', report);
    expect(seen).toEqual([report]);
    expect(store.getSnapshot().appliedSeq).toBe(12);
  });

  it('a gap reloads the snapshot and reconnects after the new seq', async () => {
    const { store, socket, fetch } = setup();
    await settle();
    socket.emit('subscribed', { area: '320803', topics: [], replayed: 0, seq: 10 });
    socket.emit('events', [stationEvent(13)]);
    expect(store.getSnapshot().connection).toBe('reloading');
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(socket.handshakes.at(-1)).toEqual({ token: 'token-1', afterSeq: 20 });
    expect(store.getSnapshot().stations.get('ST1')).toBeUndefined();
  });

  it.each([
    { name: 'too_far_behind', reason: 'too_far_behind' },
    { name: 'pruned', reason: 'pruned' },
    { name: 'ahead_of_log', reason: 'ahead_of_log' },
  ])('reload ($name) from the server reloads the snapshot', async ({ reason }) => {
    const { socket, fetch } = setup();
    await settle();
    socket.emit('reload', { reason, headSeq: 50, snapshotUrl: SNAPSHOT_URL });
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(socket.handshakes.at(-1)?.afterSeq).toBe(20);
  });

  it('a filtered subscription takes skipped seqs as they come', async () => {
    const { store, socket, fetch } = setup({ contiguous: false });
    await settle();
    socket.emit('events', [stationEvent(15)]);
    expect(store.getSnapshot().appliedSeq).toBe(15);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('after the server closed the socket: reconnecting, then connects again after the last applied seq', async () => {
    const { store, socket } = setup();
    await settle();
    socket.emit('subscribed', { area: '320803', topics: [], replayed: 0, seq: 10 });
    socket.emit('events', [stationEvent(11)]);
    socket.connected = false;
    socket.emit('disconnect', 'io server disconnect');
    expect(store.getSnapshot().connection).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(socket.handshakes.at(-1)).toEqual({ token: 'token-1', afterSeq: 11 });
    expect(store.getSnapshot().snapshotLoads).toBe(1);
  });

  it('a refused token is refreshed before the next attempt', async () => {
    const { socket, refresh } = setup();
    await settle();
    socket.active = false;
    socket.connected = false;
    socket.emit('connect_error', Object.assign(new Error('expired'), { data: { status: 401 } }));
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(socket.handshakes).toHaveLength(2);
  });

  it('stops: no more events applied', async () => {
    const { store, socket, connection } = setup();
    await settle();
    connection.stop();
    socket.emit('events', [stationEvent(11)]);
    expect(store.getSnapshot()).toMatchObject({ connection: 'stopped', appliedSeq: 10 });
  });
});
