/**
 * Who may call what, where: every route in ROUTES × every caller (the eight role accounts, nobody, a
 * garbage, forged or expired token, a revoked device token, a live device token) × the area the target
 * lies in, each with the status it must answer. A route's rules are one entry in ACCESS; the cases are
 * derived from it, so a new route joins with that entry (the coverage test fails until it has one).
 *
 * Scope: rows outside the caller's area do not exist for it (404, the same as a missing row), while a
 * role that may not act at all is told so (403). Targets are picked in the demo accounts' areas: the
 * first village, its town outside that village, the county outside that town.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/src/auth.ts';
import { COLLECTION_IDS, type CollectionId } from '../../shared/src/schemas/features.ts';
import {
  ENTERPRISE_EDIT_ROLES,
  ENTERPRISE_IMPORT_ROLES,
  ENTERPRISE_INSPECT_ROLES,
} from '../../server/src/modules/enterprises/routes.ts';
import { DISPATCH_RECORD_ROLES, DISPATCH_ROLES } from '../../server/src/modules/dispatch/routes.ts';
import { GRID_EDIT_ROLES } from '../../server/src/modules/grids/routes.ts';
import {
  HAZARD_ACTION_ROLES,
  HAZARD_ASSIGNER_ROLES,
  HAZARD_REPORT_ROLES,
} from '../../server/src/modules/hazards/routes.ts';
import { STATION_STATUS_ROLES, STATION_STREAM_ROLES } from '../../server/src/modules/stations/routes.ts';
import { PATROL_END_ROLES } from '../../server/src/modules/patrol/service.ts';
import { ROLLCALL_ROLES } from '../../server/src/modules/rollcall/routes.ts';
import { buildTestApp } from '../support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../support/databases.ts';
import {
  ROUTES,
  answerProblem,
  exampleRequest,
  exampleRole,
  prepareFixtures,
  roleSees,
  routeId,
  type Example,
  type Fixtures,
  type Level,
  type RouteRow,
} from './bad-input.ts';

// ---------------------------------------------------------------------------------------------------
// Callers
// ---------------------------------------------------------------------------------------------------

type Stranger = 'anonymous' | 'garbage token' | 'forged token' | 'expired token' | 'revoked device token';
type Caller =
  | { kind: 'role'; name: Role }
  | { kind: 'device'; name: 'device token' }
  | { kind: 'stranger'; name: Stranger };

const CALLERS: Caller[] = [
  ...ROLES.map((name): Caller => ({ kind: 'role', name })),
  { kind: 'device', name: 'device token' },
  ...(['anonymous', 'garbage token', 'forged token', 'expired token', 'revoked device token'] as const).map(
    (name): Caller => ({ kind: 'stranger', name }),
  ),
];

/** An HS256 JWT with the claims the server signs (sub, usr, role, scope, dept). */
function hs256(claims: Record<string, unknown>, secret: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

async function callerHeaders(
  caller: Caller,
  fx: Fixtures,
  db: TestDatabase,
): Promise<Record<string, string>> {
  if (caller.kind === 'role') return { authorization: await fx.bearer(caller.name) };
  if (caller.kind === 'device') return { authorization: await fx.deviceBearer() };
  const admin = (
    await db.pool.query<{ id: string }>(`SELECT id::text FROM app_user WHERE username = 'admin'`)
  ).rows[0]!.id;
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: admin, usr: 'admin', role: 'admin', scope: fx.scope.county, dept: null };
  switch (caller.name) {
    case 'anonymous':
      return {};
    case 'garbage token':
      return { authorization: 'Bearer abc.def.ghi' };
    case 'forged token':
      // an admin's claims signed with a key that is not the server's
      return {
        authorization: `Bearer ${hs256({ ...claims, iat: now, exp: now + 600 }, 'not-the-server-key')}`,
      };
    case 'expired token': {
      const secret = (
        await db.pool.query<{ value: string }>(`SELECT value FROM server_secret WHERE name = 'jwt'`)
      ).rows[0]!.value;
      return { authorization: `Bearer ${hs256({ ...claims, iat: now - 3600, exp: now - 1800 }, secret)}` };
    }
    case 'revoked device token': {
      const device = await fx.device('village_officer');
      const revoked = await fx.app.inject({
        method: 'DELETE',
        url: `/api/devices/${device.id}`,
        headers: { authorization: await fx.bearer('village_officer') },
      });
      if (revoked.statusCode !== 200) throw new Error(`revoking a device: ${revoked.body}`);
      return { authorization: `Bearer ${device.token}` };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Who may call each route, and where
// ---------------------------------------------------------------------------------------------------

/**
 * `public`: anyone; `device`: device tokens only; `signed-in`: any role; the roles listed; or those roles
 * signed in and device tokens of their accounts (the harness's device belongs to the village officer).
 */
type Allow = 'public' | 'device' | 'signed-in' | readonly Role[] | { roles: readonly Role[]; devices: true };

interface Target {
  name: string;
  /** whether a role's area holds the target (404 where it does not) */
  visibleTo: (role: Role) => boolean;
  /** the part of the example that points at the target; undefined when the demo data has none */
  example: (fx: Fixtures, role: Role) => Example | undefined | Promise<Example | undefined>;
}

interface Access {
  allow: Allow;
  ok: 200 | 201;
  targets?: Target[];
  /**
   * The route's own rules beyond the role list, for a caller the roles let through and that sees the
   * target: true when they refuse it (403 naming `body.action`, e.g. a step of the hazard loop that the
   * role may not take at the case's level).
   */
  refuses?: (role: Role) => boolean;
}

const AREA: Record<Level, string> = {
  village: 'in the first village',
  town: 'in the first town, outside that village',
  county: 'outside the first town',
};

/** One target per demo area, visible to the roles whose area contains it. */
const areaTargets = (noun: string, at: (fx: Fixtures, level: Level) => Example | undefined): Target[] =>
  (['village', 'town', 'county'] as const).map((level) => ({
    name: `${noun} ${AREA[level]}`,
    visibleTo: (role) => roleSees(role, level),
    example: (fx) => at(fx, level),
  }));

/** A station in each area, for the station routes. */
const stationTargets = areaTargets('a station', (fx, level) => {
  const code = fx.stations[level];
  return code ? { params: { code } } : undefined;
});

/** Hazards: as areaTargets, but a department handler sees only cases escalated to its department (none here). */
const hazardTargets = (noun: string, at: (fx: Fixtures, level: Level) => Example | undefined): Target[] =>
  areaTargets(noun, at).map((t) => ({
    ...t,
    visibleTo: (role) => role !== 'department_handler' && t.visibleTo(role),
  }));

const signedIn: Access = { allow: 'signed-in', ok: 200 };
/** The role of the account the harness's device token belongs to (Fixtures.deviceBearer). */
const DEVICE_OWNER: Role = 'village_officer';

const collectionAccess = (id: CollectionId): Record<string, Access> => ({
  [`GET /ogc/collections/${id}`]: signedIn,
  [`GET /ogc/collections/${id}/items`]: signedIn,
  [`GET /ogc/collections/${id}/items/:featureId`]: {
    ...signedIn,
    targets: areaTargets(`a feature`, (fx, level) => {
      const featureId = fx.features[id][level];
      return featureId ? { params: { featureId } } : undefined;
    }),
  },
});

const enterpriseTargets = areaTargets('an enterprise', (fx, level) => {
  const code = fx.features.enterprises[level];
  return code ? { params: { code } } : undefined;
});

/** One entry per route in ROUTES. */
const ACCESS: Record<string, Access> = {
  'GET /api/health': { allow: 'public', ok: 200 },
  'POST /api/auth/login': { allow: 'public', ok: 200 },
  'POST /api/auth/refresh': { allow: 'public', ok: 200 },
  'POST /api/auth/display': { allow: 'public', ok: 200 },
  'POST /api/auth/logout': signedIn,
  'GET /api/auth/me': signedIn,
  'GET /api/devices': signedIn,
  'POST /api/devices': { allow: 'signed-in', ok: 201 },
  'DELETE /api/devices/:id': {
    ...signedIn,
    targets: [
      {
        name: 'its own device',
        visibleTo: () => true,
        example: async (fx, role) => ({ params: { id: (await fx.device(role)).id } }),
      },
      {
        // an administrator manages the devices of its area; anyone else sees only their own
        name: "another user's device",
        visibleTo: (role) => role === 'admin',
        example: async (fx) => ({ params: { id: (await fx.device(fx.loginAccount)).id } }),
      },
    ],
  },
  'GET /api/device/me': { allow: 'device', ok: 200 },
  'GET /api/users': { allow: ['admin'], ok: 200 },
  'POST /api/users': { allow: ['admin'], ok: 201 },
  'PATCH /api/stations/:code/status': {
    allow: STATION_STATUS_ROLES,
    ok: 200,
    targets: stationTargets,
  },
  'PUT /api/stations/:code/stream': {
    allow: STATION_STREAM_ROLES,
    ok: 200,
    targets: stationTargets,
  },
  'GET /api/live/snapshot': {
    ...signedIn,
    targets: areaTargets('the snapshot of an area', (fx, level) => ({ query: { area: fx.scope[level] } })),
  },
  'PUT /api/grids/:code/geometry': {
    allow: GRID_EDIT_ROLES,
    ok: 200,
    targets: areaTargets('a unit grid', (fx, level) => {
      const grid = fx.unitGrids[level];
      return grid
        ? {
            params: { code: grid.code },
            body: { crs: 'wgs84', geometry: { type: 'Polygon', coordinates: grid.square } },
          }
        : undefined;
    }),
  },
  'GET /api/water-sources/:code/pressure': {
    ...signedIn,
    targets: areaTargets('a water source', (fx, level) => {
      const code = fx.features['water-sources'][level];
      return code ? { params: { code } } : undefined;
    }),
  },
  'POST /api/hazards': { allow: { roles: HAZARD_REPORT_ROLES, devices: true }, ok: 201 },
  'POST /api/hazards/:id/actions': {
    allow: { roles: HAZARD_ACTION_ROLES, devices: true },
    ok: 200,
    // a new report sits at the village level: only its village officer (or an administrator) classifies it
    targets: (['village', 'town', 'county'] as const).map((level) => ({
      name: `a new report ${AREA[level]}`,
      // a department handler sees only cases escalated to its department
      visibleTo: (role) => role !== 'department_handler' && roleSees(role, level),
      example: async (fx) => ({ params: { id: await fx.newHazard(level) } }),
    })),
    refuses: (role) => role !== 'village_officer' && role !== 'admin',
  },
  'GET /api/hazards': signedIn,
  'GET /api/hazards/stats': signedIn,
  'GET /api/hazards/:id/assignees': {
    allow: HAZARD_ASSIGNER_ROLES,
    ok: 200,
    targets: hazardTargets('the grid members of a hazard', (fx, level) => {
      const id = fx.hazards[level];
      return id ? { params: { id } } : undefined;
    }),
  },
  'GET /api/hazards/:id': {
    ...signedIn,
    targets: hazardTargets('a hazard', (fx, level) => {
      const id = fx.hazards[level];
      return id ? { params: { id } } : undefined;
    }),
  },
  ...Object.fromEntries(
    ['/api/hazards/:id/photos/:n', '/api/hazards/:id/photos/:n/thumbnail'].map((url) => [
      `GET ${url}`,
      {
        ...signedIn,
        targets: hazardTargets("a hazard's photo", (fx, level) => {
          const id = fx.hazards[level];
          return id ? { params: { id, n: 1 } } : undefined;
        }),
      },
    ]),
  ),
  'GET /api/enterprises': signedIn,
  'GET /api/enterprises.csv': signedIn,
  'POST /api/enterprises/import': { allow: ENTERPRISE_IMPORT_ROLES, ok: 200 },
  'GET /api/enterprises/:code': { ...signedIn, targets: enterpriseTargets },
  'PUT /api/enterprises/:code/board': { allow: ENTERPRISE_EDIT_ROLES, ok: 200, targets: enterpriseTargets },
  'POST /api/enterprises/:code/board/check': {
    allow: ENTERPRISE_EDIT_ROLES,
    ok: 200,
    targets: (['village', 'town', 'county'] as const).map((level) => ({
      name: `an enterprise's posted board ${AREA[level]}`,
      visibleTo: (role) => roleSees(role, level),
      example: async (fx) => {
        const code = fx.features.enterprises[level];
        if (!code) return undefined;
        await fx.postBoard(code);
        return { params: { code } };
      },
    })),
  },
  'POST /api/enterprises/:code/inspections': {
    allow: ENTERPRISE_INSPECT_ROLES,
    ok: 201,
    targets: enterpriseTargets,
  },
  'GET /api/dispatch/nearest': {
    allow: DISPATCH_ROLES,
    ok: 200,
    targets: areaTargets('an incident', (fx, level) => ({ query: { ...fx.incidentSpots[level] } })),
  },
  'POST /api/dispatches': {
    allow: DISPATCH_RECORD_ROLES,
    ok: 201,
    targets: (['village', 'town', 'county'] as const).map((level) => ({
      name: `an incident ${AREA[level]}`,
      visibleTo: (role) => roleSees(role, level),
      example: async (fx) => ({
        body: { ...fx.incidentSpots[level], stations: [await fx.freeStation(fx.incidentSpots[level])] },
      }),
    })),
  },
  'POST /api/dispatches/:id/close': {
    allow: DISPATCH_RECORD_ROLES,
    ok: 200,
    targets: (['village', 'town', 'county'] as const).map((level) => ({
      name: `a dispatch ${AREA[level]}`,
      visibleTo: (role) => roleSees(role, level),
      example: async (fx) => ({ params: { id: await fx.openDispatch(level) }, body: {} }),
    })),
  },
  'GET /api/dispatches': { allow: DISPATCH_ROLES, ok: 200 },
  'GET /api/coverage/live': signedIn,
  'GET /api/coverage/reach': signedIn,
  'GET /api/coverage/gaps': signedIn,
  'GET /api/coverage/gaps.csv': signedIn,
  'GET /api/coverage/gaps.geojson': signedIn,
  'GET /api/coverage/districts': signedIn,
  'GET /api/coverage/hydrants': signedIn,
  'POST /api/coverage/siting': signedIn,
  'POST /api/coverage/what-if': signedIn,
  'GET /api/coverage/hazards': signedIn,
  'GET /api/coverage/report.html': signedIn,
  'GET /api/coverage/hazards/:id': {
    ...signedIn,
    targets: hazardTargets('an open hazard', (fx, level) => {
      const id = fx.hazards[level];
      return id ? { params: { id } } : undefined;
    }),
  },
  'GET /metrics': { allow: ['admin'], ok: 200 },
  // the tracker id authenticates a stock tracking app: whatever Authorization it sends is not looked at
  'GET /osmand': { allow: 'public', ok: 200 },
  'POST /osmand': { allow: 'public', ok: 200 },
  'POST /api/positions': { allow: 'device', ok: 200 },
  'GET /api/patrols': signedIn,
  'GET /api/patrols/compliance': signedIn,
  // the session is the grid member's own, in the first village: every role allowed sees it
  'POST /api/patrols/:id/end': { allow: { roles: PATROL_END_ROLES, devices: true }, ok: 200 },
  'GET /api/ledger/key-hazards': signedIn,
  'GET /api/ledger/joint-tackling': signedIn,
  'GET /api/ledger/coordination': signedIn,
  'GET /api/ledger/bulletin': signedIn,
  'GET /api/rollcall': signedIn,
  'POST /api/rollcall/results': { allow: ROLLCALL_ROLES, ok: 201 },
  'GET /api/rollcall/monthly': signedIn,
  'GET /api/wall/summary': signedIn,
  'GET /tiles/:layer/:z/:x/:y.mvt': signedIn,
  'GET /api/district': signedIn,
  'GET /ogc': signedIn,
  'GET /ogc/conformance': signedIn,
  'GET /ogc/collections': signedIn,
  ...Object.assign({}, ...COLLECTION_IDS.map(collectionAccess)),
};

function expectedStatus(access: Access, caller: Caller, target: Target | undefined): number {
  if (access.allow === 'public') return access.ok;
  if (access.allow === 'device') return caller.kind === 'device' ? access.ok : 401;
  let role: Role;
  if (typeof access.allow === 'object' && 'devices' in access.allow) {
    if (caller.kind === 'stranger') return 401;
    role = caller.kind === 'device' ? DEVICE_OWNER : caller.name;
    if (!access.allow.roles.includes(role)) return 403;
  } else {
    if (caller.kind !== 'role') return 401; // device tokens only work on device endpoints
    role = caller.name;
    if (Array.isArray(access.allow) && !access.allow.includes(role)) return 403;
  }
  if (target && !target.visibleTo(role)) return 404;
  if (access.refuses?.(role)) return 403;
  return access.ok;
}

/** The field a refusal names: the route's own rules name the action, the role check the credentials. */
const refusedField = (access: Access, caller: Caller): string => {
  const role = caller.kind === 'device' ? DEVICE_OWNER : caller.kind === 'role' ? caller.name : undefined;
  const byRoles =
    role === undefined ||
    (Array.isArray(access.allow) && !access.allow.includes(role)) ||
    (typeof access.allow === 'object' && 'devices' in access.allow && !access.allow.roles.includes(role));
  return !byRoles && access.refuses?.(role) ? 'body.action' : 'headers.authorization';
};

interface Case {
  name: string;
  row: RouteRow;
  caller: Caller;
  target: Target | undefined;
  expected: number;
}

const CASES: Case[] = ROUTES.flatMap((row) => {
  const access = ACCESS[routeId(row)];
  if (!access) return [];
  const targets: (Target | undefined)[] = access.targets ?? [undefined];
  return targets.flatMap((target) =>
    CALLERS.map((caller) => {
      const expected = expectedStatus(access, caller, target);
      const where = target ? ` · ${target.name}` : '';
      return {
        name: `${routeId(row)}${where} · as ${caller.name} → ${expected}`,
        row,
        caller,
        target,
        expected,
      };
    }),
  );
});

describe.each(BACKENDS)('authorization matrix on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  const headers = new Map<string, Promise<Record<string, string>>>();
  const headersOf = (caller: Caller) => {
    if (!headers.has(caller.name)) headers.set(caller.name, callerHeaders(caller, fx, db));
    return headers.get(caller.name)!;
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 1_000_000, LOGIN_RATE_LIMIT_PER_MIN: 1_000_000 });
    fx = await prepareFixtures(app, db);
  });
  afterAll(async () => {
    console.log(
      `[authorization-matrix] ${backend}: ${CASES.length} cases (${ROUTES.length} routes × ${CALLERS.length} callers, with area targets)`,
    );
    await app?.close();
    await db?.destroy();
  });

  it('has access rules for every route in the table, and only those', () => {
    expect(Object.keys(ACCESS).sort()).toEqual(ROUTES.map(routeId).sort());
  });

  it.for(CASES.map((c) => [c.name, c] as const))(
    '%s',
    async ([, { row, caller, target, expected }], { skip }) => {
      const role = caller.kind === 'role' ? caller.name : exampleRole(row.as);
      let example = await row.example(fx, role);
      if (target) {
        const at = await target.example(fx, role);
        if (!at) return skip(`the demo data holds no ${target.name.replace(/^an? /, '')}`);
        example = { ...example, ...at };
      }
      const res = await app.inject(exampleRequest(row, example, await headersOf(caller)));
      expect(res.statusCode, res.body).toBe(expected);
      if (expected >= 400) {
        expect(answerProblem(res)).toBe(undefined);
        const field = (res.json() as { field: string }).field;
        if (expected === 404) expect(field).toMatch(/^(params|query)\./);
        else expect(field).toBe(refusedField(ACCESS[routeId(row)]!, caller));
      }
    },
  );
});
