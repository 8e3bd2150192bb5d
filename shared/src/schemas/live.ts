/**
 * The live stream's contract: the event log's events, the Socket.IO event maps, the snapshot.
 *
 * Socket.IO on the default namespace. The handshake takes `auth: { token, afterSeq?, area?, topics? }`;
 * the server emits `events` with an array of events in `seq` order (one message per short interval,
 * never one per event under load), `reload` when the client is too far behind to replay, and
 * `subscribed` once replay is over and live events follow.
 */
import { Type, type Static } from 'typebox';
import { DEPARTMENTS, type Department } from '../auth.ts';

/** What a client can subscribe to. */
export const LIVE_TOPICS = ['hazard', 'patrol', 'station', 'dispatch', 'water'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

/** Every state change the log records, and the topic it belongs to. */
export const LIVE_EVENT_TOPIC = {
  'hazard.reported': 'hazard',
  'hazard.classified': 'hazard',
  'hazard.assigned': 'hazard',
  'hazard.handled': 'hazard',
  'hazard.checked': 'hazard',
  'hazard.closed': 'hazard',
  'hazard.escalated': 'hazard',
  'hazard.supervised': 'hazard',
  'patrol.started': 'patrol',
  'patrol.position': 'patrol',
  'patrol.ended': 'patrol',
  'patrol.left_grid': 'patrol',
  'station.status_changed': 'station',
  'rollcall.recorded': 'station',
  'dispatch.created': 'dispatch',
  'dispatch.closed': 'dispatch',
  'water_source.status_changed': 'water',
} as const satisfies Record<string, LiveTopic>;
export type LiveEventType = keyof typeof LIVE_EVENT_TOPIC;
export const LIVE_EVENT_TYPES = Object.keys(LIVE_EVENT_TOPIC) as LiveEventType[];

/**
 * One committed state change. `area` is the division code it happened in (a village's 12 digits where
 * known), `grid` the unit grid code when known; scope and subscriptions match on them. `subject` names
 * the thing that changed (`hazard:17`, `station:FS-001`); `data` is the type's payload.
 */
export const LiveEvent = Type.Object({
  seq: Type.Integer({ minimum: 1, description: 'strictly increasing, gap-free, in commit order' }),
  type: Type.Enum(LIVE_EVENT_TYPES),
  topic: Type.Enum([...LIVE_TOPICS]),
  at: Type.String({ format: 'date-time' }),
  area: Type.String(),
  grid: Type.Union([Type.String(), Type.Null()]),
  department: Type.Union([Type.Enum([...DEPARTMENTS]), Type.Null()]),
  subject: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type LiveEvent = Static<typeof LiveEvent>;

/** An event before it is committed (the log gives it `seq` and `at`). */
export type NewLiveEvent = Omit<LiveEvent, 'seq' | 'at' | 'topic' | 'grid' | 'department'> & {
  grid?: string | null;
  department?: LiveEvent['department'];
};

/**
 * Where a client listens: `area` is a division code (county, town or village) or a grid code (`G…`),
 * inside the account's scope; `topics` defaults to all.
 */
export const LiveSubscription = Type.Object(
  {
    area: Type.Optional(Type.String({ pattern: '^(\\d{6}|\\d{9}|\\d{12}|G\\d{9}(\\d{3}(-\\d{2})?)?)$' })),
    topics: Type.Optional(Type.Array(Type.Enum([...LIVE_TOPICS]), { minItems: 1, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type LiveSubscription = Static<typeof LiveSubscription>;

export const LiveHandshake = Type.Object({
  token: Type.String({ minLength: 1 }),
  afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  area: LiveSubscription.properties.area,
  topics: LiveSubscription.properties.topics,
});
export type LiveHandshake = Static<typeof LiveHandshake>;

/** Why a client must reload the snapshot instead of replaying. */
export const RELOAD_REASONS = ['too_far_behind', 'pruned', 'ahead_of_log'] as const;
export interface LiveReload {
  reason: (typeof RELOAD_REASONS)[number];
  /** the newest committed seq when the server decided */
  headSeq: number;
  snapshotUrl: string;
}

export interface LiveSubscribed {
  area: string;
  topics: LiveTopic[];
  /** events replayed from the log before live events began */
  replayed: number;
  /** the last seq sent to this client (live events follow it) */
  seq: number;
}

export interface LiveError {
  status: number;
  message: string;
  field: string;
}

/**
 * Progress of a long computation a user asked for over HTTP (the planner's siting, what-if, report,
 * ...). The request carries a `Progress-Token` header of the client's choosing; the server then emits
 * `progress` to that user's sockets (every instance's, through the adapter) while it works: the stage,
 * how far into it, and a last one with `finished`. The HTTP answer still carries the result.
 */
export const PROGRESS_HEADER = 'progress-token';
export const ProgressHeaders = Type.Object({
  [PROGRESS_HEADER]: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{8,64}$',
      description: '8–64 letters, digits, _ or -: the client’s name for this request’s progress events',
    }),
  ),
});
export const PROGRESS_TASKS = [
  'reach',
  'gaps',
  'districts',
  'hydrants',
  'siting',
  'what_if',
  'report',
] as const;
export type ProgressTask = (typeof PROGRESS_TASKS)[number];
/** The stages a computation goes through (a stage kept from an earlier answer passes at once). */
export const PROGRESS_STAGES = [
  'land',
  'reach',
  'isochrones',
  'candidates',
  'greedy',
  'gaps',
  'districts',
  'hydrants',
  'render',
] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export interface LiveProgress {
  token: string;
  task: ProgressTask;
  stage: ProgressStage;
  /** 1-based position of the stage among `stages` */
  stageIndex: number;
  stages: number;
  /** units of the stage done and in all (forces, candidate sites, greedy steps, ...) */
  done: number;
  total: number;
  /** the whole computation's share done, 0–1 (stages weigh alike) */
  fraction: number;
  /** the last event of the request: the answer is on its way (ok) or an error is */
  finished: boolean;
  ok: boolean;
  at: string;
}

export interface ServerToClientEvents {
  events: (batch: LiveEvent[]) => void;
  reload: (info: LiveReload) => void;
  subscribed: (info: LiveSubscribed) => void;
  'live:error': (err: LiveError) => void;
  progress: (p: LiveProgress) => void;
}

export interface ClientToServerEvents {
  /** Change the subscription; the server answers with the events after `afterSeq` for the new one. */
  subscribe: (
    sub: LiveSubscription & { afterSeq?: number },
    ack: (res: LiveSubscribed | LiveError) => void,
  ) => void;
}

/** The current state a client starts from, consistent with `seq`: events after it follow. */
export const LiveSnapshot = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  at: Type.String({ format: 'date-time' }),
  area: Type.String(),
  parts: Type.Record(Type.String(), Type.Unknown(), {
    description: 'one entry per feature (stations, hazards, patrols, ...): its current state in scope',
  }),
});
export type LiveSnapshot = Static<typeof LiveSnapshot>;

export const LiveSnapshotQuery = Type.Object(
  { area: LiveSubscription.properties.area },
  { additionalProperties: false },
);

/** The division code an area (division code or grid code `G…`) lies in. */
export function divisionOf(area: string): string {
  return area.startsWith('G') ? area.slice(1).split('-')[0]! : area;
}

/** Whether an area lies inside a scope (a division code): scope is a prefix match on division codes. */
export function areaInScope(area: string, scope: string): boolean {
  return divisionOf(area).startsWith(scope);
}

/** Whether an event happened inside a subscription's area. */
export function eventInArea(area: string, event: Pick<LiveEvent, 'area' | 'grid'>): boolean {
  if (area.startsWith('G')) return (event.grid ?? `G${event.area}`).startsWith(area);
  return event.area.startsWith(area);
}

// ---------------------------------------------------------------------------------------------------
// Payloads (`data`) per event type, and the snapshot parts. Producers and the wall both use these.
// ---------------------------------------------------------------------------------------------------

export type HazardState = 'reported' | 'classified' | 'assigned' | 'handling' | 'checking' | 'closed';
export type HazardSeverity = 'general' | 'major';

/** hazard.* events, and the snapshot's `hazards` part (open hazards in the area). */
export interface HazardLive {
  id: number;
  category: string;
  state: HazardState;
  severity: HazardSeverity | null;
  lon: number;
  lat: number;
  /** short description, at most 120 characters */
  title: string;
  reportedAt: string;
  reporter: string;
  photos: number;
  deadline: string | null;
  /** when the timer turns yellow (the deadline turns it red) */
  yellowAt: string | null;
  /** where in the hierarchy the case sits (分级处理处置) */
  level: 'village' | 'town' | 'county' | 'department';
  department: Department | null;
  /** entered supervision (督查督办) after its deadline */
  supervised: boolean;
  version: number;
}

/** patrol.position, and the snapshot's `patrols` part (active sessions, each with its last fixes). */
export interface PatrolPositionLive {
  sessionId: number;
  userId: number;
  member: string;
  lon: number;
  lat: number;
  /** the fix's own time (device clock) */
  fixAt: string;
  speedKmh: number | null;
  bearing: number | null;
  /** whether the fix lies inside the member's own grid */
  inOwnGrid: boolean;
}
export interface PatrolSessionLive {
  sessionId: number;
  userId: number;
  member: string;
  /** the member's own unit grid code (null: the first fix lay in no unit grid and none is assigned) */
  grid: string | null;
  startedAt: string;
  distanceM: number;
  durationS: number;
  insideS: number;
}
export type PatrolLive = PatrolSessionLive & {
  /** newest last, at most 20 */
  trail: Array<{ lon: number; lat: number; fixAt: string }>;
};

export interface StationStatusLive {
  code: string;
  name: string;
  tier: string;
  from: string;
  to: string;
  /** why, as the person who changed it said (出警, 检修 ...) */
  reason: string | null;
}

/** A video roll-call's result, as recorded (`rollcall.recorded`, on the station topic). */
export interface RollcallRecordedLive {
  /** the roll-call's day, YYYY-MM-DD (Beijing) */
  date: string;
  code: string;
  name: string;
  outcome: 'present' | 'absent' | 'equipment';
  note: string | null;
  /** who recorded it (display name) */
  by: string;
}

export interface WaterSourceStatusLive {
  code: string;
  kind: string;
  from: string;
  to: string;
  /** the reading that caused it, when a sensor did */
  pressureMpa: number | null;
  reason: string;
  /** the sensor's time of that reading, when a sensor did */
  readAt?: string;
  /** who made the change: a pressure sensor, or a person */
  setBy?: 'person' | 'sensor';
}
