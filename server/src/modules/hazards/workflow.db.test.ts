import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HazardDetail, HazardList } from '../../../../shared/src/schemas/hazards.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { jpeg, PDF, png } from '../../../../test/support/images.ts';
import { multipartBody } from '../../../../test/support/multipart.ts';

type Headers = { authorization: string };
const ROLES = [
  'grid_member',
  'village_officer',
  'town_operator',
  'county_operator',
  'department_handler',
  'planner',
] as const;

describe.each(BACKENDS)('the hazard closed loop on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let as: Record<(typeof ROLES)[number], Headers>;
  let memberId: number;
  let point: { lon: number; lat: number };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000 });
    const { rows } = await db.pool.query<{ lon: number; lat: number }>(`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat
        FROM (SELECT ST_PointOnSurface(geom) AS p FROM grid
               WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
               ORDER BY code LIMIT 1) g`);
    point = rows[0]!;
    memberId = Number(
      (await db.pool.query<{ id: string }>(`SELECT id FROM app_user WHERE username = 'grid_member'`)).rows[0]!
        .id,
    );
    as = Object.fromEntries(
      await Promise.all(ROLES.map(async (role) => [role, await authHeader(app, role)] as const)),
    ) as typeof as;
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  async function reportOne(description = '出租屋电动车楼道充电，安全出口堆放杂物'): Promise<HazardDetail> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/hazards',
      headers: as.grid_member,
      payload: { category: 'rental_housing', description, location: { ...point, crs: 'wgs84' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<HazardDetail>();
  }

  const send = (who: Headers, id: number, body: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/hazards/${id}/actions`, headers: who, payload: body });

  /** Takes a step that must succeed, from the version the hazard is at. */
  async function step(who: Headers, h: HazardDetail, body: Record<string, unknown>): Promise<HazardDetail> {
    const res = await send(who, h.id, { version: h.version, ...body });
    expect(res.statusCode, `${String(body.action)}: ${res.body}`).toBe(200);
    const next = res.json<HazardDetail>();
    expect(next.version).toBe(h.version + 1);
    return next;
  }

  const eventsOf = async (id: number) =>
    (
      await db.pool.query<{ type: string; department: string | null }>(
        `SELECT type, department FROM event_log WHERE subject = $1 ORDER BY seq`,
        [`hazard:${id}`],
      )
    ).rows;

  /** A step with photos, as the handheld sends it: the fields as text parts, the photos as files. */
  const sendWithPhotos = (who: Headers, id: number, body: Record<string, unknown>, photos: Buffer[]) => {
    const form = multipartBody(
      Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])),
      photos.map((content, i) => ({
        field: 'photos',
        filename: `step-${i + 1}.jpg`,
        contentType: 'image/jpeg',
        content,
      })),
    );
    return app.inject({
      method: 'POST',
      url: `/api/hazards/${id}/actions`,
      headers: { ...who, 'content-type': form.contentType },
      payload: form.payload,
    });
  };

  it('keeps the photos of the handling and of the check with their steps, and refuses them on other steps', async () => {
    let h = await reportOne('液化气钢瓶与灶具同室存放');
    h = await step(as.village_officer, h, { action: 'classify', severity: 'general' });
    // photos only come with progress, submit, accept and reject: nothing is written otherwise
    const early = await sendWithPhotos(
      as.village_officer,
      h.id,
      { action: 'assign', version: h.version, responsible: '餐馆业主' },
      [await jpeg()],
    );
    expect(early.statusCode, early.body).toBe(400);
    expect(early.json()).toMatchObject({ field: 'body.photos' });
    expect(
      (await app.inject({ url: `/api/hazards/${h.id}`, headers: as.village_officer })).json<HazardDetail>()
        .version,
    ).toBe(h.version);

    h = await step(as.village_officer, h, {
      action: 'assign',
      responsible: '餐馆业主',
      assigneeId: memberId,
    });
    h = await step(as.grid_member, h, { action: 'start' });
    // a file that is not an image is named, and the step is not taken
    const bad = await sendWithPhotos(
      as.grid_member,
      h.id,
      { action: 'progress', version: h.version, note: '已购置新钢瓶柜' },
      [await jpeg(), PDF],
    );
    expect(bad.statusCode, bad.body).toBe(415);
    expect(bad.json()).toMatchObject({ field: 'body.photos.2' });

    const progress = await sendWithPhotos(
      as.grid_member,
      h.id,
      { action: 'progress', version: h.version, note: '已购置新钢瓶柜' },
      [await jpeg(800, 600), await png()],
    );
    expect(progress.statusCode, progress.body).toBe(200);
    h = progress.json<HazardDetail>();
    const progressStep = h.steps.at(-1)!;
    expect(progressStep).toMatchObject({ action: 'progress', data: { photos: 2 } });
    expect(h.photoList.map((p) => [p.n, p.step, p.mime])).toEqual([
      [1, progressStep.n, 'image/jpeg'],
      [2, progressStep.n, 'image/png'],
    ]);
    h = await step(as.grid_member, h, { action: 'submit', note: '钢瓶移至室外专用柜' });
    const accepted = await sendWithPhotos(
      as.village_officer,
      h.id,
      { action: 'accept', version: h.version, note: '复查合格' },
      [await jpeg(640, 480)],
    );
    expect(accepted.statusCode, accepted.body).toBe(200);
    h = accepted.json<HazardDetail>();
    expect(h.state).toBe('closed');
    expect(h.photoList.map((p) => [p.n, p.step])).toEqual([
      [1, progressStep.n],
      [2, progressStep.n],
      [3, h.steps.at(-1)!.n],
    ]);
    const photo = await app.inject({ url: h.photoList[2]!.url, headers: as.town_operator });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    const thumbnail = await app.inject({ url: h.photoList[0]!.thumbnailUrl, headers: as.village_officer });
    expect(thumbnail.headers['content-type']).toBe('image/webp');
    const audit = await db.pool.query<{ after: { photos: number } }>(
      `SELECT after FROM audit_log WHERE target = $1 AND action = 'hazard.accept'`,
      [`hazard:${h.id}`],
    );
    expect(audit.rows.map((a) => a.after.photos)).toEqual([1]);
  });

  it('walks the straight path: reported → classified → assigned → handling → checking → closed', async () => {
    let h = await reportOne();
    expect(h).toMatchObject({ state: 'reported', level: 'village', version: 1, supervised: false });
    expect(h.steps.map((s) => s.action)).toEqual(['report']);

    const officerView = await app.inject({ url: `/api/hazards/${h.id}`, headers: as.village_officer });
    expect(officerView.json<HazardDetail>().actions).toEqual(['classify']);

    const before = Date.now();
    h = await step(as.village_officer, h, { action: 'classify', severity: 'general', note: '一般隐患' });
    expect(h).toMatchObject({ state: 'classified', severity: 'general' });
    // general: 7 days to rectify, yellow with 24 h left (the defaults)
    const deadline = Date.parse(h.deadline!);
    expect(deadline - before).toBeGreaterThanOrEqual(168 * 3_600_000 - 1_000);
    expect(deadline - before).toBeLessThan(168 * 3_600_000 + 60_000);
    expect(deadline - Date.parse(h.yellowAt!)).toBe(24 * 3_600_000);

    h = await step(as.village_officer, h, {
      action: 'assign',
      responsible: '房东 王某（出租屋业主）',
      assigneeId: memberId,
    });
    expect(h).toMatchObject({ state: 'assigned', responsible: '房东 王某（出租屋业主）' });
    expect(h.assignee?.id).toBe(memberId);

    // the assigned grid member reports the handling from the handheld
    h = await step(as.grid_member, h, { action: 'start', note: '已约谈房东' });
    h = await step(as.grid_member, h, { action: 'progress', note: '充电桩已选址' });
    h = await step(as.grid_member, h, { action: 'submit', note: '楼道清空，集中充电点启用' });
    expect(h.state).toBe('checking');
    // the member cannot accept their own rectification: an inspector of the level does
    const self = await send(as.grid_member, h.id, { version: h.version, action: 'accept' });
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ field: 'body.action' });
    h = await step(as.village_officer, h, { action: 'accept', note: '复查合格' });
    expect(h.state).toBe('closed');
    expect(h.actions).toEqual([]);
    expect(h.steps.map((s) => [s.action, s.toState])).toEqual([
      ['report', 'reported'],
      ['classify', 'classified'],
      ['assign', 'assigned'],
      ['start', 'handling'],
      ['progress', 'handling'],
      ['submit', 'checking'],
      ['accept', 'closed'],
    ]);
    expect((await eventsOf(h.id)).map((e) => e.type)).toEqual([
      'hazard.reported',
      'hazard.classified',
      'hazard.assigned',
      'hazard.handled',
      'hazard.handled',
      'hazard.handled',
      'hazard.closed',
    ]);
    const audits = await db.pool.query<{
      action: string;
      before: { state: string };
      after: { state: string };
    }>(
      `SELECT action, before, after FROM audit_log WHERE target = $1 AND action <> 'hazard.report' ORDER BY id`,
      [`hazard:${h.id}`],
    );
    expect(audits.rows.map((a) => [a.action, a.before.state, a.after.state])).toEqual([
      ['hazard.classify', 'reported', 'classified'],
      ['hazard.assign', 'classified', 'assigned'],
      ['hazard.start', 'assigned', 'handling'],
      ['hazard.progress', 'handling', 'handling'],
      ['hazard.submit', 'handling', 'checking'],
      ['hazard.accept', 'checking', 'closed'],
    ]);
    // closed cases leave the open list, and come back when asked for
    const open = await app.inject({ url: '/api/hazards?limit=500', headers: as.village_officer });
    expect(open.json<HazardList>().items.some((i) => i.id === h.id)).toBe(false);
    const closed = await app.inject({
      url: '/api/hazards?state=closed&limit=500',
      headers: as.village_officer,
    });
    expect(closed.json<HazardList>().items.some((i) => i.id === h.id)).toBe(true);
  });

  it('sends a rectification back to handling, then accepts the second one', async () => {
    let h = await reportOne();
    h = await step(as.village_officer, h, { action: 'classify', severity: 'general' });
    h = await step(as.village_officer, h, {
      action: 'assign',
      responsible: '某餐饮店',
      assigneeId: memberId,
    });
    h = await step(as.grid_member, h, { action: 'start' });
    h = await step(as.grid_member, h, { action: 'submit', note: '已整改' });
    const noReason = await send(as.village_officer, h.id, { version: h.version, action: 'reject' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ field: 'body.note' });
    h = await step(as.village_officer, h, { action: 'reject', note: '灭火器过期未更换' });
    expect(h.state).toBe('handling');
    h = await step(as.grid_member, h, { action: 'submit', note: '灭火器已更换' });
    h = await step(as.village_officer, h, { action: 'accept' });
    expect(h.steps.map((s) => s.action)).toEqual([
      'report',
      'classify',
      'assign',
      'start',
      'submit',
      'reject',
      'submit',
      'accept',
    ]);
    expect((await eventsOf(h.id)).map((e) => e.type)).toContain('hazard.checked');
  });

  it('escalates up the grid to a county department, each level with its reason and deadline', async () => {
    let h = await reportOne('化工仓库违规储存危化品，村级无法处置');
    h = await step(as.village_officer, h, { action: 'classify', severity: 'major' });
    expect(Date.parse(h.deadline!) - Date.parse(h.yellowAt!)).toBe(72 * 3_600_000);
    h = await step(as.village_officer, h, { action: 'escalate', note: '村级无执法权' });
    expect(h).toMatchObject({ level: 'town', state: 'classified', department: null });
    // the village no longer holds it
    const late = await send(as.village_officer, h.id, {
      version: h.version,
      action: 'assign',
      responsible: 'x',
    });
    expect(late.statusCode).toBe(403);

    h = await step(as.town_operator, h, { action: 'escalate', note: '镇级执法后仍无法消除' });
    expect(h.level).toBe('county');
    const noDept = await send(as.county_operator, h.id, {
      version: h.version,
      action: 'escalate',
      note: '转部门',
    });
    expect(noDept.statusCode).toBe(400);
    expect(noDept.json()).toMatchObject({ field: 'body.department' });

    // the fire department's handler does not see it before it is theirs
    const before = await app.inject({ url: `/api/hazards/${h.id}`, headers: as.department_handler });
    expect(before.statusCode).toBe(404);
    const deadline = new Date(Date.now() + 10 * 24 * 3_600_000).toISOString();
    h = await step(as.county_operator, h, {
      action: 'escalate',
      department: 'fire',
      note: '转区消防救援大队',
      deadline,
    });
    expect(h).toMatchObject({ level: 'department', department: 'fire', state: 'classified' });
    expect(Date.parse(h.deadline!)).toBe(Date.parse(deadline));

    const mine = await app.inject({ url: '/api/hazards?level=department', headers: as.department_handler });
    expect(mine.statusCode).toBe(200);
    const items = mine.json<HazardList>().items;
    expect(items.map((i) => i.id)).toContain(h.id);
    expect(items.every((i) => i.department === 'fire')).toBe(true);

    let seen = (
      await app.inject({ url: `/api/hazards/${h.id}`, headers: as.department_handler })
    ).json<HazardDetail>();
    // nothing is above a department: it assigns the case, or sends it back to the county
    expect(seen.actions).toEqual(['assign', 'deescalate']);
    seen = await step(as.department_handler, seen, { action: 'assign', responsible: '某化工仓储公司' });
    seen = await step(as.department_handler, seen, { action: 'start' });
    seen = await step(as.department_handler, seen, { action: 'submit', note: '危化品已转移至合规仓库' });
    seen = await step(as.department_handler, seen, { action: 'accept' });
    expect(seen.state).toBe('closed');
    expect(
      seen.steps.filter((s) => s.action === 'escalate').map((s) => [s.fromLevel, s.toLevel, s.note]),
    ).toEqual([
      ['village', 'town', '村级无执法权'],
      ['town', 'county', '镇级执法后仍无法消除'],
      ['county', 'department', '转区消防救援大队'],
    ]);
    // the department's events carry the department, so its handlers' walls receive them
    const events = await eventsOf(seen.id);
    expect(events.filter((e) => e.type === 'hazard.escalated').at(-1)?.department).toBe('fire');
    expect(events.at(-1)).toEqual({ type: 'hazard.closed', department: 'fire' });
  });

  it('sends a case back down a level with its reason', async () => {
    let h = await reportOne();
    h = await step(as.village_officer, h, { action: 'classify', severity: 'general' });
    h = await step(as.village_officer, h, { action: 'escalate', note: '需镇安监办判断' });
    h = await step(as.town_operator, h, { action: 'deescalate', note: '属一般隐患，退回村级处置' });
    expect(h).toMatchObject({ level: 'village', state: 'classified' });
    const lowest = await send(as.village_officer, h.id, {
      version: h.version,
      action: 'deescalate',
      note: 'x',
    });
    expect(lowest.statusCode).toBe(403);
  });

  it('puts an overdue case under supervision, recording who pressed whom', async () => {
    let h = await reportOne();
    h = await step(as.village_officer, h, {
      action: 'classify',
      severity: 'general',
      deadline: new Date(Date.now() + 1_500).toISOString(),
    });
    h = await step(as.village_officer, h, {
      action: 'assign',
      responsible: '某小作坊',
      assigneeId: memberId,
    });
    const early = await send(as.town_operator, h.id, {
      version: h.version,
      action: 'supervise',
      note: '催办',
    });
    expect(early.statusCode).toBe(403);
    expect(early.json().message).toMatch(/past its deadline/);
    await new Promise((r) => setTimeout(r, 1_700));

    const overdue = await app.inject({
      url: '/api/hazards?overdue=true&limit=500',
      headers: as.town_operator,
    });
    expect(overdue.json<HazardList>().items.map((i) => i.id)).toContain(h.id);
    // the town grid centre presses the village that holds the case
    h = await step(as.town_operator, h, { action: 'supervise', note: '逾期未整改，限两日内完成' });
    expect(h.supervised).toBe(true);
    expect(h.state).toBe('assigned');
    const pressed = h.steps.at(-1)!;
    expect(pressed).toMatchObject({ action: 'supervise', actorRole: 'town_operator' });
    expect(pressed.data).toMatchObject({ pressed: { level: 'village', assigneeId: memberId } });
    expect((await eventsOf(h.id)).at(-1)?.type).toBe('hazard.supervised');
    // a grid member cannot press anyone
    const member = await send(as.grid_member, h.id, { version: h.version, action: 'supervise', note: 'x' });
    expect(member.statusCode).toBe(403);
  });

  it('moves a hazard once when operators click at the same time', async () => {
    const h = await reportOne();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        send(as.village_officer, h.id, { version: h.version, action: 'classify', severity: 'major' }),
      ),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409)) {
      expect(a.json()).toMatchObject({ field: 'body.version' });
    }
    const steps = await db.pool.query(`SELECT count(*)::int AS n FROM hazard_step WHERE hazard_id = $1`, [
      h.id,
    ]);
    expect(steps.rows[0]).toEqual({ n: 2 });
    expect((await eventsOf(h.id)).map((e) => e.type)).toEqual(['hazard.reported', 'hazard.classified']);
  });

  it('refuses bad steps with the field named and changes nothing', async () => {
    const h = await reportOne();
    const cases: Array<[Headers, Record<string, unknown>, number, string]> = [
      [as.village_officer, { action: 'classify' }, 400, 'body.severity'],
      [
        as.village_officer,
        { action: 'classify', severity: 'general', responsible: 'x' },
        400,
        'body.responsible',
      ],
      [as.village_officer, { action: 'assign', responsible: '某企业' }, 409, 'body.action'],
      [
        as.village_officer,
        { action: 'classify', severity: 'general', deadline: '2001-01-01T00:00:00Z' },
        400,
        'body.deadline',
      ],
      [as.village_officer, { action: 'classify', severity: 'general', version: 99 }, 409, 'body.version'],
      [as.town_operator, { action: 'classify', severity: 'general' }, 403, 'body.action'],
      [as.village_officer, { action: 'launch' }, 400, 'body.action'],
    ];
    for (const [who, body, status, field] of cases) {
      const res = await send(who, h.id, { version: h.version, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().field, JSON.stringify(body)).toBe(field);
    }
    const planner = await send(as.planner, h.id, {
      version: h.version,
      action: 'classify',
      severity: 'general',
    });
    expect(planner.statusCode).toBe(403);
    const unknown = await send(as.village_officer, 2 ** 40, {
      version: 1,
      action: 'classify',
      severity: 'general',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ field: 'params.id' });
    const assignOutsider = await step(as.village_officer, h, { action: 'classify', severity: 'general' });
    const outsider = await send(as.village_officer, h.id, {
      version: assignOutsider.version,
      action: 'assign',
      responsible: '某企业',
      assigneeId: Number(
        (await db.pool.query(`SELECT id FROM app_user WHERE username = 'planner'`)).rows[0].id,
      ),
    });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json()).toMatchObject({ field: 'body.assigneeId' });
    const after = await app.inject({ url: `/api/hazards/${h.id}`, headers: as.village_officer });
    expect(after.json<HazardDetail>()).toMatchObject({
      state: 'classified',
      version: assignOutsider.version,
    });
  });

  it('lists the grid members of the case’s village to assign it to', async () => {
    const h = await reportOne();
    const res = await app.inject({ url: `/api/hazards/${h.id}/assignees`, headers: as.village_officer });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<{ id: number; name: string }[]>();
    expect(list.map((m) => m.id)).toContain(memberId);
    const planner = await app.inject({ url: `/api/hazards/${h.id}/assignees`, headers: as.planner });
    expect(planner.statusCode).toBe(403);
    const handler = await app.inject({
      url: `/api/hazards/${h.id}/assignees`,
      headers: as.department_handler,
    });
    expect(handler.statusCode).toBe(404);
  });

  it('keeps the timeline append-only', async () => {
    await expect(db.pool.query(`UPDATE hazard_step SET note = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query(`DELETE FROM hazard_step`)).rejects.toThrow(/append-only/);
  });
});
