/**
 * The route table every harness test walks, the fixtures its examples draw on, and the generators of
 * bad requests (fast-check arbitraries) with the checks applied to each answer.
 *
 * A route joins both suites (bad input and the authorization matrix) with one row in `ROUTES`: method,
 * URL template, the account that calls it, and a valid example request. Which inputs a route takes
 * (path and query parameters, body schema) is read from the served OpenAPI document, so a new field is
 * fuzzed without touching this file; a route missing from the table fails the coverage test.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { ROLE_SCOPE_LEVEL, ROLES, type Role } from '../../shared/src/auth.ts';
import { COLLECTION_IDS, type CollectionId } from '../../shared/src/schemas/features.ts';
import type { RollcallDay } from '../../shared/src/schemas/rollcall.ts';
import { HAZARD_ACTIONS } from '../../shared/src/hazard-workflow.ts';
import { loadConfig } from '../../server/src/config.ts';
import type { TestDatabase } from '../support/databases.ts';
import { HTML, PDF, ZIP, jpegWithGps } from '../support/images.ts';
import { multipartBody, type FormFile } from '../support/multipart.ts';
import { TEST_PASSWORD } from '../support/paths.ts';

// ---------------------------------------------------------------------------------------------------
// Route table
// ---------------------------------------------------------------------------------------------------

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Who a row calls the route as: a role's account, the handheld device token, or nobody. */
export type Caller = Role | 'device' | 'public';
/** The smallest demo area a target lies in: the first village, its town (outside that village), the county (outside that town). */
export type Level = 'village' | 'town' | 'county';

export interface Example {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** files of a multipart/form-data request: the body's fields are then sent as form fields */
  files?: FormFile[];
  /** a body that is a file itself (e.g. a CSV import), sent with its content type */
  raw?: { contentType: string; text: string };
}

export interface RouteRow {
  method: Method;
  /** Fastify URL template (`/api/devices/:id`) */
  url: string;
  as: Caller;
  /** A valid request; `role` is the account sending it (examples that need the caller's own data use it). */
  example: (fx: Fixtures, role: Role) => Example | Promise<Example>;
  /** Audit actions an accepted request writes (one row each); a write route's effects are checked through them. */
  audits?: string[];
  /** Audit actions a rejected request may still write (failed sign-ins, refresh-token reuse). */
  auditsWhenRejected?: string[];
  /** An accepted request stores GPS fixes and patrol sessions, which are telemetry and not audited. */
  telemetry?: boolean;
}

export const routeId = (row: Pick<RouteRow, 'method' | 'url'>) => `${row.method} ${row.url}`;

const collectionRows = (id: CollectionId): RouteRow[] => [
  {
    method: 'GET',
    url: `/ogc/collections/${id}`,
    as: 'village_officer',
    example: () => ({ query: { f: 'json' } }),
  },
  {
    method: 'GET',
    url: `/ogc/collections/${id}/items`,
    as: 'village_officer',
    example: () => ({ query: { limit: 2, offset: 1, bbox: '118.9,33.2,119.7,33.8' } }),
  },
  {
    method: 'GET',
    url: `/ogc/collections/${id}/items/:featureId`,
    as: 'county_operator',
    example: (fx) => ({ params: { featureId: fx.anyFeature(id) } }),
  },
];

/** Every public route. Adding a route = adding one row (and, in the matrix, who may call it). */
export const ROUTES: RouteRow[] = [
  { method: 'GET', url: '/api/health', as: 'public', example: () => ({}) },
  {
    method: 'POST',
    url: '/api/auth/login',
    as: 'public',
    example: (fx) => ({ body: { username: fx.loginAccount, password: TEST_PASSWORD } }),
    audits: ['auth.login'],
    auditsWhenRejected: ['auth.login_failed', 'auth.login_locked'],
  },
  {
    method: 'POST',
    url: '/api/auth/refresh',
    as: 'public',
    example: async (fx) => ({ body: { refreshToken: (await fx.session('planner')).refreshToken } }),
    audits: ['auth.refresh'],
    auditsWhenRejected: ['auth.refresh_reuse'],
  },
  {
    method: 'POST',
    url: '/api/auth/display',
    as: 'public',
    example: async (fx) => ({ body: { token: await fx.displayToken() } }),
    audits: ['auth.display_login'],
  },
  {
    method: 'POST',
    url: '/api/auth/logout',
    as: 'planner',
    example: async (fx, role) => ({ body: { refreshToken: (await fx.session(role)).refreshToken } }),
    audits: ['auth.logout'],
  },
  { method: 'GET', url: '/api/auth/me', as: 'planner', example: () => ({}) },
  { method: 'GET', url: '/api/devices', as: 'village_officer', example: () => ({}) },
  {
    method: 'POST',
    url: '/api/devices',
    as: 'village_officer',
    example: () => ({ body: { name: '手持终端-001' } }),
    audits: ['device.issue'],
  },
  {
    method: 'DELETE',
    url: '/api/devices/:id',
    as: 'village_officer',
    example: async (fx, role) => ({ params: { id: (await fx.device(role)).id } }),
    audits: ['device.revoke'],
  },
  { method: 'GET', url: '/api/device/me', as: 'device', example: () => ({}) },
  { method: 'GET', url: '/api/users', as: 'admin', example: () => ({}) },
  {
    method: 'POST',
    url: '/api/users',
    as: 'admin',
    example: (fx) => ({
      body: {
        username: fx.unique('user'),
        displayName: '新网格员',
        role: 'grid_member',
        scope: fx.scope.village,
        password: 'a-long-password',
      },
    }),
    audits: ['user.create'],
  },
  {
    method: 'PATCH',
    url: '/api/stations/:code/status',
    as: 'dispatcher',
    example: (fx) => ({ params: { code: fx.stations.town! }, body: { status: 'busy', reason: '出警' } }),
    audits: ['station.status'],
  },
  {
    method: 'PUT',
    url: '/api/stations/:code/stream',
    as: 'county_operator',
    example: (fx) => ({
      params: { code: fx.stations.town! },
      body: { url: `https://video.example.cn/live/${fx.unique('s')}/index.m3u8` },
    }),
    audits: ['station.stream'],
  },
  {
    method: 'GET',
    url: '/api/live/snapshot',
    as: 'village_officer',
    example: (fx) => ({ query: { area: fx.scope.village } }),
  },
  {
    method: 'PUT',
    url: '/api/grids/:code/geometry',
    as: 'county_operator',
    example: (fx) => ({
      params: { code: fx.unitGrids.town!.code },
      body: { crs: 'wgs84', geometry: { type: 'Polygon', coordinates: fx.unitGrids.town!.square } },
    }),
    audits: ['grid.geometry'],
  },
  {
    method: 'GET',
    url: '/api/water-sources/:code/pressure',
    as: 'village_officer',
    example: (fx) => ({ params: { code: fx.anyFeature('water-sources') } }),
  },
  {
    method: 'POST',
    url: '/api/hazards',
    as: 'grid_member',
    example: (fx) => ({
      body: {
        category: 'fire_safety',
        description: '楼道堆放杂物，堵塞安全出口',
        location: { ...fx.hazardSpots.village, crs: 'wgs84' },
      },
      files: [{ field: 'photos', filename: 'IMG_0001.jpg', contentType: 'image/jpeg', content: fx.photo }],
    }),
    audits: ['hazard.report'],
  },
  {
    method: 'GET',
    url: '/api/hazards',
    as: 'village_officer',
    example: () => ({ query: { limit: 5, offset: 0, bbox: '118.9,33.2,119.7,33.8' } }),
  },
  {
    method: 'GET',
    url: '/api/hazards/:id',
    as: 'village_officer',
    example: (fx) => ({ params: { id: fx.hazards.village! } }),
  },
  {
    method: 'GET',
    url: '/api/hazards/stats',
    as: 'town_operator',
    example: () => ({
      query: {
        by: 'village',
        from: '2026-01-01T00:00:00+08:00',
        to: '2027-01-01T00:00:00+08:00',
        category: 'lpg',
      },
    }),
  },
  {
    method: 'POST',
    url: '/api/hazards/:id/actions',
    as: 'village_officer',
    example: async (fx) => ({
      params: { id: await fx.newHazard('village') },
      body: { version: 1, action: 'classify', severity: 'general', note: '一般隐患，限期整改' },
    }),
    audits: ['hazard.classify'],
  },
  {
    method: 'GET',
    url: '/api/hazards/:id/assignees',
    as: 'village_officer',
    example: (fx) => ({ params: { id: fx.hazards.village! } }),
  },
  {
    method: 'GET',
    url: '/api/hazards/:id/photos/:n',
    as: 'village_officer',
    example: (fx) => ({ params: { id: fx.hazards.village!, n: 1 } }),
  },
  {
    method: 'GET',
    url: '/api/hazards/:id/photos/:n/thumbnail',
    as: 'village_officer',
    example: (fx) => ({ params: { id: fx.hazards.village!, n: 1 } }),
  },
  {
    method: 'GET',
    url: '/api/enterprises',
    as: 'village_officer',
    example: () => ({ query: { risk: 'red', limit: 10, offset: 0, inspectionOverdue: true, q: '公司' } }),
  },
  { method: 'GET', url: '/api/enterprises.csv', as: 'town_operator', example: () => ({}) },
  {
    method: 'POST',
    url: '/api/enterprises/import',
    as: 'town_operator',
    example: (fx) => ({
      query: { crs: 'wgs84' },
      raw: {
        contentType: 'text/csv',
        text:
          'code,name,category,risk,lon,lat,employees,address\n' +
          `${fx.unique('E').replace(/\./g, '-')},某五金加工厂,dust_explosion,橙,${fx.hazardSpots.village.lon},` +
          `${fx.hazardSpots.village.lat},12,"某村 3 组, 东侧"\n`,
      },
    }),
    audits: ['enterprise.import'],
  },
  {
    method: 'GET',
    url: '/api/enterprises/:code',
    as: 'village_officer',
    example: (fx) => ({ params: { code: fx.features.enterprises.village! } }),
  },
  {
    method: 'PUT',
    url: '/api/enterprises/:code/board',
    as: 'village_officer',
    example: (fx) => ({ params: { code: fx.features.enterprises.village! }, body: BOARD_EXAMPLE }),
    audits: ['enterprise.board'],
  },
  {
    method: 'POST',
    url: '/api/enterprises/:code/board/check',
    as: 'village_officer',
    example: async (fx) => {
      const code = fx.features.enterprises.village!;
      await fx.postBoard(code);
      return { params: { code } };
    },
    audits: ['enterprise.board_check'],
  },
  {
    method: 'POST',
    url: '/api/enterprises/:code/inspections',
    as: 'village_officer',
    example: (fx) => ({
      params: { code: fx.features.enterprises.village! },
      body: { result: 'hazards_found', findings: '消防通道堆放杂物', hazardsFound: 1 },
    }),
    audits: ['enterprise.inspect'],
  },
  {
    method: 'GET',
    url: '/api/dispatch/nearest',
    as: 'dispatcher',
    example: (fx) => ({ query: { ...fx.incidentSpots.village, crs: 'wgs84', limit: 3 } }),
  },
  {
    method: 'POST',
    url: '/api/dispatches',
    as: 'dispatcher',
    example: async (fx) => ({
      body: {
        ...fx.incidentSpots.village,
        crs: 'wgs84',
        stations: [await fx.freeStation(fx.incidentSpots.village)],
        note: '演练',
      },
    }),
    audits: ['dispatch.create'],
  },
  {
    method: 'POST',
    url: '/api/dispatches/:id/close',
    as: 'dispatcher',
    example: async (fx) => ({
      params: { id: await fx.openDispatch('village') },
      body: { reason: '处置完毕' },
    }),
    audits: ['dispatch.close'],
  },
  {
    method: 'GET',
    url: '/api/dispatches',
    as: 'dispatcher',
    example: () => ({ query: { status: 'all', limit: 10 } }),
  },
  { method: 'GET', url: '/api/coverage/live', as: 'county_operator', example: () => ({}) },
  { method: 'GET', url: '/api/wall/summary', as: 'county_operator', example: () => ({}) },
  {
    method: 'GET',
    url: '/tiles/:layer/:z/:x/:y.mvt',
    as: 'county_operator',
    // the whole world in one tile: every caller's area has grids in it
    example: () => ({ params: { layer: 'grids', z: 0, x: 0, y: 0 } }),
  },
  {
    method: 'GET',
    url: '/api/coverage/reach',
    as: 'planner',
    example: () => ({ query: { tier: ['rescue_station'] } }),
  },
  { method: 'GET', url: '/api/coverage/gaps', as: 'planner', example: () => ({ query: { level: 'town' } }) },
  {
    method: 'GET',
    url: '/api/coverage/gaps.csv',
    as: 'planner',
    example: () => ({ query: { level: 'town' } }),
  },
  {
    method: 'GET',
    url: '/api/coverage/gaps.geojson',
    as: 'planner',
    example: () => ({ query: { level: 'town' } }),
  },
  {
    method: 'GET',
    url: '/api/coverage/districts',
    as: 'planner',
    example: () => ({ query: { tier: ['rescue_station'] } }),
  },
  { method: 'GET', url: '/api/coverage/hydrants', as: 'planner', example: () => ({}) },
  { method: 'GET', url: '/api/coverage/hazards', as: 'planner', example: () => ({}) },
  { method: 'GET', url: '/api/coverage/report.html', as: 'planner', example: () => ({}) },
  {
    method: 'GET',
    url: '/api/coverage/hazards/:id',
    as: 'village_officer',
    example: (fx) => ({ params: { id: fx.hazards.village! } }),
  },
  {
    method: 'POST',
    url: '/api/coverage/siting',
    as: 'planner',
    example: (fx) => ({ body: { tier: 'joint_station', k: 1, candidates: [fx.incidentSpots.village] } }),
  },
  {
    method: 'POST',
    url: '/api/coverage/what-if',
    as: 'planner',
    example: (fx) => ({
      body: { add: [{ ...fx.incidentSpots.village, tier: 'micro_station' }], remove: [fx.stations.county!] },
    }),
  },
  { method: 'GET', url: '/metrics', as: 'admin', example: () => ({}) },
  {
    method: 'GET',
    url: '/osmand',
    as: 'public',
    telemetry: true,
    example: async (fx) => ({
      query: {
        id: await fx.tracker('osmand'),
        ...{ lat: fx.hazardSpots.village.lat, lon: fx.hazardSpots.village.lon },
        timestamp: Math.floor(Date.now() / 1000),
        speed: 2.1,
        bearing: 90,
        altitude: 12,
        accuracy: 8,
        batt: 80,
      },
    }),
  },
  {
    method: 'POST',
    url: '/osmand',
    as: 'public',
    telemetry: true,
    example: async (fx) => ({
      body: {
        device_id: await fx.tracker('osmand'),
        location: {
          timestamp: new Date().toISOString(),
          coords: {
            latitude: fx.hazardSpots.village.lat,
            longitude: fx.hazardSpots.village.lon,
            speed: 1.2,
            heading: 180,
            altitude: 10,
            accuracy: 5,
          },
          battery: { level: 0.8 },
        },
      },
    }),
  },
  {
    method: 'POST',
    url: '/api/positions',
    as: 'device',
    telemetry: true,
    example: (fx) => ({
      body: {
        positions: [
          { ...fx.hazardSpots.village, fixAt: new Date().toISOString(), speedKmh: 4.5, bearing: 30 },
        ],
      },
    }),
  },
  {
    method: 'GET',
    url: '/api/patrols',
    as: 'village_officer',
    example: () => ({ query: { state: 'all', limit: 5, offset: 0 } }),
  },
  {
    method: 'GET',
    url: '/api/patrols/compliance',
    as: 'village_officer',
    example: () => ({ query: { month: '2026-11', level: 'village' } }),
  },
  {
    method: 'POST',
    url: '/api/patrols/:id/end',
    as: 'grid_member',
    example: async (fx) => ({ params: { id: await fx.patrolSession() } }),
    audits: ['patrol.end'],
  },
  {
    method: 'GET',
    url: '/api/ledger/key-hazards',
    as: 'town_operator',
    example: () => ({ query: { half: '2026-11-1', department: 'fire', format: 'json' } }),
  },
  {
    method: 'GET',
    url: '/api/ledger/joint-tackling',
    as: 'county_operator',
    example: () => ({ query: { month: '2026-11', format: 'json' } }),
  },
  {
    method: 'GET',
    url: '/api/ledger/coordination',
    as: 'department_handler',
    example: () => ({ query: { month: '2026-10', format: 'html' } }),
  },
  {
    method: 'GET',
    url: '/api/ledger/bulletin',
    as: 'village_officer',
    example: () => ({ query: { month: '2026-11', format: 'json' } }),
  },
  {
    method: 'GET',
    url: '/api/rollcall',
    as: 'town_operator',
    example: () => ({ query: { date: '2026-11-20' } }),
  },
  {
    method: 'POST',
    url: '/api/rollcall/results',
    as: 'dispatcher',
    example: async (fx) => {
      const slot = await fx.rollcallSlot();
      return { body: { ...slot, outcome: 'present', note: '在岗' } };
    },
    audits: ['rollcall.record'],
  },
  {
    method: 'GET',
    url: '/api/rollcall/monthly',
    as: 'county_operator',
    example: () => ({ query: { month: '2026-10' } }),
  },
  { method: 'GET', url: '/api/district', as: 'planner', example: () => ({}) },
  { method: 'GET', url: '/ogc', as: 'planner', example: () => ({ query: { f: 'json' } }) },
  { method: 'GET', url: '/ogc/conformance', as: 'planner', example: () => ({}) },
  { method: 'GET', url: '/ogc/collections', as: 'village_officer', example: () => ({}) },
  ...COLLECTION_IDS.flatMap(collectionRows),
];

const BOARD_EXAMPLE = {
  firstResponsible: '王建国',
  firstResponsiblePhone: '0517-83912201',
  actualController: '王建国',
  safetyManager: '李敏',
  safetyManagerPhone: '13912345678',
  townSupervisor: '赵镇长',
  villageSupervisor: '钱书记',
  supervisorPhone: '0517-83910000',
};

// ---------------------------------------------------------------------------------------------------
// Fixtures: the data the examples and the matrix's scope cases point at
// ---------------------------------------------------------------------------------------------------

type Ring = [number, number][];

export interface Fixtures {
  app: FastifyInstance;
  scope: Record<Level, string>;
  /** an account only the login route's example uses (the bad-input run locks it with failures) */
  loginAccount: string;
  /** `Authorization` value of a signed-in role (one sign-in per role, reused) */
  bearer(role: Role): Promise<string>;
  /** `Authorization` value of a live device token (the village officer's handheld) */
  deviceBearer(): Promise<string>;
  /** a new sign-in: access and refresh token */
  session(username: string): Promise<{ token: string; refreshToken: string }>;
  /** a new device token issued to `username` */
  device(username: string): Promise<{ id: number; token: string }>;
  /** a wall display's token (for the county operator), issued once */
  displayToken(): Promise<string>;
  unique(prefix: string): string;
  /** station codes by the area they lie in (village: none when the first village holds no station) */
  stations: Partial<Record<Level, string>>;
  /** unit grids by area, with a 60 m square inside each (a valid redraw) */
  unitGrids: Partial<Record<Level, { code: string; square: Ring[] }>>;
  /** a feature id per collection and area (absent where the area holds none) */
  features: Record<CollectionId, Partial<Record<Level, string>>>;
  anyFeature(collection: CollectionId): string;
  /** a point inside a unit grid of each area (WGS84), where hazards are reported */
  hazardSpots: Record<Level, { lon: number; lat: number }>;
  /** a point on a road in each area (WGS84), where incidents are dispatched to */
  incidentSpots: Record<Level, { lon: number; lat: number }>;
  /** a hazard (with one photo) reported in each area */
  hazards: Partial<Record<Level, number>>;
  /** posts a responsibility board on an enterprise (so that its check can be taken) */
  postBoard(code: string): Promise<void>;
  /** a new hazard just reported in the area (still 'reported', at the village level, version 1) */
  newHazard(level: Level): Promise<number>;
  /** a small JPEG with EXIF GPS, the hazard examples' photo */
  photo: Buffer;
  /** the tracker id of a device of the grid member (one per `purpose`), registered by the administrator */
  tracker(purpose: string): Promise<string>;
  /** an open patrol session of the grid member in the first village (started by a fix when none is open) */
  patrolSession(): Promise<number>;
  /** the available force nearest `spot` that no open dispatch holds (made available when none is) */
  freeStation(spot: { lon: number; lat: number }): Promise<string>;
  /** a new open dispatch (by the dispatcher) to the incident spot of an area */
  openDispatch(level: Level): Promise<number>;
  /** a skid-mounted station drawn for the roll-call of a day (today or before) with nothing recorded yet */
  rollcallSlot(): Promise<{ date: string; station: string }>;
}

/** Which areas a role's scope contains. */
export const SEES: Record<'county' | 'town' | 'village', Level[]> = {
  county: ['village', 'town', 'county'],
  town: ['village', 'town'],
  village: ['village'],
};
export const roleSees = (role: Role, level: Level) => SEES[ROLE_SCOPE_LEVEL[role]].includes(level);

/**
 * How each collection scopes its rows, written independently of the server's repository (this is the
 * oracle the matrix checks the server against): a division-code column matched by prefix, or a spatial test.
 */
const FEATURE_SOURCES: Record<CollectionId, { table: string; id: string; inArea: (area: string) => string }> =
  {
    'admin-areas': { table: 'admin_area', id: 'code', inArea: (a) => `code LIKE ${a} || '%'` },
    grids: { table: 'grid', id: 'code', inArea: (a) => `admin_code LIKE ${a} || '%'` },
    stations: { table: 'fire_station', id: 'code', inArea: (a) => `village_code LIKE ${a} || '%'` },
    'water-sources': { table: 'water_source', id: 'code', inArea: (a) => `village_code LIKE ${a} || '%'` },
    enterprises: { table: 'enterprise', id: 'code', inArea: (a) => `village_code LIKE ${a} || '%'` },
    roads: { table: 'road', id: 'id', inArea: (a) => `village_code LIKE ${a} || '%'` },
    'coverage-circles': {
      table: 'coverage_circle',
      id: 'station_code',
      inArea: (a) => `village_code LIKE ${a} || '%'`,
    },
    waterways: {
      table: 'waterway',
      id: 'code',
      inArea: (a) => `ST_Intersects(geom, (SELECT geom FROM admin_area WHERE code = ${a}))`,
    },
  };

/** Prepares the fixtures on a fresh test database and app (sign-ins are made lazily and cached). */
export async function prepareFixtures(app: FastifyInstance, db: TestDatabase): Promise<Fixtures> {
  const scope = (
    await db.pool.query<Record<Level, string>>(
      `SELECT (SELECT scope_code FROM app_user WHERE username = 'county_operator') AS county,
              (SELECT scope_code FROM app_user WHERE username = 'town_operator') AS town,
              (SELECT scope_code FROM app_user WHERE username = 'village_officer') AS village`,
    )
  ).rows[0]!;
  for (const code of Object.values(scope)) if (!/^[0-9]+$/.test(code)) throw new Error(`odd scope ${code}`);
  const [v, t, c] = [`'${scope.village}'`, `'${scope.town}'`, `'${scope.county}'`];
  /** The condition placing a row in each area (codes are digits, written into the SQL). */
  const levelSql = (inArea: (a: string) => string): Record<Level, string> => ({
    village: inArea(v),
    town: `${inArea(t)} AND NOT (${inArea(v)})`,
    county: `${inArea(c)} AND NOT (${inArea(t)})`,
  });
  const pick = async (sql: string) => (await db.pool.query<{ id: string }>(sql)).rows[0]?.id;

  const stations: Partial<Record<Level, string>> = {};
  const unitGrids: Fixtures['unitGrids'] = {};
  const features = {} as Fixtures['features'];
  for (const [level, where] of Object.entries(levelSql((a) => `village_code LIKE ${a} || '%'`))) {
    const code = await pick(`SELECT code AS id FROM fire_station WHERE ${where} ORDER BY code LIMIT 1`);
    if (code) stations[level as Level] = code;
  }
  for (const [level, where] of Object.entries(levelSql((a) => `admin_code LIKE ${a} || '%'`))) {
    const { rows } = await db.pool.query<{ code: string; square: { coordinates: Ring[] } }>(
      `SELECT code, ST_AsGeoJSON(ST_Envelope(ST_Buffer(ST_PointOnSurface(geom)::geography, 30)::geometry), 7)::json AS square
         FROM grid WHERE level = 'unit' AND ${where} ORDER BY code LIMIT 1`,
    );
    if (rows[0]) unitGrids[level as Level] = { code: rows[0].code, square: rows[0].square.coordinates };
  }
  for (const id of COLLECTION_IDS) {
    const source = FEATURE_SOURCES[id];
    features[id] = {};
    for (const [level, where] of Object.entries(levelSql(source.inArea))) {
      const found = await pick(
        `SELECT ${source.id}::text AS id FROM ${source.table} WHERE ${where} ORDER BY ${source.id} LIMIT 1`,
      );
      if (found) features[id][level as Level] = found;
    }
  }

  const hazardSpots = {} as Fixtures['hazardSpots'];
  const spotVillages = {} as Record<Level, string>;
  for (const [level, where] of Object.entries(levelSql((a) => `admin_code LIKE ${a} || '%'`))) {
    const { rows } = await db.pool.query<{ lon: number; lat: number; village: string }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, admin_code AS village
         FROM (SELECT admin_code, ST_PointOnSurface(geom) AS p FROM grid
                WHERE level = 'unit' AND ${where} ORDER BY code LIMIT 1) g`,
    );
    if (!rows[0]) throw new Error(`no unit grid ${level}`);
    hazardSpots[level as Level] = { lon: rows[0].lon, lat: rows[0].lat };
    spotVillages[level as Level] = rows[0].village;
  }
  // an incident on a road in each area (a unit grid's middle may lie far from any road)
  const incidentSpots = {} as Fixtures['incidentSpots'];
  for (const [level, where] of Object.entries(levelSql((a) => `village_code LIKE ${a} || '%'`))) {
    const { rows } = await db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
         FROM (SELECT ST_LineInterpolatePoint(geom, 0.5) AS p FROM road WHERE ${where} ORDER BY id LIMIT 1) r`,
    );
    if (!rows[0]) throw new Error(`no road ${level}`);
    incidentSpots[level as Level] = rows[0];
  }
  const photo = await jpegWithGps(
    hazardSpots.village.lon,
    hazardSpots.village.lat,
    '2026:01:01 09:00:00',
    [64, 48],
  );

  const login = async (username: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: TEST_PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
    return res.json() as { token: string; refreshToken: string };
  };
  // access tokens last 15 minutes and a slow run takes longer: each is used for 10 minutes at most
  const BEARER_REUSE_MS = 10 * 60_000;
  const bearers = new Map<string, { at: number; bearer: Promise<string> }>();
  const bearer = (username: string) => {
    const known = bearers.get(username);
    if (known && Date.now() - known.at < BEARER_REUSE_MS) return known.bearer;
    const fresh = { at: Date.now(), bearer: login(username).then((s) => `Bearer ${s.token}`) };
    bearers.set(username, fresh);
    return fresh.bearer;
  };
  const device = async (username: string, kind: 'handheld' | 'display' = 'handheld') => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/devices',
      headers: { authorization: await bearer(username) },
      payload: { name: 'harness', kind },
    });
    if (res.statusCode !== 201) throw new Error(`device for ${username}: ${res.statusCode} ${res.body}`);
    const issued = res.json() as { device: { id: number }; token: string };
    return { id: issued.device.id, token: issued.token };
  };
  let deviceBearer: Promise<string> | undefined;
  let displayToken: Promise<string> | undefined;
  let counter = 0;

  const createUser = async (username: string, role: Role, area: string) => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: await bearer('admin') },
      payload: { username, displayName: username, role, scope: area, password: TEST_PASSWORD },
    });
    if (created.statusCode !== 201) throw new Error(`creating ${username}: ${created.body}`);
  };
  // the login example's own account, so that locking it locks nobody the other examples sign in as
  const loginAccount = 'harness.login';
  await createUser(loginAccount, 'planner', scope.county);

  // one hazard per area, each reported by a grid member of its village (reporters work in their own village)
  const hazards: Fixtures['hazards'] = {};
  const reporters = {} as Record<Level, string>;
  for (const level of ['village', 'town', 'county'] as const) {
    let reporter = 'grid_member';
    if (level !== 'village') {
      reporter = `harness.reporter.${level}`;
      await createUser(reporter, 'grid_member', spotVillages[level]);
    }
    reporters[level] = reporter;
    const form = multipartBody(
      { category: 'lpg', description: `harness ${level}`, location: { ...hazardSpots[level], crs: 'wgs84' } },
      [{ field: 'photos', filename: 'a.jpg', contentType: 'image/jpeg', content: photo }],
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/hazards',
      headers: { authorization: await bearer(reporter), 'content-type': form.contentType },
      payload: form.payload,
    });
    if (res.statusCode !== 201) throw new Error(`hazard ${level}: ${res.statusCode} ${res.body}`);
    hazards[level] = (res.json() as { id: number }).id;
  }

  const trackers = new Map<string, Promise<string>>();
  const tracker = (purpose: string) => {
    if (!trackers.has(purpose)) {
      trackers.set(
        purpose,
        (async () => {
          const owner = await db.pool.query<{ id: number }>(
            `SELECT id::int FROM app_user WHERE username = 'grid_member'`,
          );
          const trackerId = `harness-${purpose}-${process.pid}`;
          const res = await app.inject({
            method: 'POST',
            url: '/api/devices',
            headers: { authorization: await bearer('admin') },
            payload: { name: `harness ${purpose}`, userId: owner.rows[0]!.id, trackerId },
          });
          if (res.statusCode !== 201) throw new Error(`tracker ${purpose}: ${res.statusCode} ${res.body}`);
          return trackerId;
        })(),
      );
    }
    return trackers.get(purpose)!;
  };
  // the session fixture's own device, with fix times that only move forward
  let lastFixMs = 0;
  const patrolSession = async () => {
    lastFixMs = Math.max(Date.now(), lastFixMs + 1);
    const spot = hazardSpots.village;
    const res = await app.inject({
      method: 'GET',
      url: `/osmand?id=${await tracker('session')}&lat=${spot.lat}&lon=${spot.lon}&timestamp=${lastFixMs}`,
    });
    const sessionId = (res.json() as { sessionId?: number | null }).sessionId;
    if (res.statusCode !== 200 || !sessionId)
      throw new Error(`patrol session: ${res.statusCode} ${res.body}`);
    return sessionId;
  };

  const freeStation = async (spot: { lon: number; lat: number }): Promise<string> => {
    const { rows } = await db.pool.query<{ code: string; status: string }>(
      `SELECT code, status FROM fire_station s
        WHERE NOT EXISTS (SELECT 1 FROM dispatch_force f WHERE f.station_code = s.code AND f.released_at IS NULL)
        ORDER BY status <> 'available', geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 1`,
      [spot.lon, spot.lat],
    );
    if (!rows[0]) {
      // every force is out on a dispatch the examples made: call the oldest back, then choose again
      const oldest = await db.pool.query<{ id: string }>(
        `SELECT id::text FROM dispatch WHERE status = 'open' ORDER BY id LIMIT 1`,
      );
      const res = await app.inject({
        method: 'POST',
        url: `/api/dispatches/${oldest.rows[0]!.id}/close`,
        headers: { authorization: await bearer('admin') },
        payload: {},
      });
      if (res.statusCode !== 200) throw new Error(`closing a dispatch: ${res.statusCode} ${res.body}`);
      return freeStation(spot);
    }
    const code = rows[0].code;
    if (rows[0].status !== 'available') {
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/stations/${code}/status`,
        headers: { authorization: await bearer('admin') },
        payload: { status: 'available' },
      });
      if (res.statusCode !== 200) throw new Error(`freeing ${code}: ${res.statusCode} ${res.body}`);
    }
    return code;
  };
  const openDispatch = async (level: Level) => {
    const spot = incidentSpots[level];
    const res = await app.inject({
      method: 'POST',
      url: '/api/dispatches',
      headers: { authorization: await bearer('dispatcher') },
      payload: { ...spot, stations: [await freeStation(spot)] },
    });
    if (res.statusCode !== 201) throw new Error(`dispatch ${level}: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: number }).id;
  };

  let rollcallDay = Date.now() + 8 * 3_600_000;
  const rollcallSlot = async () => {
    for (let tries = 0; tries < 1000; tries++, rollcallDay -= 86_400_000) {
      const date = new Date(rollcallDay).toISOString().slice(0, 10);
      const res = await app.inject({
        url: `/api/rollcall?date=${date}`,
        headers: { authorization: await bearer('county_operator') },
      });
      if (res.statusCode !== 200) throw new Error(`roll-call of ${date}: ${res.statusCode} ${res.body}`);
      const free = (res.json() as RollcallDay).drawn.find((s) => s.result === null);
      if (free) return { date, station: free.code };
    }
    throw new Error('no roll-call left to record in 1,000 days');
  };

  return {
    app,
    scope,
    loginAccount,
    tracker,
    patrolSession,
    freeStation,
    openDispatch,
    rollcallSlot,
    bearer,
    deviceBearer: () => (deviceBearer ??= device('village_officer').then((d) => `Bearer ${d.token}`)),
    session: login,
    device: (username: string) => device(username),
    displayToken: () => (displayToken ??= device('county_operator', 'display').then((d) => d.token)),
    unique: (prefix) => `${prefix}${process.pid % 1000}.${++counter}`,
    stations,
    unitGrids,
    features,
    anyFeature: (collection) => {
      const f = features[collection];
      const id = f.village ?? f.town ?? f.county;
      if (!id) throw new Error(`no feature in ${collection}`);
      return id;
    },
    hazardSpots,
    incidentSpots,
    hazards,
    postBoard: async (code) => {
      const res = await app.inject({
        method: 'PUT',
        url: `/api/enterprises/${code}/board`,
        headers: { authorization: await bearer('admin') },
        payload: BOARD_EXAMPLE,
      });
      if (res.statusCode !== 200) throw new Error(`board on ${code}: ${res.statusCode} ${res.body}`);
    },
    newHazard: async (level) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/hazards',
        headers: { authorization: await bearer(reporters[level]) },
        payload: {
          category: 'fire_safety',
          description: `harness step ${level}`,
          location: { ...hazardSpots[level], crs: 'wgs84' },
        },
      });
      if (res.statusCode !== 201) throw new Error(`new hazard ${level}: ${res.statusCode} ${res.body}`);
      return (res.json() as { id: number }).id;
    },
    photo,
  };
}

/** The role an example is prepared for when the caller is not a role. */
export const exampleRole = (caller: Caller): Role =>
  ROLES.includes(caller as Role) ? (caller as Role) : 'planner';

export async function callerHeaders(fx: Fixtures, caller: Caller): Promise<Record<string, string>> {
  if (caller === 'public') return {};
  if (caller === 'device') return { authorization: await fx.deviceBearer() };
  return { authorization: await fx.bearer(caller) };
}

/** Fills the URL template and encodes query and body of an example into inject options. */
export function exampleRequest(
  row: RouteRow,
  example: Example,
  headers: Record<string, string>,
): InjectOptions {
  const url = row.url.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    encodeURIComponent(String(example.params?.[name] ?? '')),
  );
  const query = Object.entries(example.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  if (example.files) {
    const form = multipartBody((example.body ?? {}) as Record<string, unknown>, example.files);
    return {
      method: row.method,
      url: query ? `${url}?${query}` : url,
      headers: { ...headers, 'content-type': form.contentType },
      payload: form.payload,
    };
  }
  if (example.raw) {
    return {
      method: row.method,
      url: query ? `${url}?${query}` : url,
      headers: { ...headers, 'content-type': example.raw.contentType },
      payload: example.raw.text,
    };
  }
  return {
    method: row.method,
    url: query ? `${url}?${query}` : url,
    headers,
    ...(example.body !== undefined ? { payload: example.body as InjectOptions['payload'] } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// What a route takes, read from the served OpenAPI document
// ---------------------------------------------------------------------------------------------------

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
}

export interface RouteInputs {
  params: Record<string, JsonSchema>;
  query: Record<string, JsonSchema>;
  body?: JsonSchema;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

/** Route ids (`GET /api/devices/:id`) of every documented operation. */
export function documentedRoutes(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path.replace(/\{([A-Za-z]+)\}/g, ':$1')}`),
  );
}

export function routeInputs(doc: OpenApiDocument, row: RouteRow): RouteInputs {
  const op = doc.paths[openApiPath(row.url)]?.[row.method.toLowerCase()];
  if (!op) throw new Error(`${routeId(row)} is not in the OpenAPI document`);
  const inputs: RouteInputs = { params: {}, query: {} };
  for (const p of op.parameters ?? []) {
    if (p.in === 'path') inputs.params[p.name] = p.schema ?? {};
    if (p.in === 'query') inputs.query[p.name] = p.schema ?? {};
  }
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (body) inputs.body = body;
  return inputs;
}

// ---------------------------------------------------------------------------------------------------
// Bad values
// ---------------------------------------------------------------------------------------------------

export const SQL_INJECTION = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE app_user; --",
  '1; SELECT pg_sleep(5) --',
  "' UNION SELECT password_hash FROM app_user --",
  "%' OR code LIKE '%",
  "\\'; --",
  '$1',
  '$$; SELECT 1; $$',
  "E'\\x00'",
  '1::bigint',
  "admin'--",
  '") OR ("a"="a',
  '%',
  '_',
];

export const SCRIPT_INJECTION = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  '${7*7}',
  '<!--',
  ']]>',
  '%s%s%s%n',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
];

export const UNICODE_ODDITIES = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'a\uD800b',
  '\uDC00\uD800',
  '\u202Eevil\u202C',
  '\u200F\u200E',
  'a\u200Bb',
  '\u200D',
  '\uFEFF',
  '\u2028\u2029',
  '👨‍👩‍👧‍👦',
  '🔥'.repeat(40),
  'e\u0301'.repeat(40),
  '\u0301',
  '１２３',
  '١٢٣',
  'İı',
  'ﬁ',
  '\u{10FFFF}',
  '\uFFFD',
  '\uFFFF',
  '\t\n\r',
  '\u0007\u001b[31m',
  ' ',
  '',
  '  padded  ',
  '网格 员',
];

export const NUMBER_STRINGS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '-0',
  '0',
  '0x10',
  '1e309',
  '-1e309',
  '1e-400',
  '9'.repeat(400),
  '1.5',
  '+1',
  '0b1',
  ' 1',
  '1 ',
  '1,2',
  '9007199254740993',
  '9223372036854775808',
  '-9223372036854775809',
];

export const BAD_NUMBERS = [
  -1,
  0,
  -0,
  0.5,
  -1.5,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 63,
  2 ** 64,
  1e21,
  1e308,
  -1e308,
  5e-324,
];

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** Strings of any UTF-16 code units: controls, lone surrogates, private use, specials. */
const oddString = fc.string({ unit: anyCodeUnit, maxLength: 40 });

/**
 * A large value built when it is sent: fast-check prints (and shrinks) it by its label instead of
 * walking 400,000 characters or 5,000 levels of nesting.
 */
export class Big {
  constructor(
    readonly label: string,
    readonly make: () => unknown,
  ) {}
  toJSON(): unknown {
    return this.make();
  }
  [fc.toStringMethod](): string {
    return this.label;
  }
}
const unwrap = (v: unknown): unknown => (v instanceof Big ? v.make() : v);

const hugeString = fc
  .tuple(
    fc.constantFrom(65, 101, 201, 257, 1_000, 10_000, 100_000, 400_000),
    fc.constantFrom('x', 'é', '🔥', "'", '9'),
  )
  .map(([n, c]) => new Big(`${JSON.stringify(c)}×${n}`, () => c.repeat(n)));

const nested = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i += 1) v = i % 2 ? [v] : { a: v };
  return v;
};
const structural = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': '' }),
  fc.constantFrom(10, 200, 1_000).map((d) => new Big(`nested ${d} deep`, () => nested(d, 'deep'))),
  fc
    .constantFrom(1_000, 20_000)
    .map((n) => new Big(`array of ${n}`, () => Array.from({ length: n }, (_, i) => i))),
  fc.jsonValue({ maxDepth: 3 }),
  fc.object({ maxDepth: 2 }),
);

/** Any value a client could send where it should not: wrong types, extremes, hostile strings. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...SQL_INJECTION, ...SCRIPT_INJECTION),
  fc.constantFrom(...UNICODE_ODDITIES),
  fc.constantFrom(...NUMBER_STRINGS),
  fc.constantFrom(...BAD_NUMBERS),
  fc.double(),
  fc.integer(),
  oddString,
  hugeString,
  structural,
);

/** Values just outside what `schema` allows, and of the wrong type. */
export function outsideSchema(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  if (!schema) return nastyValue;
  const options: fc.Arbitrary<unknown>[] = [];
  const types = [schema.type ?? []].flat();
  if (schema.enum) {
    const values = schema.enum.map(String);
    options.push(
      fc.constantFrom(
        ...values.flatMap((v) => [
          v.toUpperCase(),
          ` ${v}`,
          `${v}\u200B`,
          `${v}\u0000`,
          `${v},${v}`,
          v.slice(1),
        ]),
        '',
        'null',
      ),
    );
  }
  if (schema.const !== undefined) options.push(fc.constantFrom(`${String(schema.const)}x`, 'CRS84', ''));
  if (types.includes('string')) {
    if (schema.minLength) options.push(fc.constant('x'.repeat(schema.minLength - 1)));
    if (schema.maxLength !== undefined) options.push(fc.constant('x'.repeat(schema.maxLength + 1)));
    if (schema.pattern) options.push(fc.constantFrom(...SQL_INJECTION, ...UNICODE_ODDITIES));
    options.push(fc.constantFrom<unknown>(1, 0, -1, true, null, [], {}, ['a']));
  }
  if (types.includes('integer') || types.includes('number')) {
    if (schema.minimum !== undefined) options.push(fc.constantFrom(schema.minimum - 1, schema.minimum - 0.5));
    if (schema.maximum !== undefined) options.push(fc.constantFrom(schema.maximum + 1, schema.maximum * 10));
    if (types.includes('integer')) options.push(fc.constantFrom(1.5, -0.5, 1e-7));
    options.push(fc.constantFrom<unknown>('abc', '', true, null, [], {}, [1, 2]));
    options.push(fc.constantFrom(...NUMBER_STRINGS));
  }
  if (types.includes('boolean')) options.push(fc.constantFrom<unknown>('yes', 2, -1, 'TRUE ', null, [], {}));
  if (types.includes('array')) {
    options.push(fc.constantFrom<unknown>([], {}, 'a', [[]], [null], [[1, 2, 3]]));
    if (schema.maxItems !== undefined && schema.maxItems < 2_000) {
      options.push(fc.constant(Array.from({ length: schema.maxItems + 1 }, () => 0)));
    }
  }
  if (types.includes('object') || schema.anyOf || schema.oneOf) {
    options.push(fc.constantFrom<unknown>([], 'object', 1, null, { unexpected: true }));
  }
  options.push(nastyValue);
  return fc.oneof(...options);
}

// Geometry and CRS: used wherever a route takes GeoJSON (a field named geometry, or a schema with coordinates).

const square: Ring = [
  [119.1, 33.5],
  [119.101, 33.5],
  [119.101, 33.501],
  [119.1, 33.501],
  [119.1, 33.5],
];
export const INVALID_GEOMETRIES: unknown[] = [
  { type: 'Polygon', coordinates: [square.slice(0, 4)] }, // not closed
  { type: 'Polygon', coordinates: [square.slice(0, 3)] }, // too few positions
  {
    type: 'Polygon',
    coordinates: [
      [
        [119.14, 33.5],
        [119.141, 33.501],
        [119.141, 33.5],
        [119.14, 33.501],
        [119.14, 33.5],
      ],
    ],
  }, // bow tie: self-intersecting
  { type: 'Polygon', coordinates: [square.map(([x, y]) => [x + 200, y])] }, // longitude out of range
  { type: 'Polygon', coordinates: [square.map(([x, y]) => [y, x])] }, // lat/lon swapped: latitude out of range
  { type: 'Polygon', coordinates: [square.map(([x, y]) => [x * 111_320, y * 110_540])] }, // metres (EPSG:3857-like)
  { type: 'Polygon', coordinates: [square.map(([x, y]) => [x, y, 10, 20])] }, // 4D positions
  { type: 'Polygon', coordinates: [square.map(([x]) => [x])] }, // 1D positions
  { type: 'Polygon', coordinates: [square.map(([x, y]) => [String(x), String(y)])] },
  { type: 'Polygon', coordinates: [square.map(() => [null, null])] },
  { type: 'Polygon', coordinates: [] },
  { type: 'Polygon', coordinates: [[]] },
  { type: 'Polygon', coordinates: square }, // one level too shallow
  { type: 'Polygon', coordinates: [[square]] }, // one level too deep
  { type: 'Polygon', coordinates: [square, square.map(([x, y]) => [x + 1, y + 1])] }, // hole outside the shell
  { type: 'Polygon', coordinates: [Array.from({ length: 5 }, () => [119.1, 33.5])] }, // all one point
  { type: 'Polygon', coordinates: [square], crs: { type: 'name', properties: { name: 'EPSG:3857' } } },
  { type: 'Polygon', coordinates: [square], bbox: [0, 0, 1, 1] },
  { type: 'polygon', coordinates: [square] },
  { type: 'MultiPolygon', coordinates: [square] }, // Polygon depth under MultiPolygon
  { type: 'MultiPolygon', coordinates: [] },
  { type: 'Point', coordinates: [119.1, 33.5] },
  { type: 'LineString', coordinates: square },
  { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: [square] }] },
  { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square] }, properties: {} },
  { type: 'FeatureCollection', features: [] },
  { type: 'Polygon' },
  { coordinates: [square] },
  { type: 'Polygon', coordinates: 'POLYGON((119.1 33.5, 119.2 33.5, 119.2 33.6, 119.1 33.5))' },
  'POLYGON((119.1 33.5, 119.2 33.5, 119.2 33.6, 119.1 33.5))',
  '0103000020E6100000',
  { type: 'Polygon', coordinates: [Array.from({ length: 3_000 }, (_, i) => [119 + (i % 7) * 1e-4, 33.5])] },
];

const coordinate = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(180.0000001, -180.0000001, 90.0000001, -90.0000001, 1e308, -0),
);
/** Random rings: unclosed, out of range or degenerate most of the time. */
const randomPolygon = fc
  .array(fc.tuple(coordinate, coordinate), { minLength: 0, maxLength: 12 })
  .map((ring) => ({ type: 'Polygon', coordinates: [ring] }));

export const badGeometry: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INVALID_GEOMETRIES) },
  { weight: 1, arbitrary: randomPolygon },
);

export const BAD_CRS: unknown[] = [
  'EPSG:4326',
  'epsg:4326',
  'EPSG:3857',
  'EPSG:4490',
  'WGS84',
  'WGS 84',
  'wgs-84',
  'GCJ02',
  'gcj-02',
  'bd-09',
  'cgcs2000 ',
  'urn:ogc:def:crs:OGC:1.3:CRS84',
  'urn:ogc:def:crs:EPSG::4326',
  'http://www.opengis.net/def/crs/EPSG/0/4326',
  'http://www.opengis.net/def/crs/OGC/1.3/CRS84 ',
  'https://www.opengis.net/def/crs/OGC/1.3/CRS84',
  4326,
  '4326',
  { type: 'name', properties: { name: 'EPSG:3857' } },
  'mars2000',
  '',
  null,
];
export const badCrs: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom(...BAD_CRS), oddString);

export const BAD_BBOXES = [
  '1,2,3',
  '1,2,3,4,5',
  '1,2,3,4,5,6,7',
  'NaN,0,1,1',
  'Infinity,0,1,1',
  '0,0,1e309,1',
  '181,0,182,1',
  '0,-91,1,1',
  '1,1,0,0',
  '119,34,120,33',
  '179,0,-179,1',
  ',,,',
  ' , , , ',
  '0x1,0,1,1',
  '1;2;3;4',
  '1 2 3 4',
  '119.1,33.5,119.2,33.6,extra',
  Array.from({ length: 4_000 }, () => '1').join(','),
  '-0,-0,-0,-0',
];
export const badBbox: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom(...BAD_BBOXES), oddString);

const mentions = (schema: JsonSchema | undefined, word: string) =>
  JSON.stringify(schema ?? {}).includes(word);

/** Bad values for one named input, with the geometry, CRS and bbox generators where the name calls for them. */
export function badValueFor(name: string, schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const special: fc.Arbitrary<unknown>[] = [];
  if (/geometry/i.test(name) || mentions(schema, '"coordinates"')) special.push(badGeometry);
  if (/crs$/i.test(name)) special.push(badCrs);
  if (/bbox$/i.test(name)) special.push(badBbox);
  const general = outsideSchema(schema);
  return special.length ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...special) }, general) : general;
}

// ---------------------------------------------------------------------------------------------------
// Bad requests: a valid example plus one to three mutations
// ---------------------------------------------------------------------------------------------------

export type Mutation =
  | { kind: 'body-field'; path: string[]; value: unknown }
  | { kind: 'body-literal'; path: string[]; literal: string }
  | { kind: 'body-drop'; path: string[] }
  | { kind: 'body-replace'; value: unknown }
  | { kind: 'body-raw'; text: string | Buffer }
  | { kind: 'content-type'; value: string | null }
  | { kind: 'oversize'; extra: number }
  | { kind: 'query'; name: string; values: string[] }
  | { kind: 'query-raw'; text: string }
  | { kind: 'param'; name: string; value: string; raw: boolean }
  | { kind: 'header'; name: string; value: string }
  // multipart/form-data routes (examples with files)
  | { kind: 'file-content'; index: number; sample: BadFileSample }
  | { kind: 'file-meta'; index: number; filename: string; contentType: string }
  | { kind: 'file-field'; index: number; field: string }
  | { kind: 'file-oversize'; index: number; extra: number }
  | { kind: 'file-copies'; count: number }
  | { kind: 'field-as-file'; name: string }
  | { kind: 'field-twice'; name: string }
  | { kind: 'multipart-raw'; body: string; contentType: string }
  | { kind: 'as-json' };

/** Fastify's default bodyLimit. */
export const BODY_LIMIT = 1_048_576;
/** The server's default upload limits (the harness runs with them). */
const UPLOADS = loadConfig({}, { LOG_LEVEL: 'silent' });

/** Bytes that are not an acceptable photo, whatever the part's name and type say. */
export const BAD_FILE_SAMPLES = [
  'pdf',
  'html',
  'zip',
  'empty',
  'truncated',
  'header-only',
  'gif',
  'svg',
  'exe',
  'random',
  'jpeg-magic-then-html',
  'flipped-bytes',
] as const;
export type BadFileSample = (typeof BAD_FILE_SAMPLES)[number];

function badFileContent(sample: BadFileSample, original: Buffer): Buffer {
  switch (sample) {
    case 'pdf':
      return PDF;
    case 'html':
      return HTML;
    case 'zip':
      return ZIP;
    case 'empty':
      return Buffer.alloc(0);
    case 'truncated':
      return original.subarray(0, Math.floor(original.length / 2));
    case 'header-only':
      return original.subarray(0, 16);
    case 'gif':
      return Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
    case 'svg':
      return Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    case 'exe':
      return Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    case 'random':
      return Buffer.from(Array.from({ length: 2_000 }, (_, i) => (i * 2_654_435_761) >>> 24));
    case 'jpeg-magic-then-html':
      return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), HTML]);
    case 'flipped-bytes': {
      const copy = Buffer.from(original);
      for (let i = Math.floor(copy.length / 3); i < copy.length; i += 7) copy[i] = copy[i]! ^ 0xff;
      return copy;
    }
  }
}

const BOUNDARY = 'harnessBoundary';
/** Broken multipart bodies (sent with a multipart content type). */
const RAW_FORMS: [string, string][] = [
  ['', `multipart/form-data; boundary=${BOUNDARY}`],
  ['garbage', `multipart/form-data; boundary=${BOUNDARY}`],
  [`--${BOUNDARY}--\r\n`, `multipart/form-data; boundary=${BOUNDARY}`],
  [
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="category"\r\n\r\nfire_safety`,
    `multipart/form-data; boundary=${BOUNDARY}`,
  ],
  [`--${BOUNDARY}\r\n\r\nno headers\r\n--${BOUNDARY}--\r\n`, `multipart/form-data; boundary=${BOUNDARY}`],
  [
    `--${BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${BOUNDARY}--\r\n`,
    `multipart/form-data; boundary=${BOUNDARY}`,
  ],
  [
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff`,
    `multipart/form-data; boundary=${BOUNDARY}`,
  ],
  [
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="location"\r\nContent-Type: application/json\r\n\r\n{bad json\r\n--${BOUNDARY}--\r\n`,
    `multipart/form-data; boundary=${BOUNDARY}`,
  ],
  [
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`,
    `multipart/form-data; boundary=${BOUNDARY}`,
  ],
  [
    `--${BOUNDARY}\r\nX-Long: ${'h'.repeat(20_000)}\r\n\r\nx\r\n--${BOUNDARY}--\r\n`,
    `multipart/form-data; boundary=${BOUNDARY}`,
  ],
  [`--${BOUNDARY}--\r\n`, 'multipart/form-data'],
  [`--${BOUNDARY}--\r\n`, 'multipart/form-data; boundary='],
  [`--${BOUNDARY}--\r\n`, `multipart/form-data; boundary=${'b'.repeat(200)}`],
  [`--${BOUNDARY}--\r\n`, `multipart/mixed; boundary=${BOUNDARY}`],
  [`--${BOUNDARY}--\r\n`, `multipart/form-data; boundary="${BOUNDARY}"; charset=utf-16`],
];

const ODD_FILENAMES = [
  '',
  '../../etc/passwd',
  'a.exe',
  'photo.jpg.php',
  'x'.repeat(2_000),
  '网格.JPG',
  'a\u0000.jpg',
  'CON',
];
const ODD_FILE_TYPES = [
  'application/pdf',
  'image/svg+xml',
  'text/html',
  '',
  'image/gif',
  'application/octet-stream',
];

/** JSON literals JSON.parse refuses (or turns into Infinity), to put in place of a value. */
const BAD_LITERALS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e99999',
  'undefined',
  '01',
  '.5',
  '0x1F',
  "'x'",
  '-',
  '1_000',
];

/** Bodies as raw text or bytes: malformed JSON, odd encodings, extreme nesting. */
const RAW_BODIES: (string | Buffer)[] = [
  '',
  ' ',
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{a:1}',
  '[1,2',
  'nul',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":"\u0001"}',
  '{"a":"line\nbreak"}',
  '{} {}',
  '{}garbage',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '/* comment */ {}',
  '{"a":1}//',
  '\u0000',
  '['.repeat(100_000),
  '{"a":'.repeat(10_000),
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`, // valid JSON, nested 100,000 deep
  `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d]), // invalid UTF-8 in a string
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // UTF-8 BOM + {}
  Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), // UTF-16LE
];

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'text/html',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'application/geo+json',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/jsonp',
  'APPLICATION/JSON',
  'application/json;;',
  ';',
  'json',
  '*/*',
  ' ',
  'application/json, text/plain',
];

const RAW_PARAMS = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  '%00',
  '%2F',
  '..',
  '.',
  '%2e%2e',
  '%20',
  '%FF%FE',
];

const RAW_QUERIES = [
  '%',
  '%zz',
  'a=%E0%A4%A',
  'limit=%00',
  '&&&=',
  '=',
  '==',
  '?',
  'a[b][c]=1',
  '__proto__[admin]=1',
  'constructor[prototype][admin]=1',
  `x=${'y'.repeat(100_000)}`,
  Array.from({ length: 2_000 }, (_, i) => `p${i}=${i}`).join('&'),
  'limit=1&limit=2&limit=3',
  'f=json&f=xml',
  'bbox=1&bbox=2',
  ';limit=1',
];

const HEADERS: [string, string][] = [
  ['authorization', ''],
  ['authorization', 'Bearer'],
  ['authorization', 'Bearer '],
  ['authorization', 'Basic YWRtaW46YWRtaW4='],
  ['authorization', 'Bearer abc.def.ghi'],
  ['authorization', 'Bearer gwd_'],
  ['authorization', `Bearer gwd_${'A'.repeat(43)}`],
  ['authorization', `Bearer ${'x'.repeat(20_000)}`],
  ['authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.'],
  ['authorization', "Bearer ' OR 1=1 --"],
  ['authorization', 'bearer  a  b'],
  ['accept', 'application/xml'],
  ['accept', '*/*;q=0'],
  ['accept', 'text/html;q=x'],
  ['accept-version', '9.9.9'],
  ['content-encoding', 'gzip'],
  ['content-encoding', 'deflate'],
  ['content-encoding', 'br'],
  ['content-encoding', 'bogus'],
  ['content-length', '0'],
  ['content-length', '1'],
  ['content-length', '-1'],
  ['content-length', 'abc'],
  ['x-forwarded-for', 'x'.repeat(5_000)],
  ['x-forwarded-for', "1.1.1.1, ' OR 1=1 --, ::1"],
  ['x-forwarded-for', ', , ,'],
  ['x-forwarded-proto', 'javascript'],
  ['x-forwarded-host', '"><script>'],
  ['host', ''],
  ['host', '['],
  ['host', 'a'.repeat(5_000)],
  ['host', 'evil.example:99999'],
  ['user-agent', 'é'.repeat(3_000)],
  ['user-agent', "'; DROP TABLE audit_log; --"],
  ['origin', 'null'],
  ['origin', 'http://evil.example'],
  ['cookie', '__proto__=1; constructor=2'],
  ['x-http-method-override', 'DELETE'],
  ['idempotency-key', ''],
  ['idempotency-key', 'has spaces'],
  ['idempotency-key', 'k'.repeat(129)],
  ['idempotency-key', "' OR 1=1 --"],
];

/** The fields of an object schema (and of the example body), each with its path and schema. */
function bodyFields(
  schema: JsonSchema | undefined,
  example: unknown,
): { path: string[]; schema?: JsonSchema }[] {
  const fields = new Map<string, { path: string[]; schema?: JsonSchema }>();
  const visit = (s: JsonSchema | undefined, path: string[], depth: number) => {
    for (const [name, inner] of Object.entries(s?.properties ?? {})) {
      fields.set([...path, name].join('.'), { path: [...path, name], schema: inner });
      if (depth < 2) visit(inner, [...path, name], depth + 1);
    }
  };
  visit(schema, [], 0);
  if (example && typeof example === 'object') {
    for (const name of Object.keys(example)) if (!fields.has(name)) fields.set(name, { path: [name] });
  }
  return [...fields.values()];
}

/** One mutation for a route, over everything it takes. */
export function mutationArb(row: RouteRow, inputs: RouteInputs, example: Example): fc.Arbitrary<Mutation> {
  const takesBody = row.method !== 'GET';
  const options: { weight: number; arbitrary: fc.Arbitrary<Mutation> }[] = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<Mutation>) => options.push({ weight, arbitrary });

  if (takesBody) {
    const fields = bodyFields(inputs.body, example.body);
    if (fields.length) {
      const field = fc.constantFrom(...fields);
      add(
        10,
        field.chain((f) =>
          badValueFor(f.path.at(-1)!, f.schema).map((value): Mutation => ({
            kind: 'body-field',
            path: f.path,
            value,
          })),
        ),
      );
      add(
        2,
        fc
          .tuple(field, fc.constantFrom(...BAD_LITERALS))
          .map(([f, literal]) => ({ kind: 'body-literal', path: f.path, literal })),
      );
      add(
        3,
        field.map((f): Mutation => ({ kind: 'body-drop', path: f.path })),
      );
    }
    const extraKey = fc.oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'admin',
        'role',
        'scope',
        'id',
        '',
        ' ',
        '\u0000',
        '$where',
      ),
      oddString,
    );
    add(
      3,
      fc
        .tuple(extraKey, nastyValue)
        .map(([key, value]): Mutation => ({ kind: 'body-field', path: [key], value })),
    );
    add(
      2,
      structural.map((value): Mutation => ({ kind: 'body-replace', value })),
    );
    add(
      3,
      fc.constantFrom(...RAW_BODIES).map((text): Mutation => ({ kind: 'body-raw', text })),
    );
    add(
      1,
      fc.nat().map((n): Mutation => {
        // the example's JSON cut short, or with one character changed
        const json = JSON.stringify(example.body ?? {});
        const at = n % Math.max(json.length, 1);
        return n % 2
          ? { kind: 'body-raw', text: json.slice(0, at) }
          : { kind: 'body-raw', text: `${json.slice(0, at)}${'"{}[],:\\'[n % 8]}${json.slice(at + 1)}` };
      }),
    );
    add(
      3,
      fc
        .constantFrom<string | null>(...CONTENT_TYPES, null)
        .map((value): Mutation => ({ kind: 'content-type', value })),
    );
    add(
      1,
      fc.integer({ min: 1, max: 100_000 }).map((extra): Mutation => ({ kind: 'oversize', extra })),
    );
  }

  if (takesBody && example.files?.length) {
    const index = fc.nat({ max: example.files.length - 1 });
    const fieldNames = Object.keys((example.body ?? {}) as object);
    add(
      8,
      fc
        .tuple(index, fc.constantFrom(...BAD_FILE_SAMPLES))
        .map(([i, sample]): Mutation => ({ kind: 'file-content', index: i, sample })),
    );
    add(
      2,
      fc
        .tuple(index, fc.constantFrom(...ODD_FILENAMES), fc.constantFrom(...ODD_FILE_TYPES))
        .map(([i, filename, contentType]): Mutation => ({
          kind: 'file-meta',
          index: i,
          filename,
          contentType,
        })),
    );
    add(
      2,
      fc
        .tuple(
          index,
          fc.constantFrom('category', 'photo', 'photos[]', '', '__proto__', 'file', ...fieldNames),
        )
        .map(([i, field]): Mutation => ({ kind: 'file-field', index: i, field })),
    );
    add(
      1,
      fc
        .tuple(index, fc.integer({ min: 1, max: 100_000 }))
        .map(([i, extra]): Mutation => ({ kind: 'file-oversize', index: i, extra })),
    );
    add(
      2,
      fc
        .constantFrom(0, UPLOADS.HAZARD_PHOTOS_MAX + 1, UPLOADS.HAZARD_PHOTOS_MAX + 5)
        .map((count): Mutation => ({ kind: 'file-copies', count })),
    );
    if (fieldNames.length) {
      add(
        2,
        fc.constantFrom(...fieldNames).map((name): Mutation => ({ kind: 'field-as-file', name })),
      );
      add(
        2,
        fc.constantFrom(...fieldNames).map((name): Mutation => ({ kind: 'field-twice', name })),
      );
    }
    add(
      3,
      fc
        .constantFrom(...RAW_FORMS)
        .map(([body, contentType]): Mutation => ({ kind: 'multipart-raw', body, contentType })),
    );
    add(3, fc.constant<Mutation>({ kind: 'as-json' }));
  }

  const queryNames = Object.keys(inputs.query);
  const queryName = fc.oneof(
    ...(queryNames.length ? [fc.constantFrom(...queryNames)] : []),
    fc.constantFrom('unknown', 'limit', 'offset', 'f', '__proto__', 'filter', 'sort'),
  );
  add(
    queryNames.length ? 8 : 2,
    queryName.chain((name) =>
      fc
        .oneof(
          { weight: 4, arbitrary: badValueFor(name, inputs.query[name]).map((v) => [stringOf(v)]) },
          {
            weight: 1,
            arbitrary: fc.array(badValueFor(name, inputs.query[name]).map(stringOf), {
              minLength: 2,
              maxLength: 4,
            }),
          },
        )
        .map((values): Mutation => ({ kind: 'query', name, values })),
    ),
  );
  add(
    2,
    fc.constantFrom(...RAW_QUERIES).map((text): Mutation => ({ kind: 'query-raw', text })),
  );

  const paramNames = [...row.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  if (paramNames.length) {
    const name = fc.constantFrom(...paramNames);
    add(
      8,
      name.chain((n) =>
        badValueFor(n, inputs.params[n]).map((v): Mutation => ({
          kind: 'param',
          name: n,
          value: stringOf(v),
          raw: false,
        })),
      ),
    );
    add(
      2,
      fc
        .tuple(name, fc.constantFrom(...RAW_PARAMS))
        .map(([n, value]): Mutation => ({ kind: 'param', name: n, value, raw: true })),
    );
  }

  add(
    3,
    fc.constantFrom(...HEADERS).map(([name, value]): Mutation => ({ kind: 'header', name, value })),
  );
  return fc.oneof(...options);
}

/** A bad request: one to three mutations of the route's example. */
export function badRequestArb(
  row: RouteRow,
  inputs: RouteInputs,
  example: Example,
): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArb(row, inputs, example), { minLength: 1, maxLength: 3 });
}

function stringOf(raw: unknown): string {
  const value = unwrap(raw);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Percent-encodes any JS string; lone surrogates become their (invalid) three UTF-8-style bytes. */
export function encodeAny(value: string): string {
  if (!/[\uD800-\uDFFF]/.test(value) || !LONE_SURROGATE.test(value)) return encodeURIComponent(value);
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    const isHigh = c >= 0xd800 && c <= 0xdbff;
    const next = value.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i += 1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(value[i]!);
    }
  }
  return out;
}

function setPath(target: unknown, path: string[], value: unknown, drop: boolean): unknown {
  const root: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  let node = root;
  for (const key of path.slice(0, -1)) {
    const inner = node[key];
    const copy: Record<string, unknown> =
      inner && typeof inner === 'object' && !Array.isArray(inner) ? { ...(inner as object) } : {};
    Object.defineProperty(node, key, { value: copy, enumerable: true, writable: true, configurable: true });
    node = copy;
  }
  const last = path.at(-1)!;
  if (drop) delete node[last];
  // defineProperty, so that a key named __proto__ becomes an own property sent in the JSON
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

/** Stands in for a bad literal until the body is serialised. */
const LITERAL_MARK = '__harness_literal__';

/** A form from a (mutated) body: each field as text (JSON for non-strings), some sent as files or twice. */
function multipartForm(
  body: Record<string, unknown>,
  files: FormFile[],
  literal: string | undefined,
  asFiles: Set<string>,
  twice: Set<string>,
): { payload: Buffer; contentType: string } {
  const fields: [string, string][] = [];
  const parts = [...files];
  for (const [name, raw] of Object.entries(body)) {
    const value = unwrap(raw);
    let text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    if (literal !== undefined)
      text = text === LITERAL_MARK ? literal : text.replace(`"${LITERAL_MARK}"`, literal);
    if (asFiles.has(name))
      parts.push({
        field: name,
        filename: `${name}.txt`,
        contentType: 'text/plain',
        content: Buffer.from(text),
      });
    else fields.push([name, text], ...(twice.has(name) ? [[name, text] as [string, string]] : []));
  }
  return multipartBody(fields, parts);
}

/** The inject options for an example with mutations applied. */
export function buildBadRequest(
  row: RouteRow,
  example: Example,
  mutations: Mutation[],
  headers: Record<string, string>,
): InjectOptions {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(example.params ?? {})) params[k] = encodeAny(String(v));
  const query: [string, string][] = Object.entries(example.query ?? {}).map(([k, v]) => [
    encodeAny(k),
    encodeAny(String(v)),
  ]);
  const rawQuery: string[] = [];
  let body: unknown = example.body;
  let literal: string | undefined;
  let raw: string | Buffer | undefined = example.raw?.text;
  let contentType: string | null | undefined;
  const extraHeaders: Record<string, string> = {};
  let files = example.files?.map((f) => ({ ...f }));
  let asJson = false;
  let rawForm: { body: string; contentType: string } | undefined;
  const fieldFiles = new Set<string>();
  const twice = new Set<string>();

  for (const m of mutations) {
    switch (m.kind) {
      case 'body-field':
        body = setPath(body, m.path, m.value, false);
        break;
      case 'body-literal':
        body = setPath(body, m.path, LITERAL_MARK, false);
        literal = m.literal;
        break;
      case 'body-drop':
        body = setPath(body, m.path, undefined, true);
        break;
      case 'body-replace':
        body = m.value;
        break;
      case 'body-raw':
        raw = m.text;
        break;
      case 'content-type':
        contentType = m.value;
        break;
      case 'oversize':
        raw = `{"pad":"${'x'.repeat(BODY_LIMIT + m.extra)}"}`;
        break;
      case 'query': {
        const name = encodeAny(m.name);
        for (let i = query.length - 1; i >= 0; i -= 1) if (query[i]![0] === name) query.splice(i, 1);
        for (const v of m.values) query.push([name, encodeAny(v)]);
        break;
      }
      case 'query-raw':
        rawQuery.push(m.text);
        break;
      case 'param':
        params[m.name] = m.raw ? m.value : encodeAny(m.value);
        break;
      case 'header':
        extraHeaders[m.name] = m.value;
        break;
      case 'file-content':
        if (files?.[m.index]) files[m.index]!.content = badFileContent(m.sample, files[m.index]!.content);
        break;
      case 'file-meta':
        if (files?.[m.index])
          Object.assign(files[m.index]!, { filename: m.filename, contentType: m.contentType });
        break;
      case 'file-field':
        if (files?.[m.index]) files[m.index]!.field = m.field;
        break;
      case 'file-oversize':
        if (files?.[m.index]) {
          const f = files[m.index]!;
          const size = UPLOADS.HAZARD_PHOTO_MAX_BYTES + m.extra;
          f.content = Buffer.concat([f.content, Buffer.alloc(Math.max(0, size - f.content.length), 0x20)]);
        }
        break;
      case 'file-copies':
        if (files?.length)
          files = Array.from({ length: m.count }, (_, i) => ({ ...files![i % files!.length]! }));
        break;
      case 'field-as-file':
        fieldFiles.add(m.name);
        break;
      case 'field-twice':
        twice.add(m.name);
        break;
      case 'multipart-raw':
        rawForm = { body: m.body, contentType: m.contentType };
        break;
      case 'as-json':
        asJson = true;
        break;
    }
  }

  const path = row.url.replace(/:([A-Za-z]+)/g, (_, name: string) => params[name] ?? '');
  const search = [...query.map(([k, v]) => `${k}=${v}`), ...rawQuery].join('&');
  let payload: string | Buffer | undefined = raw;
  let payloadType = example.raw?.contentType ?? 'application/json';
  const plainBody = body !== null && typeof body === 'object' && !Array.isArray(body);
  if (payload === undefined && files && !asJson && row.method !== 'GET' && (plainBody || rawForm)) {
    if (rawForm) {
      payload = Buffer.from(rawForm.body, 'latin1');
      payloadType = rawForm.contentType;
    } else {
      const form = multipartForm(body as Record<string, unknown>, files, literal, fieldFiles, twice);
      payload = form.payload;
      payloadType = form.contentType;
    }
  }
  if (payload === undefined && body !== undefined && row.method !== 'GET') {
    payload = JSON.stringify(body);
    if (literal !== undefined) payload = payload.replace(`"${LITERAL_MARK}"`, literal);
  }
  const allHeaders: Record<string, string> = { ...headers };
  if (payload !== undefined) allHeaders['content-type'] = payloadType;
  if (contentType === null) delete allHeaders['content-type'];
  else if (contentType !== undefined) allHeaders['content-type'] = contentType;
  Object.assign(allHeaders, extraHeaders);
  return {
    method: row.method,
    url: search ? `${path}?${search}` : path,
    headers: allHeaders,
    ...(payload !== undefined ? { payload } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Checks on each answer
// ---------------------------------------------------------------------------------------------------

/** Where a 4xx may point: an input (`body.name`, `query.limit`, `params.id`, `headers.authorization`), the URL, or the client address (rate limits). */
export const FIELD_PATTERN = /^(?:(?:body|query|params|headers)(?:\..+)?|url|ip)$/s;
const ERROR_KEYS = new Set(['statusCode', 'error', 'message', 'field']);
/** Keys some errors add: a file import's bad rows (`errors`, each naming its row and column). */
const ERROR_DETAIL_KEYS = new Set(['errors']);

/** What is wrong with an answer, or undefined: no 5xx, and every 4xx is `{ statusCode, error, message, field }`. */
export function answerProblem(res: LightMyRequestResponse): string | undefined {
  const status = res.statusCode;
  if (status >= 500) return `answered ${status}: ${res.body.slice(0, 300)}`;
  if (status < 400) return status >= 200 && status < 300 ? undefined : `answered ${status}`;
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json'))
    return `${status} is not JSON (${String(res.headers['content-type'])}): ${res.body.slice(0, 200)}`;
  let body: Record<string, unknown>;
  try {
    body = res.json();
  } catch {
    return `${status} body does not parse: ${res.body.slice(0, 200)}`;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return `${status} body is not an object`;
  const extra = Object.keys(body).filter(
    (k) => !ERROR_KEYS.has(k) && !(ERROR_DETAIL_KEYS.has(k) && Array.isArray(body[k])),
  );
  if (extra.length)
    return `${status} body has keys outside the error shape: ${extra.join(', ')} (${res.body.slice(0, 200)})`;
  if (body.statusCode !== status) return `${status} body says statusCode ${String(body.statusCode)}`;
  if (typeof body.error !== 'string' || !body.error)
    return `${status} body has no error: ${res.body.slice(0, 200)}`;
  if (typeof body.message !== 'string' || !body.message) return `${status} body has no message`;
  if (typeof body.field !== 'string' || !FIELD_PATTERN.test(body.field))
    return `${status} names no input: field ${JSON.stringify(body.field)} (${res.body.slice(0, 200)})`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Nothing partially written: the tables a request may touch, before and after
// ---------------------------------------------------------------------------------------------------

export interface WriteState {
  users: number;
  hazards: number;
  hazardPhotos: number;
  /** rows of the hazards' timelines, and the sum of their versions (every step moves one) */
  hazardSteps: number;
  hazardVersions: number;
  enterprises: number;
  enterpriseBoards: number;
  /** the newest board check time and inspection count: a board check or inspection moves them */
  boardChecks: string;
  inspections: number;
  idempotencyKeys: number;
  /** username → [failed_logins, locked] */
  logins: Record<string, [number, boolean]>;
  refreshTokens: number;
  revokedRefreshTokens: number;
  devices: number;
  revokedDevices: number;
  /** station code → status */
  stations: Record<string, string>;
  /** the newest row version in grid: any committed change to a grid moves it */
  gridVersion: string;
  patrolSessions: number;
  patrolFixes: number;
  dispatches: number;
  openDispatches: number;
  rollcalls: number;
  /** the stations' video stream addresses, by code */
  streams: Record<string, string>;
  auditRows: number;
  auditMax: number;
}

export interface AuditRow {
  action: string;
  target: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The state, and the audit rows written after audit row `auditsAfter` (one query: it runs around every write). */
export async function writeState(
  db: TestDatabase,
  auditsAfter = Number.MAX_SAFE_INTEGER,
): Promise<{ state: WriteState; audits: AuditRow[] }> {
  const { rows } = await db.pool.query<WriteState & { audits: AuditRow[] }>(
    `SELECT
      (SELECT count(*)::int FROM app_user) AS users,
      (SELECT count(*)::int FROM hazard) AS hazards,
      (SELECT count(*)::int FROM hazard_photo) AS "hazardPhotos",
      (SELECT count(*)::int FROM hazard_step) AS "hazardSteps",
      (SELECT coalesce(sum(version), 0)::int FROM hazard) AS "hazardVersions",
      (SELECT count(*)::int FROM enterprise) AS enterprises,
      (SELECT count(*)::int FROM responsibility_board) AS "enterpriseBoards",
      (SELECT coalesce(max(checked_at)::text, '') FROM responsibility_board) AS "boardChecks",
      (SELECT count(*)::int FROM enterprise_inspection) AS inspections,
      (SELECT count(*)::int FROM idempotency_key) AS "idempotencyKeys",
      (SELECT jsonb_object_agg(username, jsonb_build_array(failed_logins, locked_until IS NOT NULL)) FROM app_user) AS logins,
      (SELECT count(*)::int FROM refresh_token) AS "refreshTokens",
      (SELECT count(*)::int FROM refresh_token WHERE revoked_at IS NOT NULL) AS "revokedRefreshTokens",
      (SELECT count(*)::int FROM device_token) AS devices,
      (SELECT count(*)::int FROM device_token WHERE revoked_at IS NOT NULL) AS "revokedDevices",
      (SELECT jsonb_object_agg(code, status) FROM fire_station) AS stations,
      (SELECT max(xmin::text::bigint)::text FROM grid) AS "gridVersion",
      (SELECT count(*)::int FROM patrol_session) AS "patrolSessions",
      (SELECT count(*)::int FROM patrol_position) AS "patrolFixes",
      (SELECT count(*)::int FROM dispatch) AS dispatches,
      (SELECT count(*)::int FROM dispatch WHERE status = 'open') AS "openDispatches",
      (SELECT count(*)::int FROM rollcall_result) AS rollcalls,
      (SELECT coalesce(jsonb_object_agg(code, stream_url) FILTER (WHERE stream_url IS NOT NULL), '{}'::jsonb)
         FROM fire_station) AS streams,
      (SELECT count(*)::int FROM audit_log) AS "auditRows",
      (SELECT coalesce(max(id), 0)::int FROM audit_log) AS "auditMax",
      (SELECT coalesce(jsonb_agg(jsonb_build_object('action', action, 'target', target, 'before', before,
                'after', after) ORDER BY id), '[]'::jsonb)
         FROM audit_log WHERE id > $1) AS audits`,
    [auditsAfter],
  );
  const { audits, ...state } = rows[0]!;
  return { state, audits };
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);

/**
 * What each audited action changes. Every write of the product is audited, so the state after a request
 * is the state before with its audit rows applied; anything else that changed was written without a
 * record (or partially). A new audited action gets one entry here.
 */
export const AUDIT_EFFECTS: Record<string, (s: WriteState, row: AuditRow) => void> = {
  'auth.login': (s, r) => {
    s.refreshTokens += 1;
    s.logins[r.target!] = [0, false];
  },
  'auth.login_failed': (s, r) => {
    // an existing account (the audit records its counter); unknown names change nothing
    if (r.before) s.logins[r.target!] = [num(r.after?.failedLogins), r.after?.lockedUntil != null];
  },
  'auth.login_locked': () => {},
  // a display's sign-in opens a session like a password's (its token's last use is stamped, as a handheld's)
  'auth.display_login': (s) => {
    s.refreshTokens += 1;
  },
  'auth.refresh': (s) => {
    s.refreshTokens += 1;
    s.revokedRefreshTokens += 1;
  },
  'auth.refresh_reuse': (s, r) => {
    s.revokedRefreshTokens += num(r.after?.revokedSessions);
  },
  'auth.logout': (s, r) => {
    s.revokedRefreshTokens += num(r.after?.revokedSessions);
  },
  'device.issue': (s) => {
    s.devices += 1;
  },
  'device.revoke': (s, r) => {
    if (r.before?.revokedAt == null) s.revokedDevices += 1;
  },
  'user.create': (s, r) => {
    s.users += 1;
    s.logins[String(r.after?.username)] = [0, false];
  },
  'rollcall.record': (s) => {
    s.rollcalls += 1;
  },
  'dispatch.create': (s, r) => {
    s.dispatches += 1;
    s.openDispatches += 1;
    for (const code of (r.after?.stations as string[] | undefined) ?? []) s.stations[code] = 'busy';
  },
  'dispatch.close': (s, r) => {
    s.openDispatches -= 1;
    for (const code of (r.after?.freed as string[] | undefined) ?? []) s.stations[code] = 'available';
  },
  'station.stream': (s, r) => {
    const code = r.target!.replace(/^station:/, '');
    if (typeof r.after?.url === 'string') s.streams[code] = r.after.url;
    else delete s.streams[code];
  },
  'station.status': (s, r) => {
    s.stations[r.target!.replace(/^station:/, '')] = String(r.after?.status);
  },
  'grid.geometry': () => {},
  // ending a session adds no row (the idle sweep may end others at any time: their state is not compared)
  'patrol.end': () => {},
  'hazard.report': (s, r) => {
    s.hazards += 1;
    s.hazardPhotos += num(r.after?.photos);
    s.hazardSteps += 1;
    s.hazardVersions += 1;
    if (r.after?.idempotencyKey != null) s.idempotencyKeys += 1;
  },
  'enterprise.import': (s, r) => {
    s.enterprises += num(r.after?.created);
    s.enterpriseBoards += num(r.after?.boardsCreated);
  },
  'enterprise.board': (s, r) => {
    if (r.before === null) s.enterpriseBoards += 1;
  },
  'enterprise.board_check': () => {},
  'enterprise.inspect': (s) => {
    s.inspections += 1;
  },
  // each step of the loop appends one timeline row and moves the hazard's version once
  ...Object.fromEntries(
    HAZARD_ACTIONS.map((action) => [
      `hazard.${action}`,
      (s: WriteState) => {
        s.hazardSteps += 1;
        s.hazardVersions += 1;
      },
    ]),
  ),
};

/**
 * Compares the state after one request with the state before plus what its audit rows account for.
 * Returns the problem, or undefined. `allowed` are the actions this answer may have written.
 */
export function writeProblem(
  before: WriteState,
  after: WriteState,
  audits: AuditRow[],
  allowed: string[],
): string | undefined {
  const unexpected = audits.filter((a) => !allowed.includes(a.action));
  if (unexpected.length)
    return `wrote audit rows ${unexpected.map((a) => a.action).join(', ')} (allowed: ${allowed.join(', ') || 'none'})`;
  if (audits.length > 1) return `wrote ${audits.length} audit rows for one request`;
  const expected: WriteState = structuredClone(before);
  for (const a of audits) {
    const effect = AUDIT_EFFECTS[a.action];
    if (!effect) return `the harness does not know what ${a.action} changes: add it to AUDIT_EFFECTS`;
    effect(expected, a);
  }
  expected.auditRows += audits.length;
  expected.auditMax = after.auditMax;
  if (audits.some((a) => a.action === 'grid.geometry')) expected.gridVersion = after.gridVersion;
  // posting, checking or importing a board stamps its check time
  if (
    audits.some((a) => ['enterprise.board', 'enterprise.board_check', 'enterprise.import'].includes(a.action))
  ) {
    expected.boardChecks = after.boardChecks;
  }
  const differs = (Object.keys(expected) as (keyof WriteState)[]).filter(
    (k) => JSON.stringify(sortKeys(expected[k])) !== JSON.stringify(sortKeys(after[k])),
  );
  if (!differs.length) return undefined;
  return differs
    .map((k) => `${k}: expected ${brief(expected[k], after[k])} but found ${brief(after[k], expected[k])}`)
    .join('; ');
}

function sortKeys(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
}

/** The state before an accepted telemetry request, with the fixes and sessions it stored taken as expected. */
export function withTelemetry(before: WriteState, after: WriteState): WriteState {
  return { ...before, patrolSessions: after.patrolSessions, patrolFixes: after.patrolFixes };
}

/** For maps, only the entries that differ. */
function brief(v: unknown, other: unknown): string {
  if (v && typeof v === 'object' && !Array.isArray(v) && other && typeof other === 'object') {
    const o = other as Record<string, unknown>;
    const diff = Object.entries(v).filter(([k, x]) => JSON.stringify(x) !== JSON.stringify(o[k]));
    return JSON.stringify(Object.fromEntries(diff));
  }
  return JSON.stringify(v);
}

/** A readable one-line account of a request, for failure messages. */
export function describeRequest(req: InjectOptions): string {
  const payload = req.payload;
  const text = Buffer.isBuffer(payload)
    ? `<${payload.length} bytes>`
    : typeof payload === 'string'
      ? payload
      : '';
  const headers = { ...(req.headers as Record<string, string>) };
  if (headers.authorization && headers.authorization.length > 40)
    headers.authorization = `${headers.authorization.slice(0, 40)}…`;
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  return `${String(req.method)} ${cut(String(req.url))} headers=${cut(JSON.stringify(headers))} body=${cut(JSON.stringify(text))}`;
}
