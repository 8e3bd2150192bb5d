import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSPECTION_CADENCE_DAYS } from '../../../../shared/src/domain.ts';
import type {
  EnterpriseDetail,
  EnterpriseImportErrors,
  EnterpriseList,
} from '../../../../shared/src/schemas/enterprises.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

const DAY = 86_400_000;
const BOARD = {
  firstResponsible: '王建国',
  firstResponsiblePhone: '0517-8391 2201',
  actualController: '王建国',
  safetyManager: '李敏',
  safetyManagerPhone: '139 1234 5678',
  townSupervisor: '赵镇长',
  villageSupervisor: '钱书记',
  supervisorPhone: '0517-8391 0000',
};
const HEADER =
  'code,name,category,risk,lon,lat,employees,address,first_responsible,first_responsible_phone,' +
  'actual_controller,safety_manager,safety_manager_phone,town_supervisor,village_supervisor,supervisor_phone';

describe.each(BACKENDS)('enterprise ledger on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let as: Record<
    'village_officer' | 'county_operator' | 'town_operator' | 'grid_member' | 'planner',
    { authorization: string }
  >;
  /** an enterprise in the village officer's village, a point there, and one in another town */
  let mine: string;
  let spot: { lon: number; lat: number };
  let faraway: { lon: number; lat: number };

  const get = async <T>(url: string, who = as.county_operator) => {
    const res = await app.inject({ url, headers: who });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const importCsv = (csv: string | Buffer, who = as.town_operator, query = '') =>
    app.inject({
      method: 'POST',
      url: `/api/enterprises/import${query}`,
      headers: { ...who, 'content-type': 'text/csv' },
      payload: csv,
    });
  const count = async () =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM enterprise`)).rows[0]!.n;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000 });
    as = {} as typeof as;
    for (const role of [
      'village_officer',
      'county_operator',
      'town_operator',
      'grid_member',
      'planner',
    ] as const) {
      as[role] = await authHeader(app, role);
    }
    const village = (
      await db.pool.query<{ scope_code: string }>(
        `SELECT scope_code FROM app_user WHERE username = 'village_officer'`,
      )
    ).rows[0]!.scope_code;
    const town = village.slice(0, 9);
    mine = (
      await db.pool.query<{ code: string }>(
        `SELECT code FROM enterprise WHERE village_code = $1 ORDER BY code LIMIT 1`,
        [village],
      )
    ).rows[0]!.code;
    const point = async (where: string, arg: string) =>
      (
        await db.pool.query<{ lon: number; lat: number }>(
          `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grid
             WHERE level = 'unit' AND ${where} ORDER BY code LIMIT 1) g`,
          [arg],
        )
      ).rows[0]!;
    spot = await point(`admin_code LIKE $1 || '%'`, town);
    faraway = await point(`admin_code NOT LIKE $1 || '%'`, town);
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('lists the area’s enterprises, highest risk first, with their inspection due by risk colour', async () => {
    const county = await get<EnterpriseList>('/api/enterprises?limit=1000');
    const order = ['red', 'orange', 'yellow', 'blue'];
    const ranks = county.items.map((e) => order.indexOf(e.risk));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const village = await get<EnterpriseList>('/api/enterprises?limit=1000', as.village_officer);
    expect(village.total).toBeGreaterThan(0);
    expect(village.total).toBeLessThan(county.total);
    expect(village.items.map((e) => e.code)).toContain(mine);
    const red = await get<EnterpriseList>('/api/enterprises?risk=red&limit=5');
    expect(red.items.every((e) => e.risk === 'red')).toBe(true);
    const other = await app.inject({
      url: `/api/enterprises/${county.items.find((e) => !village.items.some((v) => v.code === e.code))!.code}`,
      headers: as.village_officer,
    });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ field: 'params.code' });
  });

  it('posts a responsibility board, records its half-yearly check, and flags it when the check is overdue', async () => {
    const badPhone = await app.inject({
      method: 'PUT',
      url: `/api/enterprises/${mine}/board`,
      headers: as.village_officer,
      payload: { ...BOARD, firstResponsiblePhone: 'call me' },
    });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json()).toMatchObject({ field: 'body.firstResponsiblePhone' });
    const noBoard = await app.inject({
      method: 'POST',
      url: `/api/enterprises/${mine}/board/check`,
      headers: as.village_officer,
    });
    expect(noBoard.statusCode).toBe(409);

    const posted = await app.inject({
      method: 'PUT',
      url: `/api/enterprises/${mine}/board`,
      headers: as.village_officer,
      payload: BOARD,
    });
    expect(posted.statusCode, posted.body).toBe(200);
    const detail = posted.json<EnterpriseDetail>();
    expect(detail.board).toMatchObject({ ...BOARD, overdue: false });
    expect(Date.parse(detail.board!.checkDue) - Date.parse(detail.board!.checkedAt)).toBe(183 * DAY);

    // seven months pass (the clock is the one thing faked)
    await db.pool.query(
      `UPDATE responsibility_board SET posted_at = now() - interval '210 days', checked_at = now() - interval '210 days'
        WHERE enterprise_code = $1`,
      [mine],
    );
    const overdue = await get<EnterpriseList>(
      '/api/enterprises?boardOverdue=true&limit=1000',
      as.village_officer,
    );
    expect(overdue.items.find((e) => e.code === mine)?.board).toMatchObject({ overdue: true });
    const checked = await app.inject({
      method: 'POST',
      url: `/api/enterprises/${mine}/board/check`,
      headers: as.village_officer,
    });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json<EnterpriseDetail>().board).toMatchObject({ overdue: false });
    const audits = await db.pool.query(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [
      `enterprise:${mine}`,
    ]);
    expect(audits.rows.map((r) => r.action)).toEqual(['enterprise.board', 'enterprise.board_check']);
  });

  it('records inspections and moves the next one by the risk colour’s cadence', async () => {
    const missing = await app.inject({
      method: 'POST',
      url: `/api/enterprises/${mine}/inspections`,
      headers: as.grid_member,
      payload: { result: 'hazards_found', hazardsFound: 2 },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ field: 'body.findings' });
    const future = await app.inject({
      method: 'POST',
      url: `/api/enterprises/${mine}/inspections`,
      headers: as.grid_member,
      payload: { result: 'passed', inspectedAt: new Date(Date.now() + 5 * DAY).toISOString() },
    });
    expect(future.json()).toMatchObject({ field: 'body.inspectedAt' });
    const res = await app.inject({
      method: 'POST',
      url: `/api/enterprises/${mine}/inspections`,
      headers: as.grid_member,
      payload: { result: 'hazards_found', findings: '灭火器过期 2 具；安全出口堆放杂物', hazardsFound: 2 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json<EnterpriseDetail>();
    expect(e.inspections[0]).toMatchObject({ result: 'hazards_found', hazardsFound: 2 });
    expect(Date.parse(e.inspectionDue) - Date.parse(e.lastInspectedAt!)).toBe(
      INSPECTION_CADENCE_DAYS[e.risk] * DAY,
    );
    expect(e.inspectionOverdue).toBe(false);
    const planner = await app.inject({
      method: 'POST',
      url: `/api/enterprises/${mine}/inspections`,
      headers: as.planner,
      payload: { result: 'passed' },
    });
    expect(planner.statusCode).toBe(403);
  });

  it('imports a CSV of new and known enterprises with boards, and exports what it imported', async () => {
    const before = await count();
    const csv = [
      HEADER,
      `IMP-001,淮安市某化工仓储有限公司,hazardous_chemicals,红,${spot.lon},${spot.lat},85,"某路 1 号, 仓库 B",王一,13800000001,王一,张三,13800000002,赵镇长,钱书记,0517-1234567`,
      `IMP-002,某农家乐,entertainment_venue,yellow,${spot.lon + 0.0001},${spot.lat},6,,,,,,,,,`,
    ].join('\n');
    const first = await importCsv(csv);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ rows: 2, created: 2, updated: 0, boards: 1 });
    expect(await count()).toBe(before + 2);
    // a second import of the same codes updates them
    const again = await importCsv(csv.replace('某农家乐', '某农家乐（更名）'));
    expect(again.json()).toEqual({ rows: 2, created: 0, updated: 2, boards: 1 });

    const detail = await get<EnterpriseDetail>('/api/enterprises/IMP-001');
    expect(detail).toMatchObject({
      risk: 'red',
      category: 'hazardous_chemicals',
      employees: 85,
      address: '某路 1 号, 仓库 B',
    });
    expect(detail.gridCode).toMatch(/^G/);
    expect(detail.board?.firstResponsible).toBe('王一');

    const exported = await app.inject({ url: '/api/enterprises.csv', headers: as.county_operator });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(exported.body.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(await count());
    expect(rows.find((r) => r.code === 'IMP-002')).toMatchObject({
      name: '某农家乐（更名）',
      risk: 'yellow',
      first_responsible: '',
    });
    // what was exported imports again unchanged
    const roundTrip = await importCsv(exported.rawPayload, as.county_operator);
    expect(roundTrip.statusCode, roundTrip.body.slice(0, 500)).toBe(200);
    expect(roundTrip.json()).toMatchObject({ created: 0, updated: rows.length });
  });

  it('reads a file saved by Excel on Chinese Windows (GB18030)', async () => {
    const gbk = Buffer.concat([
      Buffer.from(`${HEADER.split(',').slice(0, 8).join(',')}\nIMP-GBK,`),
      Buffer.from('cffbb7c0d5be', 'hex'), // 消防站
      Buffer.from(`,fire_safety,`),
      Buffer.from('baec', 'hex'), // 红
      Buffer.from(`,${spot.lon},${spot.lat},3,\n`),
    ]);
    const res = await importCsv(gbk);
    expect(res.statusCode, res.body).toBe(200);
    expect((await get<EnterpriseDetail>('/api/enterprises/IMP-GBK')).name).toBe('消防站');
  });

  it('refuses a file with bad rows, listing each by row and column, and writes nothing', async () => {
    const before = await count();
    const csv = [
      HEADER,
      `IMP-101,好企业,lpg,blue,${spot.lon},${spot.lat},4,,,,,,,,,`,
      `IMP-102,,lpg,purple,${spot.lon},999,many,,,,,,,,,`,
      `IMP-101,重复,lpg,blue,${spot.lon},${spot.lat},4,,,,,,,,,`,
      `IMP-103,半个公示牌,lpg,blue,${spot.lon},${spot.lat},4,,王二,,,,,,,`,
      `IMP-104,外镇企业,lpg,blue,${faraway.lon},${faraway.lat},4,,,,,,,,,`,
    ].join('\r\n');
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(422);
    const body = res.json<EnterpriseImportErrors>();
    expect(body.field).toBe('body');
    const cells = body.errors.map((e) => `${e.row}:${e.column}`);
    expect(cells).toEqual(
      expect.arrayContaining([
        '3:name',
        '3:risk',
        '3:lat',
        '3:employees',
        '4:code',
        '5:first_responsible_phone',
      ]),
    );
    expect(cells).not.toContain('2:code');
    expect(await count()).toBe(before);

    // once the cells are right, the point outside the town operator's area is the only problem left
    const outside = await importCsv(
      [
        HEADER.split(',').slice(0, 8).join(','),
        `IMP-104,外镇企业,lpg,blue,${faraway.lon},${faraway.lat},4,`,
      ].join('\n'),
    );
    expect(outside.statusCode).toBe(422);
    expect(outside.json<EnterpriseImportErrors>().errors).toEqual([
      { row: 2, column: 'lon', message: expect.stringMatching(/outside your area/) },
    ]);
    const header = await importCsv('name,colour\n某,红\n');
    expect(header.json<EnterpriseImportErrors>().errors.map((e) => e.column)).toEqual(
      expect.arrayContaining(['code', 'risk', 'colour']),
    );
    const json = await app.inject({
      method: 'POST',
      url: '/api/enterprises/import',
      headers: as.town_operator,
      payload: { rows: [] },
    });
    expect(json.statusCode).toBe(415);
    expect(await count()).toBe(before);
  });
});
