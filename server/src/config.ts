import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/** Every setting the server reads from the environment, with its default. README lists the same. */
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  /** Unset: embedded PGlite + PostGIS. Set: that PostgreSQL with PostGIS. */
  DATABASE_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** Where the embedded database lives on disk (git-ignored). */
  PGLITE_DATA_DIR: Type.String({ default: '.data/pglite' }),
  /** Division code of the demo district to seed. */
  DEMO_DISTRICT: Type.String({ pattern: '^[0-9]{6}$', default: '320803' }),
  /** Seed the demo dataset into an empty database. Default: on for embedded, off for DATABASE_URL. */
  SEED_DEMO: Type.Optional(Type.Boolean()),
  /** Built client served at `/`. */
  CLIENT_DIST: Type.String({ default: 'dist/client' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  /** Signs access tokens. Unset: a random key generated once and kept in the database (shared by all instances). */
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /**
   * Password of the demo accounts (one per role). Embedded demo: defaults to `gridwatch-demo`. With
   * DATABASE_URL no demo account exists unless this is set explicitly.
   */
  DEMO_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  /** Origins allowed to call the API from another site, comma-separated; unset = same origin only. */
  CORS_ORIGINS: Type.Optional(Type.String()),
  /**
   * Where the stations' video streams (HLS, the roll-call's) are served from, comma-separated origins
   * (`http://10.20.0.5:8080`): the page may fetch and play media from them (CSP connect-src and
   * media-src). Streams on our own origin (a reverse proxy) need nothing here.
   */
  STREAM_ORIGINS: Type.Optional(
    Type.String({ pattern: '^https?://[^\\s,/]+(\\s*,\\s*https?://[^\\s,/]+)*$' }),
  ),
  /** Requests per minute per client IP. */
  RATE_LIMIT_PER_MIN: Type.Integer({ minimum: 1, default: 1200 }),
  /** Login attempts per minute per account (per IP: three times this). */
  LOGIN_RATE_LIMIT_PER_MIN: Type.Integer({ minimum: 1, default: 10 }),
  /** pg pool size; the embedded backend serialises queries anyway, so it keeps one connection. */
  PG_POOL_MAX: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  /** run the grid-member simulator in the server (default: on for the embedded demo, off otherwise) */
  SIMULATE: Type.Optional(Type.Boolean()),
  /** simulated grid members */
  SIMULATE_MEMBERS: Type.Integer({ minimum: 1, maximum: 2000, default: 30 }),
  /** simulated hazard reports per hour across the county */
  SIMULATE_HAZARDS_PER_HOUR: Type.Number({ minimum: 0, maximum: 100_000, default: 20 }),
  /** Redis for the Socket.IO adapter when several instances serve the wall (unset: one instance) */
  REDIS_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** Redis channel prefix of the Socket.IO adapter (instances serving the same walls share it) */
  REDIS_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', default: 'gridwatch' }),
  /** live events committed within this window go to clients as one message */
  LIVE_BATCH_MS: Type.Integer({ minimum: 1, maximum: 1000, default: 25 }),
  /** how often the relay checks the event log without being woken */
  LIVE_POLL_MS: Type.Integer({ minimum: 50, maximum: 60_000, default: 1000 }),
  /** a client further behind than this many events reloads the snapshot instead of replaying */
  LIVE_REPLAY_MAX: Type.Integer({ minimum: 1, default: 50_000 }),
  /** events older than this are pruned from the log (the newest LIVE_REPLAY_MAX are always kept) */
  LIVE_RETENTION_HOURS: Type.Number({ exclusiveMinimum: 0, default: 72 }),
  /**
   * MQTT broker the smart hydrants' pressure sensors publish to (`mqtt://host:1883`, `mqtts://…`,
   * `ws://…`); unset = the sensor feature is off.
   */
  MQTT_URL: Type.Optional(Type.String({ pattern: '^(mqtts?|wss?)://.+' })),
  /** first topic level of the readings: `<prefix>/<district>/hydrants/<code>/pressure` */
  MQTT_TOPIC_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$', default: 'gridwatch' }),
  /** shared-subscription group (`$share/<group>/…`): the instances of one deployment share each reading */
  MQTT_SHARE_GROUP: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'gridwatch' }),
  /** most photos in one hazard report */
  HAZARD_PHOTOS_MAX: Type.Integer({ minimum: 0, maximum: 50, default: 6 }),
  /** largest photo accepted, bytes (10 MiB) */
  HAZARD_PHOTO_MAX_BYTES: Type.Integer({ minimum: 1024, default: 10 * 1024 * 1024 }),
  /** largest hazard report (all photos and fields together), bytes (32 MiB) */
  HAZARD_UPLOAD_MAX_BYTES: Type.Integer({ minimum: 1024, default: 32 * 1024 * 1024 }),
  /** longest side of a photo's thumbnail, px */
  HAZARD_THUMBNAIL_PX: Type.Integer({ minimum: 32, maximum: 2048, default: 320 }),
  /** rectification deadline after classification, hours: general hazards (一般隐患), default 7 days */
  HAZARD_DEADLINE_GENERAL_H: Type.Number({ exclusiveMinimum: 0, maximum: 8760, default: 168 }),
  /** rectification deadline for major hazards (重大隐患), hours, default 30 days */
  HAZARD_DEADLINE_MAJOR_H: Type.Number({ exclusiveMinimum: 0, maximum: 8760, default: 720 }),
  /** a general hazard's timer turns yellow with this many hours left */
  HAZARD_YELLOW_GENERAL_H: Type.Number({ minimum: 0, maximum: 8760, default: 24 }),
  /** a major hazard's timer turns yellow with this many hours left */
  HAZARD_YELLOW_MAJOR_H: Type.Number({ minimum: 0, maximum: 8760, default: 72 }),
  /** a static bearer token Prometheus may scrape /metrics with (otherwise administrators only) */
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16, maxLength: 200, pattern: '^[!-~]+$' })),
  /** a patrol session ends when its device sends no fix for this long, seconds */
  PATROL_IDLE_GAP_S: Type.Integer({ minimum: 30, maximum: 86_400, default: 900 }),
  /** most fixes in one POST /api/positions */
  PATROL_BATCH_MAX: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  /** how far ahead of the server's clock a fix's time may be (device clocks drift), seconds */
  PATROL_CLOCK_SKEW_S: Type.Integer({ minimum: 0, maximum: 86_400, default: 300 }),
  /** oldest fix accepted (apps buffer fixes while offline), hours */
  PATROL_MAX_AGE_HOURS: Type.Number({ exclusiveMinimum: 0, maximum: 8760, default: 168 }),
  /** unit of the OsmAnd protocol's `speed` (Traccar Client sends knots, as Traccar expects) */
  PATROL_OSMAND_SPEED_UNIT: Type.Enum(['kn', 'kmh', 'mps'], { default: 'kn' }),
  /** how long an Idempotency-Key's first answer is kept, hours */
  IDEMPOTENCY_RETENTION_HOURS: Type.Number({ exclusiveMinimum: 0, default: 48 }),
  /** farthest an incident, a fire force or a water source may lie from a passable road to be routed, m */
  DISPATCH_SNAP_MAX_M: Type.Number({ exclusiveMinimum: 0, maximum: 10_000, default: 500 }),
  /** how often the routing engine looks for road changes (and rebuilds its graph when there are), ms */
  ROUTING_REFRESH_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 5000 }),
  /**
   * how long the in-memory list of fire forces is trusted without a station event, ms: changes through
   * the product are seen at once, changes made in the database by hand within this time (0: read every time)
   */
  FORCES_CACHE_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 30_000 }),
  /** how often, at most, a vector tile layer's table is checked for changes (a changed one is cut again), ms */
  TILES_REFRESH_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 10_000 }),
  /**
   * dispatch keeps a shortest-path tree per force (free flow) while they take at most this many MB
   * (12 bytes per road node per force); 0 always searches per incident
   */
  DISPATCH_TREES_MB: Type.Integer({ minimum: 0, maximum: 65_536, default: 512 }),
  /** the planner's raster cell, m: areas and people outside the reach are counted in cells of this size */
  COVERAGE_CELL_M: Type.Integer({ minimum: 10, maximum: 500, default: 50 }),
  /** apply the time-of-day congestion factors per road class to travel times (README: Dispatch) */
  ROUTING_CONGESTION: Type.Boolean({ default: false }),
});
export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Config> = {},
): Config {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, picked)) as Record<
    string,
    unknown
  >;
  const merged = { ...converted, ...overrides };
  const errors = [...Value.Errors(ConfigSchema, merged)];
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.instancePath.slice(1) || '(root)'}: ${e.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${detail}`);
  }
  return merged as Config;
}
