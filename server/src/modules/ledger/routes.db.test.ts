import type { FastifyInstance } from 'fastify';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bulletin, KeyHazardList, MonthList } from '../../../../shared/src/schemas/ledger.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

/**
 * Hand-made hazard histories in February and March 2025 (Beijing time), each step at a known instant, so
 * every list has a known answer: which hazards, why, and as they stood at the period's end.
 */
type Step = {
  action: string;
  at: string;
  state: string;
  level?: string;
  department?: string;
  deadline?: string;
  note?: string;
  severity?: string;
  by?: string;
};
interface History {
  key: string;
  category: string;
  title: string;
  steps: Step[];
}

const t = (s: string) => `2025-${s}:00+08:00`;
const HISTORIES: History[] = [
  {
    key: 'H1',
    category: 'fire_safety',
    title: '某商铺安全出口堵塞',
    steps: [
      { action: 'report', at: t('03-02T10:00'), state: 'reported' },
      {
        action: 'classify',
        at: t('03-02T12:00'),
        state: 'classified',
        severity: 'major',
        deadline: t('03-09T12:00'),
      },
      { action: 'assign', at: t('03-03T09:00'), state: 'assigned' },
      { action: 'start', at: t('03-04T09:00'), state: 'handling' },
      { action: 'submit', at: t('03-08T09:00'), state: 'checking' },
      { action: 'accept', at: t('03-08T18:00'), state: 'closed' },
    ],
  },
  {
    key: 'H2',
    category: 'rental_housing',
    title: '出租屋违规搭建阁楼住人',
    steps: [
      { action: 'report', at: t('02-20T10:00'), state: 'reported' },
      {
        action: 'classify',
        at: t('02-20T12:00'),
        state: 'classified',
        severity: 'general',
        deadline: t('02-27T12:00'),
      },
      { action: 'assign', at: t('02-21T09:00'), state: 'assigned' },
      {
        action: 'supervise',
        at: t('03-05T09:00'),
        state: 'assigned',
        note: '限期三日内整改',
        by: 'town_operator',
      },
      {
        action: 'escalate',
        at: t('03-10T09:00'),
        state: 'assigned',
        level: 'town',
        note: '村级无法拆除违建',
      },
      { action: 'escalate', at: t('03-20T09:00'), state: 'assigned', level: 'county', note: '需执法拆除' },
      {
        action: 'escalate',
        at: t('03-25T09:00'),
        state: 'assigned',
        level: 'department',
        department: 'housing',
        deadline: t('04-30T12:00'),
        note: '转住建部门',
      },
    ],
  },
  {
    key: 'H3',
    category: 'hazardous_chemicals',
    title: '危化品仓库超量储存',
    steps: [
      { action: 'report', at: t('03-18T10:00'), state: 'reported' },
      {
        action: 'classify',
        at: t('03-18T12:00'),
        state: 'classified',
        severity: 'major',
        deadline: t('03-25T12:00'),
      },
      { action: 'assign', at: t('03-19T09:00'), state: 'assigned' },
      { action: 'escalate', at: t('03-20T09:00'), state: 'assigned', level: 'town', note: '企业拒不整改' },
      {
        action: 'escalate',
        at: t('03-22T09:00'),
        state: 'assigned',
        level: 'county',
        note: '需多部门联合执法',
      },
    ],
  },
  {
    key: 'H4',
    category: 'lpg',
    title: '餐馆液化气钢瓶无减压阀',
    steps: [
      { action: 'report', at: t('03-03T10:00'), state: 'reported' },
      {
        action: 'classify',
        at: t('03-03T12:00'),
        state: 'classified',
        severity: 'general',
        deadline: t('03-10T12:00'),
      },
      { action: 'assign', at: t('03-04T09:00'), state: 'assigned' },
      { action: 'start', at: t('03-05T09:00'), state: 'handling' },
      { action: 'submit', at: t('03-12T09:00'), state: 'checking' },
      { action: 'accept', at: t('03-20T09:00'), state: 'closed' },
    ],
  },
  {
    key: 'H5',
    category: 'road_traffic',
    title: '路口警示标志缺失',
    steps: [
      { action: 'report', at: t('03-04T10:00'), state: 'reported' },
      {
        action: 'classify',
        at: t('03-04T12:00'),
        state: 'classified',
        severity: 'general',
        deadline: t('04-10T12:00'),
      },
      { action: 'assign', at: t('03-05T09:00'), state: 'assigned' },
    ],
  },
  {
    key: 'H6',
    category: 'fire_safety',
    title: '楼道电动车充电',
    steps: [
      { action: 'report', at: t('02-10T10:00'), state: 'reported' },
      {
        action: 'classify',
        at: t('02-10T12:00'),
        state: 'classified',
        severity: 'general',
        deadline: t('02-17T12:00'),
      },
      { action: 'assign', at: t('02-11T09:00'), state: 'assigned' },
      { action: 'start', at: t('02-12T09:00'), state: 'handling' },
      { action: 'submit', at: t('02-15T09:00'), state: 'checking' },
      { action: 'accept', at: t('02-20T09:00'), state: 'closed' },
    ],
  },
  {
    key: 'H7',
    category: 'fire_safety',
    title: '三合一场所住人',
    steps: [
      { action: 'report', at: t('03-28T10:00'), state: 'reported' },
      {
        action: 'classify',
        at: t('03-28T12:00'),
        state: 'classified',
        severity: 'major',
        deadline: t('04-04T12:00'),
      },
      { action: 'assign', at: t('03-29T09:00'), state: 'assigned' },
      { action: 'start', at: t('03-30T09:00'), state: 'handling' },
      // closed after the month: March's lists must still show it open
      { action: 'submit', at: t('04-01T09:00'), state: 'checking' },
      { action: 'accept', at: t('04-02T09:00'), state: 'closed' },
    ],
  },
];

describe.each(BACKENDS)('periodic lists and the monthly bulletin on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let county: { authorization: string };
  const ids: Record<string, number> = {};
  const title: Record<string, string> = {};

  const get = async <T>(url: string, who = county) => {
    const res = await app.inject({ url, headers: who });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const keysOf = (rows: { id: number }[]) =>
    rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id)).sort();

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db);
    county = await authHeader(app, 'county_operator');
    const { rows } = await db.pool.query<{ lon: number; lat: number; village: string }>(`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat, admin_code AS village
        FROM (SELECT admin_code, ST_PointOnSurface(geom) AS p FROM grid
               WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
               ORDER BY code LIMIT 1) g`);
    const at = rows[0]!;
    const users = await db.pool.query<{ username: string; id: string; role: string }>(
      `SELECT username, id::text, role FROM app_user`,
    );
    const user = (name: string) => users.rows.find((u) => u.username === name)!;
    for (const h of HISTORIES) {
      const last = h.steps.at(-1)!;
      const levelOf = (i: number) => h.steps.slice(0, i + 1).reduce((l, s) => s.level ?? l, 'village');
      const deadlineOf = (i: number) =>
        h.steps.slice(0, i + 1).reduce<string | null>((d, s) => s.deadline ?? d, null);
      const severity = h.steps.find((s) => s.severity)?.severity ?? null;
      const end = h.steps.length - 1;
      const inserted = await db.pool.query<{ id: string }>(
        `INSERT INTO hazard (category, description, state, severity, geom, location_crs, village_code, reporter_id,
                             reported_at, deadline, closed_at, responsible, level, department, supervised_at)
         VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326), 'wgs84', $7, $8, $9, $10, $11,
                 '某某责任单位', $12, $13, $14) RETURNING id`,
        [
          h.category,
          h.title,
          last.state,
          severity,
          at.lon,
          at.lat,
          at.village,
          user('grid_member').id,
          h.steps[0]!.at,
          deadlineOf(end),
          last.state === 'closed' ? last.at : null,
          levelOf(end),
          last.department ?? null,
          h.steps.find((s) => s.action === 'supervise')?.at ?? null,
        ],
      );
      const id = Number(inserted.rows[0]!.id);
      ids[h.key] = id;
      title[h.key] = h.title;
      let state: string | null = null;
      let level: string | null = null;
      let department: string | null = null;
      for (const [i, s] of h.steps.entries()) {
        const actor = user(s.by ?? (s.action === 'report' ? 'grid_member' : 'village_officer'));
        const toLevel = levelOf(i);
        if (s.level) department = s.department ?? null;
        const data =
          s.action === 'classify'
            ? { severity: s.severity, category: h.category }
            : s.action === 'supervise'
              ? { pressed: { level, department, assigneeId: null } }
              : {};
        await db.pool.query(
          `INSERT INTO hazard_step (hazard_id, n, action, from_state, to_state, from_level, to_level, department,
                                    actor_id, actor_role, note, deadline, data, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            id,
            i + 1,
            s.action,
            state,
            s.state,
            level,
            toLevel,
            department,
            actor.id,
            actor.role,
            s.note ?? null,
            s.deadline ?? null,
            JSON.stringify(data),
            s.at,
          ],
        );
        state = s.state;
        level = toLevel;
      }
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('lists the key hazards of each half month by department, as they stood at its end', async () => {
    const first = await get<KeyHazardList>('/api/ledger/key-hazards?half=2025-03-1');
    expect(first).toMatchObject({
      half: '2025-03-1',
      from: '2025-02-28T16:00:00.000Z',
      to: '2025-03-15T16:00:00.000Z',
      asOf: '2025-03-15T16:00:00.000Z',
      final: true,
    });
    expect(first.departments.map((d) => [d.department, keysOf(d.rows)])).toEqual([
      ['fire', ['H1']],
      ['housing', ['H2', 'H4']],
    ]);
    const rows = first.departments.flatMap((d) => d.rows);
    const row = (k: string) => rows.find((r) => r.id === ids[k])!;
    // H1: major, closed in the half; H2 and H4 overdue at its end, H2 escalated to the town and pressed
    expect(row('H1')).toMatchObject({ reasons: ['major'], state: 'closed', rectified: true, isNew: true });
    expect(row('H2')).toMatchObject({
      reasons: ['overdue', 'escalated', 'supervised'],
      state: 'assigned',
      level: 'town',
      department: 'housing',
      overdue: true,
      overdueDays: 16,
      isNew: false,
      pressed: 1,
      lastPressed: { by: expect.any(String), level: 'village', note: '限期三日内整改' },
    });
    expect(row('H2').moves).toEqual([
      expect.objectContaining({
        action: 'escalate',
        fromLevel: 'village',
        toLevel: 'town',
        note: '村级无法拆除违建',
      }),
    ]);
    expect(row('H4')).toMatchObject({
      reasons: ['overdue'],
      state: 'checking',
      overdue: true,
      overdueDays: 5,
    });
    expect(first.total).toEqual({ listed: 3, new: 2, rectified: 1, open: 2, overdue: 2 });

    const second = await get<KeyHazardList>('/api/ledger/key-hazards?half=2025-03-2');
    expect(second.departments.map((d) => [d.department, keysOf(d.rows)])).toEqual([
      ['fire', ['H7']],
      ['emergency', ['H3']],
      ['housing', ['H2', 'H4']],
    ]);
    const later = second.departments.flatMap((d) => d.rows);
    const row2 = (k: string) => later.find((r) => r.id === ids[k])!;
    // H7 was closed on 2 April: March's list shows it being handled
    expect(row2('H7')).toMatchObject({
      state: 'handling',
      reasons: ['major'],
      closedAt: null,
      rectified: false,
    });
    // H2 now sits with the housing department and a new deadline: escalated, no longer overdue
    expect(row2('H2')).toMatchObject({
      level: 'department',
      reasons: ['escalated', 'supervised'],
      overdue: false,
    });
    expect(row2('H2').moves.map((m) => m.toLevel)).toEqual(['town', 'county', 'department']);
    expect(row2('H3')).toMatchObject({
      reasons: ['major', 'overdue', 'escalated'],
      level: 'county',
      overdueDays: 6,
    });
    // H4 was closed late in the half
    expect(row2('H4')).toMatchObject({
      state: 'closed',
      rectified: true,
      reasons: ['overdue'],
      overdue: false,
    });
    expect(second.total).toEqual({ listed: 4, new: 2, rectified: 1, open: 3, overdue: 1 });

    const housing = await get<KeyHazardList>('/api/ledger/key-hazards?half=2025-03-2&department=housing');
    expect(housing.departments.map((d) => d.department)).toEqual(['housing']);
  });

  it("gives a department handler its own department's list only", async () => {
    const fire = await authHeader(app, 'department_handler');
    const first = await get<KeyHazardList>('/api/ledger/key-hazards?half=2025-03-1', fire);
    expect(first.departments.map((d) => [d.department, keysOf(d.rows)])).toEqual([['fire', ['H1']]]);
    const joint = await get<MonthList>('/api/ledger/joint-tackling?month=2025-03', fire);
    expect(joint.rows).toEqual([]);
  });

  it('lists for the city what the county has not removed, and for the leader what stays open after pressing', async () => {
    const joint = await get<MonthList>('/api/ledger/joint-tackling?month=2025-03');
    // H2 sits with a department but is neither major nor overdue; H7 is major but still in its village
    expect(keysOf(joint.rows)).toEqual(['H3']);
    expect(joint.byDepartment).toEqual([
      { department: 'emergency', listed: 1, new: 1, rectified: 0, open: 1, overdue: 1 },
    ]);
    const coordination = await get<MonthList>('/api/ledger/coordination?month=2025-03');
    expect(keysOf(coordination.rows)).toEqual(['H2']);
    expect(coordination.rows[0]).toMatchObject({
      reasons: ['escalated', 'supervised'],
      department: 'housing',
    });
    const february = await get<MonthList>('/api/ledger/coordination?month=2025-02');
    expect(february.rows).toEqual([]);
  });

  it('bulletins the month beside the one before, with the towns ranked', async () => {
    const b = await get<Bulletin>('/api/ledger/bulletin?month=2025-03');
    expect(b.total).toMatchObject({
      found: 5,
      rectified: 2,
      rate: 0.4,
      closedInMonth: 2,
      open: 4,
      overdue: 1,
      pressed: 1,
    });
    expect(b.total.patrolUnits).toBeGreaterThan(0);
    expect(b.previous).toMatchObject({
      month: '2025-02',
      found: 2,
      rectified: 1,
      rate: 0.5,
      closedInMonth: 1,
    });
    expect(b.towns[0]).toMatchObject({ rank: 1, found: 5, rectified: 2, rate: 0.4 });
    expect(b.towns.slice(1).every((town) => town.found === 0 && town.rate === null)).toBe(true);
    expect(b.towns.length).toBeGreaterThan(1);
    expect(b.categories).toEqual(
      [
        { category: 'fire_safety', found: 2, rectified: 1, major: 2 },
        { category: 'rental_housing', found: 0, rectified: 0, major: 0 },
        { category: 'lpg', found: 1, rectified: 1, major: 0 },
        { category: 'hazardous_chemicals', found: 1, rectified: 0, major: 1 },
        { category: 'road_traffic', found: 1, rectified: 0, major: 0 },
      ].filter((c) => c.found > 0),
    );
    expect(b.lists).toEqual({
      keyHazards: [
        { half: '2025-03-1', listed: 3 },
        { half: '2025-03-2', listed: 4 },
      ],
      jointTackling: 1,
      coordination: 1,
    });
  });

  it('exports each list as an Excel workbook and a printable page', async () => {
    const xlsx = await app.inject({
      url: '/api/ledger/key-hazards?half=2025-03-2&format=xlsx',
      headers: county,
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers['content-disposition']).toMatch(
      /^attachment; filename="key-hazards-2025-03-2\.xlsx"/,
    );
    const sheets = await readXlsxFile(xlsx.rawPayload);
    expect(sheets.map((s) => s.sheet)).toEqual(['说明', '汇总', '消防救援', '应急管理', '住房建设']);
    expect(sheets[0]!.data[0]![0]).toMatch(/重点隐患清单（2025年3月下半月）$/);
    const housing = sheets[4]!.data;
    const header = housing.findIndex((r) => r[0] === '序号');
    expect(housing[header]).toContain('隐患');
    const listedTitles = housing.slice(header + 1).map((r) => r[housing[header]!.indexOf('隐患')]);
    expect(listedTitles.sort()).toEqual([title.H2, title.H4].sort());
    const summary = sheets[1]!.data.slice(2).map((r) => r.slice(0, 2));
    expect(summary).toEqual([
      ['消防救援', 1],
      ['应急管理', 1],
      ['住房建设', 2],
    ]);

    const bulletin = await app.inject({
      url: '/api/ledger/bulletin?month=2025-03&format=xlsx',
      headers: county,
    });
    const bulletinSheets = await readXlsxFile(bulletin.rawPayload);
    expect(bulletinSheets.map((s) => s.sheet)).toEqual(['说明', '乡镇排名', '隐患类别']);
    expect(bulletinSheets[0]!.data.flat().join('')).toContain(
      '本月发现隐患 5 条（上月 2 条），已整改 2 条，整改率 40%',
    );

    for (const [url, heading] of [
      ['/api/ledger/joint-tackling?month=2025-03&format=html', '联合攻坚清单（2025年3月）'],
      ['/api/ledger/coordination?month=2025-03&format=html', '提请协调清单（2025年3月）'],
      ['/api/ledger/bulletin?month=2025-03&format=html', '月度通报（2025年3月）'],
    ] as const) {
      const page = await app.inject({ url, headers: county });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain(heading);
      expect(page.body).toContain('@page { size: A4 landscape');
    }
    const joint = await app.inject({
      url: '/api/ledger/joint-tackling?month=2025-03&format=html',
      headers: county,
    });
    expect(joint.body).toContain(title.H3);
    expect(joint.body).not.toContain(title.H2);
  });

  it('stands the current period at now, and names the bad field', async () => {
    const now = await get<KeyHazardList>('/api/ledger/key-hazards');
    expect(now.final).toBe(false);
    expect(Date.parse(now.asOf)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(now.to)).toBeGreaterThan(Date.now());
    for (const [url, field] of [
      ['/api/ledger/key-hazards?half=2025-03-3', 'query.half'],
      ['/api/ledger/key-hazards?department=police', 'query.department'],
      ['/api/ledger/bulletin?month=2025-13', 'query.month'],
      ['/api/ledger/coordination?format=pdf', 'query.format'],
    ] as const) {
      const res = await app.inject({ url, headers: county });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ field: string }>().field).toBe(field);
    }
  });
});
