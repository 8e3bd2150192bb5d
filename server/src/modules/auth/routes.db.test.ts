import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MAX_FAILURES } from '../../../../shared/src/auth.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { TEST_PASSWORD } from '../../../../test/support/paths.ts';

describe.each(BACKENDS)('accounts and scope on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const login = (username: string, password = TEST_PASSWORD) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const auditCount = async (action: string) =>
    (
      await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [
        action,
      ])
    ).rows[0]!.n;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('answers anonymous requests with 401 except health and login', async () => {
    for (const url of [
      '/ogc',
      '/ogc/collections/stations/items',
      '/api/district',
      '/api/auth/me',
      '/api/users',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().field).toBe('headers.authorization');
    }
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    const garbage = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    expect(garbage.statusCode).toBe(401);
  });

  it('signs in with a token usable as a bearer, and audits it', async () => {
    const before = await auditCount('auth.login');
    const res = await login('dispatcher');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { username: 'dispatcher', role: 'dispatcher', scope: '320803' },
    });
    expect(body.refreshToken).toEqual(expect.any(String));
    const me = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.json()).toMatchObject({ username: 'dispatcher', scopeName: '淮安区' });
    expect(await auditCount('auth.login')).toBe(before + 1);
  });

  it('never tells which part of the credentials was wrong', async () => {
    const wrong = await login('planner', 'not-the-password');
    const unknown = await login('nobody', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
    expect(wrong.json().field).toBe('body.password');
  });

  it(`locks an account after ${LOGIN_MAX_FAILURES} failures, even against the right password`, async () => {
    for (let i = 0; i < LOGIN_MAX_FAILURES; i += 1)
      expect((await login('grid_member', 'wrong-password')).statusCode).toBe(401);
    const locked = await login('grid_member');
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toMatchObject({ field: 'body.username' });
    const { rows } = await db.pool.query('SELECT failed_logins FROM app_user WHERE username = $1', [
      'grid_member',
    ]);
    expect(rows[0].failed_logins).toBe(LOGIN_MAX_FAILURES);
  });

  it('rotates refresh tokens and signs out everywhere when an old one is reused', async () => {
    const first = (await login('planner')).json();
    const second = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(second.statusCode).toBe(200);
    const rotated = second.json();
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    const reuse = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(reuse.statusCode).toBe(401);
    const afterReuse = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: rotated.refreshToken },
    });
    expect(afterReuse.statusCode).toBe(401);
    expect(await auditCount('auth.refresh_reuse')).toBeGreaterThan(0);
  });

  it('logs out by revoking the refresh token', async () => {
    const session = (await login('county_operator')).json();
    const headers = { authorization: `Bearer ${session.token}` };
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers,
      payload: { refreshToken: session.refreshToken },
    });
    expect(out.json()).toEqual({ revokedSessions: 1 });
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('issues revocable device tokens that only device endpoints take', async () => {
    const headers = await authHeader(app, 'village_officer');
    const issued = await app.inject({
      method: 'POST',
      url: '/api/devices',
      headers,
      payload: { name: '手持终端-001' },
    });
    expect(issued.statusCode).toBe(201);
    const { token, device } = issued.json();
    const device_ = { authorization: `Bearer ${token}` };
    expect(
      (await app.inject({ method: 'GET', url: '/api/device/me', headers: device_ })).json(),
    ).toMatchObject({ username: 'village_officer' });
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: device_ })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/device/me', headers })).statusCode).toBe(401);
    const revoked = await app.inject({ method: 'DELETE', url: `/api/devices/${device.id}`, headers });
    expect(revoked.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/device/me', headers: device_ })).statusCode).toBe(
      401,
    );
    const other = await authHeader(app, 'dispatcher');
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/devices/${device.id}`, headers: other })).statusCode,
    ).toBe(404);
  });

  it('signs a wall display in with its display token, which is no handheld’s, until it is revoked', async () => {
    const admin = await authHeader(app, 'admin');
    const operator = await db.pool.query<{ id: number }>(
      `SELECT id::int FROM app_user WHERE username = 'county_operator'`,
    );
    const issued = await app.inject({
      method: 'POST',
      url: '/api/devices',
      headers: admin,
      payload: { name: '指挥中心大屏 1', kind: 'display', userId: operator.rows[0]!.id },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const { token, device } = issued.json();
    expect(device).toMatchObject({ kind: 'display', username: 'county_operator', trackerId: null });
    const display = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/auth/display', payload });

    const before = await auditCount('auth.display_login');
    const signedIn = await display({ token });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json()).toMatchObject({
      tokenType: 'Bearer',
      user: { username: 'county_operator', role: 'county_operator' },
    });
    expect(await auditCount('auth.display_login')).toBe(before + 1);
    // an ordinary session: the API answers it and its refresh token rotates
    const session = { authorization: `Bearer ${signedIn.json().token}` };
    expect((await app.inject({ url: '/api/wall/summary', headers: session })).statusCode).toBe(200);
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: signedIn.json().refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    // a display token is no handheld's: the device endpoints refuse it
    expect(
      (await app.inject({ url: '/api/device/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(401);

    // a handheld's token is no display's, nor is a made-up one; neither is a display with a tracker id
    const handheld = await app.inject({
      method: 'POST',
      url: '/api/devices',
      headers: admin,
      payload: { name: '手持终端-002', userId: operator.rows[0]!.id },
    });
    expect(handheld.json().device.kind).toBe('handheld');
    for (const wrong of [handheld.json().token, 'gwd_nothing', 'x']) {
      const res = await display({ token: wrong });
      expect(res.statusCode).toBe(401);
      expect(res.json().field).toBe('body.token');
    }
    const tracked = await app.inject({
      method: 'POST',
      url: '/api/devices',
      headers: admin,
      payload: { name: '大屏', kind: 'display', trackerId: 'wall-1' },
    });
    expect(tracked.statusCode).toBe(400);
    expect(tracked.json().field).toBe('body.trackerId');
    for (const bad of [{}, { token: '' }, { token: token, extra: 1 }]) {
      const res = await display(bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().field).toMatch(/^body/);
    }

    // revoked: the screen can no longer sign in
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/devices/${device.id}`, headers: admin })).statusCode,
    ).toBe(200);
    expect((await display({ token })).statusCode).toBe(401);
  });

  it('limits what each role sees to its area: outside rows do not exist (404, not 403)', async () => {
    const county = await authHeader(app, 'county_operator');
    const village = await authHeader(app, 'village_officer');
    const count = async (headers: { authorization: string }, url: string) =>
      (await app.inject({ method: 'GET', url, headers })).json().numberMatched as number;
    const all = await count(county, '/ogc/collections/grids/items?level=unit&limit=1');
    const mine = await count(village, '/ogc/collections/grids/items?level=unit&limit=1');
    expect(mine).toBeGreaterThan(0);
    expect(mine).toBeLessThan(all);
    const { rows } = await db.pool.query<{ code: string }>(
      `SELECT code FROM fire_station WHERE village_code NOT LIKE (SELECT scope_code FROM app_user WHERE username = 'village_officer') || '%' LIMIT 1`,
    );
    const outside = rows[0]!.code;
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/ogc/collections/stations/items/${outside}`,
          headers: county,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/ogc/collections/stations/items/${outside}`,
          headers: village,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('lets only dispatch roles change a station status, in their area, with before/after audited', async () => {
    const { rows } = await db.pool.query<{ code: string; status: string; inside: boolean }>(
      `SELECT code, status, village_code LIKE (SELECT scope_code FROM app_user WHERE username = 'town_operator') || '%' AS inside
         FROM fire_station WHERE status = 'available' ORDER BY code`,
    );
    const inTown = rows.find((r) => r.inside)!;
    const outOfTown = rows.find((r) => !r.inside)!;
    const patch = async (role: string, code: string) =>
      app.inject({
        method: 'PATCH',
        url: `/api/stations/${code}/status`,
        headers: await authHeader(app, role),
        payload: { status: 'busy', reason: '出警' },
      });
    expect((await patch('planner', inTown.code)).statusCode).toBe(403);
    expect((await patch('town_operator', outOfTown.code)).statusCode).toBe(404);
    const ok = await patch('town_operator', inTown.code);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ code: inTown.code, status: 'busy' });
    const audit = await db.pool.query(
      `SELECT actor, role, before, after FROM audit_log WHERE action = 'station.status' AND target = $1`,
      [`station:${inTown.code}`],
    );
    expect(audit.rows).toEqual([
      {
        actor: 'town_operator',
        role: 'town_operator',
        before: { status: 'available' },
        after: { status: 'busy', reason: '出警' },
      },
    ]);
  });

  it('keeps the audit log append-only', async () => {
    await expect(db.pool.query('UPDATE audit_log SET action = $1', ['x'])).rejects.toThrow(/append-only/);
    await expect(db.pool.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(db.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('lets an admin create accounts only with a scope that fits the role', async () => {
    const headers = await authHeader(app, 'admin');
    const create = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/users', headers, payload });
    const base = {
      username: 'new_member',
      displayName: '新网格员',
      role: 'grid_member',
      password: 'a-long-password',
    };
    expect((await create({ ...base, scope: '320803' })).json()).toMatchObject({
      statusCode: 400,
      field: 'body.scope',
    });
    const village = (
      await db.pool.query(`SELECT code FROM admin_area WHERE level = 'village' ORDER BY code DESC LIMIT 1`)
    ).rows[0].code;
    const created = await create({ ...base, scope: village });
    expect(created.statusCode).toBe(201);
    expect((await create({ ...base, scope: village })).statusCode).toBe(409);
    expect((await login('new_member', 'a-long-password')).statusCode).toBe(200);
    const planner = await authHeader(app, 'planner');
    expect(
      (await app.inject({ method: 'POST', url: '/api/users', headers: planner, payload: base })).statusCode,
    ).toBe(403);
  });
});
