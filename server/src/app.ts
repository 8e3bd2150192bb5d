import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { frameworkErrors, registerErrorHandler } from './plugins/error-handler.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerClient } from './plugins/client.ts';
import { createHealthRepository } from './modules/health/repo.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { registerAuthentication } from './plugins/authenticate.ts';
import { createAuthService, type AuthService } from './modules/auth/service.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { authRepository } from './modules/auth/repo.ts';
import { newOpaqueToken } from './modules/auth/secrets.ts';
import { createStationService } from './modules/stations/service.ts';
import { createEventRelay, type EventRelay } from './modules/events/relay.ts';
import { eventRepository } from './modules/events/repo.ts';
import { createEventWriter, type EventWriter } from './modules/events/with-events.ts';
import { liveRoutes } from './modules/live/routes.ts';
import { createSnapshotService, type SnapshotService } from './modules/live/snapshot.ts';
import { createLiveServer, type LiveServerHandle } from './modules/live/socket.ts';
import { stationRoutes } from './modules/stations/routes.ts';
import { enterpriseRoutes } from './modules/enterprises/routes.ts';
import { registerMetrics } from './plugins/metrics.ts';
import { createEnterpriseService } from './modules/enterprises/service.ts';
import { createGridService } from './modules/grids/service.ts';
import { gridRoutes } from './modules/grids/routes.ts';
import { hydrantSensorRoutes } from './modules/hydrant-sensors/routes.ts';
import { createHydrantSensorService, type HydrantSensorService } from './modules/hydrant-sensors/service.ts';
import {
  startHydrantSensorSubscriber,
  type HydrantSensorSubscriber,
} from './modules/hydrant-sensors/subscriber.ts';
import { createDistrictRepository } from './modules/district/repo.ts';
import { districtRoutes } from './modules/district/routes.ts';
import { createOgcRepository } from './modules/ogc/repo.ts';
import { createOgcService } from './modules/ogc/service.ts';
import { ogcRoutes } from './modules/ogc/routes.ts';
import { createHazardService } from './modules/hazards/service.ts';
import { hazardRoutes } from './modules/hazards/routes.ts';
import { idempotency } from './modules/idempotency/service.ts';
import { createRoutingService } from './modules/routing/service.ts';
import { createDispatchService } from './modules/dispatch/service.ts';
import { dispatchRepository } from './modules/dispatch/repo.ts';
import { createLiveCache } from './modules/events/live-cache.ts';
import { createPlannerService } from './modules/coverage/planner.ts';
import { createProgress } from './modules/live/progress.ts';
import { coverageRepository } from './modules/coverage/repo.ts';
import { dispatchRoutes } from './modules/dispatch/routes.ts';
import { createDispatchRecords } from './modules/dispatch/records.ts';
import { coverageRoutes } from './modules/coverage/routes.ts';
import { createCoverageService } from './modules/coverage/service.ts';
import { createLedgerService } from './modules/ledger/service.ts';
import { rollcallRoutes } from './modules/rollcall/routes.ts';
import { createRollcallService } from './modules/rollcall/service.ts';
import { tileRoutes } from './modules/tiles/routes.ts';
import { createTileService } from './modules/tiles/service.ts';
import { wallRoutes } from './modules/wall/routes.ts';
import { createWallService } from './modules/wall/service.ts';
import { ledgerRoutes } from './modules/ledger/routes.ts';
import { createPatrolService } from './modules/patrol/service.ts';
import { patrolRoutes } from './modules/patrol/routes.ts';

/** The wall loads only from its own origin: MapLibre's worker and images, deck.gl, Socket.IO. */
/** The page's content security policy; `streams` are the origins of the stations' video streams. */
const csp = (streams: readonly string[]) => ({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  // data: and blob: because deck.gl's IconLayer fetches its SVG icons and MapLibre its worker data that way
  connectSrc: ["'self'", 'data:', 'blob:', 'ws:', 'wss:', ...streams],
  // the roll-call's video: hls.js hands the player a blob: (Media Source) fed from the stream's origin
  mediaSrc: ["'self'", 'blob:', ...streams],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  // deployments inside a county network often run plain http: never rewrite our own requests to https
  upgradeInsecureRequests: null,
});

/** `STREAM_ORIGINS` as a list (each an origin: scheme, host and port). */
export const streamOrigins = (setting: string | undefined): string[] =>
  (setting ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => new URL(origin).origin);

declare module 'fastify' {
  interface FastifyInstance {
    authService: AuthService;
    live: LiveContext;
    /** set when simulated grid members feed this server (the wall says so) */
    simulation: { running: boolean };
    /** the smart hydrants' MQTT subscriber once the app is ready; null when MQTT_URL is unset */
    hydrantSensors: HydrantSensorSubscriber | null;
  }
}

/** The live stream's parts, for feature modules that write events or add to the snapshot. */
export interface LiveContext {
  events: EventWriter;
  relay: EventRelay;
  snapshots: SnapshotService;
  socket: LiveServerHandle;
}

export interface AppDependencies {
  config: Config;
  db: Database;
}

/**
 * The event log's writer, the relay that reads it, the snapshot and the Socket.IO server. The relay
 * starts with the app and stops when it closes; sockets are disconnected before the HTTP server closes.
 */
async function registerLive(app: FastifyInstance, config: Config, db: Database): Promise<LiveContext> {
  const events = createEventWriter(db.pool);
  const relay = createEventRelay({
    pool: db.streamPool,
    listenUrl: db.listenUrl,
    batchMs: config.LIVE_BATCH_MS,
    pollMs: config.LIVE_POLL_MS,
    log: (level, msg) => app.log[level](msg),
  });
  events.onCommit(() => relay.wake());
  await relay.start();
  const snapshots = createSnapshotService(db.pool);
  const socket = await createLiveServer(app, {
    pool: db.streamPool,
    relay,
    redisUrl: config.REDIS_URL,
    redisPrefix: config.REDIS_PREFIX,
    corsOrigins: config.CORS_ORIGINS ? config.CORS_ORIGINS.split(',').map((o) => o.trim()) : false,
    replayMax: config.LIVE_REPLAY_MAX,
  });
  const pruner = setInterval(() => {
    const before = new Date(Date.now() - config.LIVE_RETENTION_HOURS * 3_600_000);
    eventRepository.prune(db.pool, before, config.LIVE_REPLAY_MAX).catch(() => {});
  }, 10 * 60_000);
  pruner.unref();
  app.addHook('preClose', async () => {
    socket.io.local.disconnectSockets(true);
  });
  app.addHook('onClose', async () => {
    clearInterval(pruner);
    await socket.close();
    await relay.stop();
  });
  // signing out everywhere ends the account's live connections on every instance
  app.addHook('onResponse', async (request, reply) => {
    if (
      request.routeOptions.url === '/api/auth/logout' &&
      reply.statusCode === 200 &&
      request.principal &&
      (request.body as { everywhere?: boolean } | undefined)?.everywhere === true
    ) {
      socket.disconnectUser(request.principal.userId);
    }
  });
  const context: LiveContext = { events, relay, snapshots, socket };
  app.decorate('live', context);
  await app.register(liveRoutes, { snapshots });
  return context;
}

/**
 * Smart hydrants' pressure readings over MQTT, when MQTT_URL is set. The subscriber starts once the app
 * is ready (a broker that is down is only logged: the client keeps reconnecting) and ends with it.
 */
function registerHydrantSensors(app: FastifyInstance, config: Config, sensors: HydrantSensorService): void {
  app.decorate('hydrantSensors', null);
  const url = config.MQTT_URL;
  if (!url) return;
  app.addHook('onReady', async () => {
    app.hydrantSensors = startHydrantSensorSubscriber({
      url,
      prefix: config.MQTT_TOPIC_PREFIX,
      shareGroup: config.MQTT_SHARE_GROUP,
      service: sensors,
      log: (level, msg) => app.log[level](msg),
    });
  });
  app.addHook('onClose', async () => {
    await app.hydrantSensors?.close();
  });
}

/** Hazard reports and their closed loop: routes, the snapshot's `hazards` part, and pruning of old Idempotency-Keys. */
async function registerHazards(app: FastifyInstance, config: Config, db: Database, live: LiveContext) {
  const hazards = createHazardService(db.pool, live.events, {
    thumbnailPx: config.HAZARD_THUMBNAIL_PX,
    timers: {
      deadlineH: { general: config.HAZARD_DEADLINE_GENERAL_H, major: config.HAZARD_DEADLINE_MAJOR_H },
      yellowH: { general: config.HAZARD_YELLOW_GENERAL_H, major: config.HAZARD_YELLOW_MAJOR_H },
    },
  });
  live.snapshots.addPart('hazards', (client, area, principal) =>
    hazards.snapshotPart(client, area, principal),
  );
  await app.register(hazardRoutes, {
    hazards,
    limits: {
      photosMax: config.HAZARD_PHOTOS_MAX,
      photoMaxBytes: config.HAZARD_PHOTO_MAX_BYTES,
      uploadMaxBytes: config.HAZARD_UPLOAD_MAX_BYTES,
    },
  });
  const pruner = setInterval(() => {
    const before = new Date(Date.now() - config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000);
    idempotency.prune(db.pool, before).catch(() => {});
  }, 10 * 60_000);
  pruner.unref();
  app.addHook('onClose', async () => clearInterval(pruner));
}

/**
 * Patrol GPS: /osmand for stock tracking apps, POST /api/positions for ours, the sessions' routes, the
 * snapshot's `patrols` part, and the sweep that ends sessions whose device has gone quiet.
 */
async function registerPatrols(app: FastifyInstance, config: Config, db: Database, live: LiveContext) {
  const patrols = createPatrolService(db.pool, live.events, { idleGapS: config.PATROL_IDLE_GAP_S });
  live.snapshots.addPart('patrols', (client, area) => patrols.snapshotPart(client, area));
  await app.register(patrolRoutes, {
    patrols,
    batchMax: config.PATROL_BATCH_MAX,
    clockSkewS: config.PATROL_CLOCK_SKEW_S,
    maxAgeS: config.PATROL_MAX_AGE_HOURS * 3600,
    osmandSpeedUnit: config.PATROL_OSMAND_SPEED_UNIT,
  });
  await app.register(ledgerRoutes, { ledger: createLedgerService(db.pool, patrols) });
  const sweeper = setInterval(
    () => {
      patrols.endIdle().catch((err: unknown) => app.log.warn(`ending idle patrols: ${String(err)}`));
    },
    Math.min(60_000, (config.PATROL_IDLE_GAP_S * 1000) / 4),
  );
  sweeper.unref();
  app.addHook('onClose', async () => clearInterval(sweeper));
}

/** Builds the app from plugins and feature modules; no port, no global state (tests use app.inject). */
export async function buildApp({ config, db }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    trustProxy: true,
    frameworkErrors,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  registerErrorHandler(app);
  await app.register(helmet, {
    contentSecurityPolicy: { directives: csp(streamOrigins(config.STREAM_ORIGINS)) },
  });
  await app.register(cors, {
    origin: config.CORS_ORIGINS ? config.CORS_ORIGINS.split(',').map((o) => o.trim()) : false,
  });
  await app.register(rateLimit, { max: config.RATE_LIMIT_PER_MIN, timeWindow: 60_000, hook: 'preHandler' });
  await app.register(compress, {
    threshold: 2048,
    // @fastify/compress's own list, and vector tiles (protobuf; a road tile shrinks to about half)
    customTypes:
      /^text\/(?!event-stream)|(?:\+|\/)json(?:;|$)|(?:\+|\/)text(?:;|$)|(?:\+|\/)xml(?:;|$)|octet-stream(?:;|$)|^application\/vnd\.mapbox-vector-tile(?:;|$)/u,
  });
  await registerOpenApi(app);

  const secret = config.JWT_SECRET ?? (await authRepository.secret(db.pool, 'jwt', () => newOpaqueToken()));
  const auth = await registerAuthentication(app, {
    secret,
    createService: (signer) => createAuthService(db.pool, signer),
  });
  app.decorate('authService', auth);
  await app.register(authRoutes, { auth, loginPerMinute: config.LOGIN_RATE_LIMIT_PER_MIN });

  const live = await registerLive(app, config, db);
  await registerMetrics(app, {
    pool: db.pool,
    relay: live.relay,
    wallClients: () => live.socket.io.of('/').sockets.size,
    token: config.METRICS_TOKEN,
  });

  app.decorate('simulation', { running: false });
  await app.register(healthRoutes, { repo: createHealthRepository(db.pool), backend: db.backend });
  await app.register(districtRoutes, { repo: createDistrictRepository(db.pool) });
  const ogcRepository = createOgcRepository(db.pool);
  await app.register(ogcRoutes, { ogc: createOgcService(ogcRepository) });
  await app.register(tileRoutes, {
    tiles: createTileService(ogcRepository, { refreshMs: config.TILES_REFRESH_MS }),
  });
  await app.register(stationRoutes, { stations: createStationService(live.events) });
  await app.register(gridRoutes, { grids: createGridService(db.pool) });
  const sensors = createHydrantSensorService(db.pool, live.events);
  registerHydrantSensors(app, config, sensors);
  await app.register(hydrantSensorRoutes, { sensors });
  await registerHazards(app, config, db, live);
  await app.register(enterpriseRoutes, { enterprises: createEnterpriseService(db.pool) });
  const routing = createRoutingService(db.pool, {
    refreshMs: config.ROUTING_REFRESH_MS,
    congestion: config.ROUTING_CONGESTION,
    log: (msg) => app.log.info(msg),
  });
  const records = createDispatchRecords(db.pool, live.events, routing, {
    snapMaxM: config.DISPATCH_SNAP_MAX_M,
  });
  live.snapshots.addPart('dispatches', (client, area) => records.openIn(client, area));
  // the forces and their statuses stay in memory until a station event (or FORCES_CACHE_MS) says otherwise
  const forces = createLiveCache({
    sources: [(l) => live.events.onCommit(l), (l) => live.relay.onBatch(l)],
    topics: ['station'],
    maxAgeMs: config.FORCES_CACHE_MS,
    load: () => dispatchRepository.forces(db.pool),
  });
  // so do the hydrants (a water source event)
  const hydrants = createLiveCache({
    sources: [(l) => live.events.onCommit(l), (l) => live.relay.onBatch(l)],
    topics: ['water'],
    maxAgeMs: config.FORCES_CACHE_MS,
    load: () => coverageRepository.hydrants(db.pool),
  });
  app.addHook('onClose', async () => {
    forces.close();
    hydrants.close();
  });
  await app.register(dispatchRoutes, {
    dispatch: createDispatchService(db.pool, routing, {
      forces,
      treesMaxBytes: config.DISPATCH_TREES_MB * 1024 * 1024,
      snapMaxM: config.DISPATCH_SNAP_MAX_M,
      preparedStatements: db.backend === 'postgres',
      observe: (name, seconds) => app.metrics.computation.observe({ name }, seconds),
    }),
    records,
  });
  const coverage = createCoverageService(db.pool, routing, {
    forces,
    snapMaxM: config.DISPATCH_SNAP_MAX_M,
    observe: (name, seconds) => app.metrics.computation.observe({ name }, seconds),
  });
  await app.register(coverageRoutes, {
    progress: (userId, token, task, stages) =>
      createProgress({ task, stages, token, emit: (p) => live.socket.progress(userId, p) }),
    coverage,
    planner: createPlannerService(db.pool, routing, {
      forces,
      hydrants,
      snapMaxM: config.DISPATCH_SNAP_MAX_M,
      cellM: config.COVERAGE_CELL_M,
      observe: (name, seconds) => app.metrics.computation.observe({ name }, seconds),
    }),
  });
  await registerPatrols(app, config, db, live);
  await app.register(rollcallRoutes, { rollcall: createRollcallService(db.pool, live.events) });
  await app.register(wallRoutes, { wall: createWallService(db.pool, coverage) });
  await registerClient(app, config.CLIENT_DIST);
  return app;
}
