/**
 * The wall's live state, outside React: the snapshot it started from and the event batches applied on
 * top, in seq order. Components read it with useSyncExternalStore; the map reads it directly.
 *
 * Layer rows live in append-only arrays: a changed hazard or patrol gets a new row object at the same
 * index, a new one is appended, a closed or ended one stays as an inactive row until the next snapshot.
 * Each publish hands out a new array shell over the same row objects, so deck.gl's `_dataDiff` can find
 * the changed rows by identity and recompute only those (NOTES.md: never rebuild the whole array).
 */
import { STATION_TIERS, type StationStatus, type StationTier } from '../../../shared/src/domain.ts';
import type {
  HazardLive,
  LiveEvent,
  LiveEventType,
  LiveSnapshot,
  PatrolLive,
  PatrolPositionLive,
  PatrolSessionLive,
  RollcallRecordedLive,
  StationStatusLive,
  WaterSourceStatusLive,
} from '../../../shared/src/schemas/live.ts';
import type { CoverageLive } from '../../../shared/src/schemas/coverage.ts';
import type { DispatchRecord } from '../../../shared/src/schemas/dispatch.ts';
import { createStore } from '../data/store.ts';
import { createTrail, type LonLat, type Trail } from './trail.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'reloading' | 'stopped';

export interface HazardRow {
  hazard: HazardLive;
  /** Still open (a closed hazard stays as an invisible row until the next snapshot). */
  open: boolean;
  /** Client time (ms) it arrived by a live event; 0 when it came with a snapshot (no pulse). */
  arrivedAt: number;
  /** The village and unit grid of its newest event (the snapshot's payload does not carry them). */
  place: HazardPlace | null;
}

export interface HazardPlace {
  villageCode: string;
  gridCode: string | null;
}

export interface PatrolRow {
  sessionId: number;
  member: string;
  grid: string | null;
  onDuty: boolean;
  /** The newest fix, null until the first one. */
  position: LonLat | null;
  inOwnGrid: boolean;
  /** The last fixes, oldest first (a copy of the ring at this row's time). */
  path: LonLat[];
}

export interface StationLiveState {
  code: string;
  name: string;
  tier: StationTier;
  status: StationStatus;
}

/** One line of the event ticker: the event's type and what the text needs. */
export interface TickerItem {
  seq: number;
  type: LiveEventType;
  at: string;
  params: Record<string, string>;
}

export interface LiveCounters {
  openHazards: number;
  patrolsOnDuty: number;
  availableByTier: Record<StationTier, { available: number; total: number }>;
  /** Whether the first snapshot has arrived (counters of no data show a dash). */
  loaded: boolean;
}

export interface LiveState {
  connection: ConnectionState;
  /** The newest seq the state includes. */
  appliedSeq: number;
  /** Client time (ms) the state was last known current: a snapshot, a batch, or `subscribed`. */
  syncedAt: number | null;
  /** Server time of the newest applied event. */
  lastEventAt: string | null;
  snapshotLoads: number;
  hazards: readonly HazardRow[];
  patrols: readonly PatrolRow[];
  stations: ReadonlyMap<string, StationLiveState>;
  /** Open dispatches: the incident and each force's route (the wall draws them). */
  dispatches: readonly DispatchRecord[];
  /** Road cover lost to busy forces (GET /api/coverage/live), refetched after station changes. */
  coverageLoss: CoverageLive | null;
  /** Bumped whenever a station's status changes (the stations layer's update trigger). */
  stationsVersion: number;
  /** The seq of the newest roll-call result recorded (0: none seen): the roll-call tab re-reads its day. */
  rollcallSeq: number;
  counters: LiveCounters;
  /** Newest first. */
  ticker: readonly TickerItem[];
}

export const TICKER_LENGTH = 30;

/** Open hazards past their deadline at `now` (ms): they surface on the wall as well as in the inboxes. */
export function overdueHazards(rows: readonly HazardRow[], now: number): number {
  let n = 0;
  for (const row of rows) {
    const deadline = row.hazard.deadline;
    if (row.open && deadline !== null && Date.parse(deadline) < now) n += 1;
  }
  return n;
}

export type BatchResult =
  | { status: 'applied'; applied: number; duplicates: number }
  | { status: 'gap'; expected: number; received: number };

export interface LiveStore {
  getSnapshot(): LiveState;
  subscribe(listener: () => void): () => void;
  setConnection(state: ConnectionState): void;
  applySnapshot(snapshot: LiveSnapshot): void;
  setCoverageLoss(loss: CoverageLive | null): void;
  /**
   * Applies a batch in seq order. Events at or below `appliedSeq` are duplicates and skipped. With
   * `contiguous` (the subscription receives every event of the log), a batch that does not continue
   * at `appliedSeq + 1`, or has a hole inside, is a gap: nothing of it is applied and the caller
   * reloads the snapshot.
   */
  applyBatch(batch: readonly LiveEvent[], options: { contiguous: boolean }): BatchResult;
  /** The server has sent everything up to `seq` that this subscription matches. */
  markSubscribed(seq: number): void;
  /** Forgets everything (another user signed in). */
  reset(): void;
}

const emptyCounters = (): LiveCounters => ({
  openHazards: 0,
  patrolsOnDuty: 0,
  availableByTier: Object.fromEntries(
    STATION_TIERS.map((tier) => [tier, { available: 0, total: 0 }]),
  ) as LiveCounters['availableByTier'],
  loaded: false,
});

export function initialLiveState(): LiveState {
  return {
    connection: 'stopped',
    appliedSeq: 0,
    syncedAt: null,
    lastEventAt: null,
    snapshotLoads: 0,
    hazards: [],
    patrols: [],
    stations: new Map(),
    dispatches: [],
    coverageLoss: null,
    stationsVersion: 0,
    rollcallSeq: 0,
    counters: emptyCounters(),
    ticker: [],
  };
}

interface StationSnapshotRow {
  code: string;
  name: string;
  tier: StationTier;
  status: StationStatus;
}

/** The short text of a ticker line, per event type (names, categories and states are translated by the panel). */
function tickerParams(event: LiveEvent): Record<string, string> {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  switch (event.topic) {
    case 'hazard': {
      const hazard = event.data as Partial<HazardLive>;
      return {
        id: text(hazard.id),
        category: text(hazard.category),
        title: text(hazard.title),
        state: text(hazard.state),
      };
    }
    case 'patrol': {
      const patrol = event.data as Partial<PatrolSessionLive>;
      return { member: text(patrol.member), grid: text(patrol.grid ?? event.grid) };
    }
    case 'station': {
      if (event.type === 'rollcall.recorded') {
        const result = event.data as Partial<RollcallRecordedLive>;
        return { name: text(result.name), outcome: text(result.outcome), by: text(result.by) };
      }
      const change = event.data as Partial<StationStatusLive>;
      return { name: text(change.name), to: text(change.to), reason: text(change.reason) };
    }
    case 'dispatch': {
      const record = event.data as Partial<DispatchRecord>;
      return { id: text(record.id), forces: (record.forces ?? []).map((f) => f.name).join('、') };
    }
    case 'water': {
      const change = event.data as Partial<WaterSourceStatusLive>;
      return { code: text(change.code), kind: text(change.kind), to: text(change.to) };
    }
    default:
      return { subject: event.subject };
  }
}

/** Position fixes are the bulk of the stream and say nothing new to an operator; the ticker skips them. */
const shownInTicker = (event: LiveEvent) => event.type !== 'patrol.position';

export function createLiveStore(now: () => number = () => Date.now()): LiveStore {
  const store = createStore(initialLiveState());
  const current = store.getSnapshot;

  // The working copies the published state is cut from.
  let hazardRows: HazardRow[] = [];
  let hazardIndex = new Map<number, number>();
  let patrolRows: PatrolRow[] = [];
  let patrolIndex = new Map<number, number>();
  let trails = new Map<number, Trail>();
  let stations = new Map<string, StationLiveState>();
  let dispatches = new Map<number, DispatchRecord>();
  /** Set by applyEvent when a batch opened or closed a dispatch. */
  let dispatchesChanged = false;
  const dispatchList = () => [...dispatches.values()].sort((a, b) => a.id - b.id);

  const publish = (next: Partial<LiveState>) => store.setState((previous) => ({ ...previous, ...next }));

  function counters(): LiveCounters {
    const result = emptyCounters();
    result.loaded = true;
    for (const row of hazardRows) if (row.open) result.openHazards += 1;
    for (const row of patrolRows) if (row.onDuty) result.patrolsOnDuty += 1;
    for (const station of stations.values()) {
      const entry = result.availableByTier[station.tier];
      if (!entry) continue;
      entry.total += 1;
      if (station.status === 'available') entry.available += 1;
    }
    return result;
  }

  function putHazard(hazard: HazardLive, arrivedAt: number, place: HazardPlace | null): void {
    const open = hazard.state !== 'closed';
    const index = hazardIndex.get(hazard.id);
    if (index === undefined) {
      if (!open) return;
      hazardIndex.set(hazard.id, hazardRows.length);
      hazardRows.push({ hazard, open, arrivedAt, place });
    } else {
      // A known hazard keeps its first arrival (a state change does not pulse again).
      const known = hazardRows[index]!;
      hazardRows[index] = { hazard, open, arrivedAt: known.arrivedAt, place: place ?? known.place };
    }
  }

  function putPatrol(sessionId: number, update: (row: PatrolRow, trail: Trail) => PatrolRow): void {
    let index = patrolIndex.get(sessionId);
    let trail = trails.get(sessionId);
    if (!trail) {
      trail = createTrail();
      trails.set(sessionId, trail);
    }
    const base: PatrolRow =
      index === undefined
        ? { sessionId, member: '', grid: null, onDuty: true, position: null, inOwnGrid: true, path: [] }
        : patrolRows[index]!;
    const row = update(base, trail);
    if (index === undefined) {
      index = patrolRows.length;
      patrolIndex.set(sessionId, index);
      patrolRows.push(row);
    } else {
      patrolRows[index] = row;
    }
  }

  function applyEvent(event: LiveEvent, arrivedAt: number): boolean {
    switch (event.type) {
      case 'hazard.reported':
      case 'hazard.classified':
      case 'hazard.assigned':
      case 'hazard.handled':
      case 'hazard.checked':
      case 'hazard.escalated':
      case 'hazard.supervised':
      case 'hazard.closed': {
        const hazard = event.data as unknown as HazardLive;
        if (typeof hazard.id !== 'number') return false;
        putHazard(event.type === 'hazard.closed' ? { ...hazard, state: 'closed' } : hazard, arrivedAt, {
          villageCode: event.area,
          gridCode: event.grid,
        });
        return false;
      }
      case 'patrol.started': {
        const session = event.data as unknown as PatrolSessionLive;
        putPatrol(session.sessionId, (row) => ({
          ...row,
          member: session.member,
          grid: session.grid,
          onDuty: true,
        }));
        return false;
      }
      case 'patrol.position': {
        const fix = event.data as unknown as PatrolPositionLive;
        putPatrol(fix.sessionId, (row, trail) => {
          const position: LonLat = [fix.lon, fix.lat];
          trail.push(position);
          return {
            ...row,
            member: fix.member || row.member,
            onDuty: true,
            position,
            inOwnGrid: fix.inOwnGrid,
            path: trail.points(),
          };
        });
        return false;
      }
      case 'patrol.left_grid': {
        const { sessionId } = event.data as { sessionId?: number };
        if (typeof sessionId === 'number') putPatrol(sessionId, (row) => ({ ...row, inOwnGrid: false }));
        return false;
      }
      case 'patrol.ended': {
        const { sessionId } = event.data as { sessionId?: number };
        if (typeof sessionId === 'number' && patrolIndex.has(sessionId))
          putPatrol(sessionId, (row) => ({ ...row, onDuty: false }));
        return false;
      }
      case 'dispatch.created':
      case 'dispatch.closed': {
        const record = event.data as unknown as DispatchRecord;
        if (typeof record.id !== 'number') return false;
        if (event.type === 'dispatch.created') dispatches.set(record.id, record);
        else dispatches.delete(record.id);
        dispatchesChanged = true;
        return false;
      }
      case 'station.status_changed': {
        const change = event.data as unknown as StationStatusLive;
        const known = stations.get(change.code);
        stations.set(change.code, {
          code: change.code,
          name: change.name || known?.name || change.code,
          tier: (change.tier || known?.tier) as StationTier,
          status: change.to as StationStatus,
        });
        return true;
      }
      default:
        return false;
    }
  }

  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    setConnection(connection) {
      if (connection === current().connection) return;
      // Leaving `live`: the data was current until now.
      const { connection: previous, syncedAt: before } = current();
      const syncedAt = previous === 'live' ? now() : before;
      publish({ connection, syncedAt });
    },
    applySnapshot(snapshot) {
      const parts = snapshot.parts as {
        hazards?: HazardLive[];
        stations?: StationSnapshotRow[];
        patrols?: PatrolLive[];
        dispatches?: DispatchRecord[];
      };
      dispatches = new Map((parts.dispatches ?? []).map((d) => [d.id, d]));
      hazardRows = [];
      hazardIndex = new Map();
      for (const hazard of parts.hazards ?? []) putHazard(hazard, 0, null);
      patrolRows = [];
      patrolIndex = new Map();
      trails = new Map();
      for (const patrol of parts.patrols ?? []) {
        const trail = createTrail(
          undefined,
          patrol.trail.map((fix) => [fix.lon, fix.lat] as const),
        );
        trails.set(patrol.sessionId, trail);
        patrolIndex.set(patrol.sessionId, patrolRows.length);
        patrolRows.push({
          sessionId: patrol.sessionId,
          member: patrol.member,
          grid: patrol.grid,
          onDuty: true,
          position: trail.last,
          inOwnGrid: true,
          path: trail.points(),
        });
      }
      stations = new Map(
        (parts.stations ?? []).map((s) => [
          s.code,
          { code: s.code, name: s.name, tier: s.tier, status: s.status },
        ]),
      );
      publish({
        appliedSeq: snapshot.seq,
        syncedAt: now(),
        snapshotLoads: current().snapshotLoads + 1,
        hazards: hazardRows.slice(),
        patrols: patrolRows.slice(),
        stations: new Map(stations),
        dispatches: dispatchList(),
        stationsVersion: current().stationsVersion + 1,
        counters: counters(),
      });
    },
    applyBatch(batch, { contiguous }) {
      const fresh = batch.filter((event) => event.seq > current().appliedSeq).sort((a, b) => a.seq - b.seq);
      const duplicates = batch.length - fresh.length;
      if (fresh.length === 0) return { status: 'applied', applied: 0, duplicates };
      if (contiguous) {
        let expected = current().appliedSeq + 1;
        for (const event of fresh) {
          if (event.seq !== expected) return { status: 'gap', expected, received: event.seq };
          expected += 1;
        }
      }
      const arrivedAt = now();
      let stationsChanged = false;
      dispatchesChanged = false;
      for (const event of fresh) stationsChanged = applyEvent(event, arrivedAt) || stationsChanged;
      const shown = fresh.filter(shownInTicker).reverse();
      const ticker: TickerItem[] = shown.map((event) => ({
        seq: event.seq,
        type: event.type,
        at: event.at,
        params: tickerParams(event),
      }));
      const last = fresh.at(-1)!;
      const rollcall = fresh.findLast((event) => event.type === 'rollcall.recorded');
      publish({
        appliedSeq: last.seq,
        syncedAt: arrivedAt,
        lastEventAt: last.at,
        hazards: hazardRows.slice(),
        patrols: patrolRows.slice(),
        // (set inside applyEvent, which the compiler does not follow)
        ...((dispatchesChanged as boolean) && { dispatches: dispatchList() }),
        ...(stationsChanged && {
          stations: new Map(stations),
          stationsVersion: current().stationsVersion + 1,
        }),
        ...(rollcall && { rollcallSeq: rollcall.seq }),
        counters: counters(),
        ...(ticker.length > 0 && { ticker: [...ticker, ...current().ticker].slice(0, TICKER_LENGTH) }),
      });
      return { status: 'applied', applied: fresh.length, duplicates };
    },
    setCoverageLoss(coverageLoss) {
      publish({ coverageLoss });
    },
    markSubscribed(seq) {
      publish({ appliedSeq: Math.max(seq, current().appliedSeq), syncedAt: now() });
    },
    reset() {
      hazardRows = [];
      hazardIndex = new Map();
      patrolRows = [];
      patrolIndex = new Map();
      trails = new Map();
      stations = new Map();
      dispatches = new Map();
      publish(initialLiveState());
    },
  };
}

/** The page's one live store. */
export const liveStore = createLiveStore();
