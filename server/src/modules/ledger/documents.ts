/**
 * The lists and the bulletin as documents in Chinese: an Excel workbook (write-excel-file) and a
 * printable page (A4 landscape). One table description serves both, so the two cannot disagree.
 */
import writeXlsxFile, { type Cell, type Row } from 'write-excel-file/node';
import type { Department } from '../../../../shared/src/auth.ts';
import type {
  Bulletin,
  KeyHazardList,
  ListCounts,
  ListedHazard,
  ListedReason,
  MonthList,
} from '../../../../shared/src/schemas/ledger.ts';
import {
  CATEGORY_ZH,
  DEPARTMENT_ZH,
  HAZARD_LEVEL_ZH,
  HAZARD_STATE_ZH,
  SEVERITY_ZH,
} from '../../../../shared/src/zh.ts';
import { beijingDate, escapeHtml, printStyle, zhDateTime, zhNumber } from '../../print.ts';

const REASON_ZH: Record<ListedReason, string> = {
  major: '重大隐患',
  overdue: '超期',
  escalated: '提级处置',
  supervised: '督办',
};

type Value = string | number | null;
/** A column: its header, width in characters, value and whether it is a figure (right-aligned). */
interface Column<T> {
  header: string;
  width: number;
  value: (row: T, index: number) => Value;
  figure?: boolean;
}

/** A titled table: a section of the page, a sheet of the workbook. */
interface Table<T> {
  title: string;
  sheet: string;
  columns: Column<T>[];
  rows: T[];
  /** a line under the title */
  note?: string;
}

const pct = (rate: number | null) => (rate === null ? '—' : `${zhNumber(rate * 100, 1)}%`);

const moveText = (h: ListedHazard) =>
  h.moves
    .map(
      (m) =>
        `${beijingDate(m.at).slice(5)} ${HAZARD_LEVEL_ZH[m.fromLevel]}→${
          m.toLevel === 'department' && m.department
            ? DEPARTMENT_ZH[m.department]
            : HAZARD_LEVEL_ZH[m.toLevel]
        }${m.note ? `：${m.note}` : ''}`,
    )
    .join('；');

const pressedText = (h: ListedHazard) =>
  h.lastPressed
    ? `${h.pressed} 次（最近 ${beijingDate(h.lastPressed.at).slice(5)} ${h.lastPressed.by} 督办${
        HAZARD_LEVEL_ZH[h.lastPressed.level]
      }${h.lastPressed.note ? `：${h.lastPressed.note}` : ''}）`
    : '—';

/** The columns of every list of hazards. */
const HAZARD_COLUMNS: Column<ListedHazard>[] = [
  { header: '序号', width: 5, value: (_, i) => i + 1, figure: true },
  { header: '编号', width: 8, value: (h) => h.id, figure: true },
  { header: '隐患', width: 36, value: (h) => h.title },
  { header: '类别', width: 12, value: (h) => CATEGORY_ZH[h.category] },
  { header: '等级', width: 9, value: (h) => SEVERITY_ZH[h.severity ?? 'none'] },
  { header: '主管部门', width: 10, value: (h) => DEPARTMENT_ZH[h.department] },
  { header: '乡镇（街道）', width: 12, value: (h) => h.townName ?? h.town },
  { header: '村（社区）', width: 12, value: (h) => h.villageName ?? h.village },
  { header: '责任单位', width: 16, value: (h) => h.responsible },
  { header: '发现日期', width: 11, value: (h) => beijingDate(h.reportedAt) },
  { header: '整改时限', width: 11, value: (h) => (h.deadline ? beijingDate(h.deadline) : '—') },
  { header: '状态', width: 8, value: (h) => HAZARD_STATE_ZH[h.state] },
  { header: '所在层级', width: 10, value: (h) => HAZARD_LEVEL_ZH[h.level] },
  { header: '超期天数', width: 8, value: (h) => (h.overdue ? h.overdueDays : null), figure: true },
  { header: '列入原因', width: 14, value: (h) => h.reasons.map((r) => REASON_ZH[r]).join('、') },
  { header: '提级经过', width: 30, value: moveText },
  { header: '督办情况', width: 30, value: pressedText },
];

/** A department's counts: the summary of every list by department. */
const DEPARTMENT_COUNT_COLUMNS: Column<ListCounts & { department: Department }>[] = [
  { header: '主管部门', width: 12, value: (d) => DEPARTMENT_ZH[d.department] },
  { header: '列入', width: 8, value: (c) => c.listed, figure: true },
  { header: '本期新增', width: 9, value: (c) => c.new, figure: true },
  { header: '本期整改', width: 9, value: (c) => c.rectified, figure: true },
  { header: '期末未整改', width: 10, value: (c) => c.open, figure: true },
  { header: '期末超期', width: 9, value: (c) => c.overdue, figure: true },
];

const countsText = (c: ListCounts) =>
  `共 ${c.listed} 条：本期新增 ${c.new} 条，本期整改 ${c.rectified} 条，期末未整改 ${c.open} 条，其中超期 ${c.overdue} 条`;

/** "2026年11月" or "2026年11月上半月". */
export function periodZh(period: string): string {
  const [y, m, half] = period.split('-');
  return `${y}年${Number(m)}月${half === undefined ? '' : half === '1' ? '上半月' : '下半月'}`;
}

/** A document: its title, what it stands at, and its tables. */
export interface LedgerDocument {
  title: string;
  /** file name without extension (ASCII) */
  file: string;
  meta: string;
  summary: string[];
  tables: Table<never>[];
}

const asOfText = (l: { asOf: string; final: boolean }) =>
  l.final
    ? `统计截至 ${zhDateTime(new Date(l.asOf))}`
    : `统计截至 ${zhDateTime(new Date(l.asOf))}（本期尚未结束，数字仍会变化）`;

const table = <T>(t: Table<T>) => t as unknown as Table<never>;

export function keyHazardDocument(l: KeyHazardList): LedgerDocument {
  return {
    title: `${l.areaName}重点隐患清单（${periodZh(l.half)}）`,
    file: `key-hazards-${l.half}`,
    meta: asOfText(l),
    summary: [
      `列入标准：本半月内曾未整改，且为重大隐患、超过整改时限或已提级处置的隐患，按行业主管部门分列。`,
      countsText(l.total),
    ],
    tables: [
      table({
        title: '各部门汇总',
        sheet: '汇总',
        columns: DEPARTMENT_COUNT_COLUMNS,
        rows: l.departments,
      }),
      ...l.departments.map((d) =>
        table({
          title: `${DEPARTMENT_ZH[d.department]}（${d.listed} 条）`,
          sheet: DEPARTMENT_ZH[d.department],
          note: countsText(d),
          columns: HAZARD_COLUMNS,
          rows: d.rows,
        }),
      ),
    ],
  };
}

function monthDocument(l: MonthList, name: string, file: string, rule: string): LedgerDocument {
  return {
    title: `${l.areaName}${name}（${periodZh(l.month)}）`,
    file: `${file}-${l.month}`,
    meta: asOfText(l),
    summary: [rule, countsText(l.total)],
    tables: [
      table({
        title: '清单',
        sheet: '清单',
        columns: HAZARD_COLUMNS,
        rows: l.rows,
      }),
      table({
        title: '按主管部门',
        sheet: '按部门',
        columns: DEPARTMENT_COUNT_COLUMNS,
        rows: l.byDepartment,
      }),
    ],
  };
}

export const jointTacklingDocument = (l: MonthList) =>
  monthDocument(
    l,
    '联合攻坚清单',
    'joint-tackling',
    '列入标准：月末仍在区县网格化中心或县级部门、未能整改的重大隐患或超期隐患，提请市级主管部门提级化解。',
  );

export const coordinationDocument = (l: MonthList) =>
  monthDocument(
    l,
    '提请协调清单',
    'coordination',
    '列入标准：经督查督办后月末仍未整改的隐患，报请分管领导协调推动。',
  );

export function bulletinDocument(b: Bulletin): LedgerDocument {
  const t = b.total;
  const p = b.previous;
  const change = (now: number | null, before: number | null) =>
    now === null || before === null
      ? ''
      : `（上月 ${pct(before)}，${now >= before ? '上升' : '下降'} ${zhNumber(Math.abs(now - before) * 100, 1)} 个百分点）`;
  const listCount = b.lists.keyHazards.map((k) => `${periodZh(k.half)} ${k.listed} 条`).join('，');
  type Town = Bulletin['towns'][number];
  type Category = Bulletin['categories'][number];
  return {
    title: `${b.areaName}安全生产网格化工作月度通报（${periodZh(b.month)}）`,
    file: `bulletin-${b.month}`,
    meta: asOfText(b),
    summary: [
      `本月发现隐患 ${t.found} 条（上月 ${p.found} 条），已整改 ${t.rectified} 条，整改率 ${pct(t.rate)}${change(t.rate, p.rate)}；` +
        `本月办结隐患 ${t.closedInMonth} 条（含往月）。`,
      `月末未整改 ${t.open} 条，其中超期 ${t.overdue} 条；本月督查督办 ${t.pressed} 次。`,
      `网格巡查：${t.patrolUnits} 个单元网格中 ${t.patrolCompliant} 个每周有巡查且每月信息报送不少于 2 条（${pct(
        t.patrolUnits ? t.patrolCompliant / t.patrolUnits : null,
      )}）。`,
      `重点隐患清单：${listCount || '无'}；联合攻坚清单 ${b.lists.jointTackling} 条；提请协调清单 ${b.lists.coordination} 条。`,
    ],
    tables: [
      table<Town>({
        title: '乡镇（街道）排名',
        sheet: '乡镇排名',
        note: '按整改率从高到低（本月未发现隐患的排在后），整改率相同时超期少者在前，再按巡查达标率。',
        columns: [
          { header: '名次', width: 6, value: (r) => r.rank, figure: true },
          { header: '乡镇（街道）', width: 14, value: (r) => r.name },
          { header: '发现', width: 8, value: (r) => r.found, figure: true },
          { header: '已整改', width: 8, value: (r) => r.rectified, figure: true },
          { header: '整改率', width: 9, value: (r) => pct(r.rate), figure: true },
          { header: '本月办结', width: 9, value: (r) => r.closedInMonth, figure: true },
          { header: '月末未整改', width: 10, value: (r) => r.open, figure: true },
          { header: '超期', width: 7, value: (r) => r.overdue, figure: true },
          { header: '督办次数', width: 9, value: (r) => r.pressed, figure: true },
          {
            header: '巡查达标网格',
            width: 12,
            value: (r) => `${r.patrolCompliant} / ${r.patrolUnits}`,
            figure: true,
          },
          { header: '巡查达标率', width: 10, value: (r) => `${zhNumber(r.patrolPct, 1)}%`, figure: true },
        ],
        rows: b.towns,
      }),
      table<Category>({
        title: '隐患类别',
        sheet: '隐患类别',
        columns: [
          { header: '类别', width: 14, value: (r) => CATEGORY_ZH[r.category] },
          { header: '发现', width: 8, value: (r) => r.found, figure: true },
          { header: '其中重大隐患', width: 12, value: (r) => r.major, figure: true },
          { header: '已整改', width: 8, value: (r) => r.rectified, figure: true },
          {
            header: '整改率',
            width: 9,
            value: (r) => pct(r.found ? r.rectified / r.found : null),
            figure: true,
          },
        ],
        rows: b.categories,
      }),
    ],
  };
}

/** The printable page. */
export function renderPage(d: LedgerDocument): string {
  const section = (t: Table<never>) => {
    const head = t.columns.map((c) => `<th>${escapeHtml(c.header)}</th>`).join('');
    const body = t.rows.length
      ? t.rows
          .map(
            (row, i) =>
              `<tr>${t.columns
                .map((c) => {
                  const v = c.value(row, i);
                  return `<td${c.figure ? ' class="n"' : ''}>${v === null ? '' : escapeHtml(String(v))}</td>`;
                })
                .join('')}</tr>`,
          )
          .join('\n')
      : `<tr><td colspan="${t.columns.length}">无</td></tr>`;
    return `<h2>${escapeHtml(t.title)}</h2>
${t.note ? `<p class="note">${escapeHtml(t.note)}</p>\n` : ''}<table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
  };
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(d.title)}</title>
<style>
${printStyle(true)}
</style>
</head>
<body>
<h1>${escapeHtml(d.title)}</h1>
<p class="meta">${escapeHtml(d.meta)} · 网格化安全生产与5分钟消防圈指挥平台</p>
${d.summary.map((s) => `<p>${escapeHtml(s)}</p>`).join('\n')}
${d.tables.map(section).join('\n')}
</body>
</html>
`;
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], unique. */
const sheetName = (name: string, taken: Set<string>) => {
  const base = name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
  let out = base;
  for (let i = 2; taken.has(out); i++) out = `${base} ${i}`;
  taken.add(out);
  return out;
};

/** A sheet of a workbook of several (the last overload's argument). */
type XlsxSheet = Parameters<typeof writeXlsxFile>[0][number];

/** The workbook: a cover sheet (title, what it stands at, the summary), then one sheet per table. */
export async function renderWorkbook(d: LedgerDocument): Promise<Buffer> {
  const taken = new Set<string>();
  const bold = (value: string, fontSize?: number): Cell => ({ value, fontWeight: 'bold', fontSize });
  const cover: XlsxSheet = {
    sheet: sheetName('说明', taken),
    columns: [{ width: 120 }],
    data: [[bold(d.title, 14)], [d.meta], [null], ...d.summary.map((s): Row => [{ value: s, wrap: true }])],
  };
  const sheets = d.tables.map((t): XlsxSheet => {
    const data: Row[] = [
      [{ ...bold(t.title, 12), columnSpan: t.columns.length }],
      ...(t.note ? [[{ value: t.note, columnSpan: t.columns.length }] as Row] : []),
      t.columns.map((c) => ({ ...bold(c.header), backgroundColor: '#EEEEEE', wrap: true })),
      ...t.rows.map((row, i): Row =>
        t.columns.map((c) => {
          const value = c.value(row, i);
          return value === null ? null : { value, wrap: typeof value === 'string' && value.length > c.width };
        }),
      ),
    ];
    return {
      sheet: sheetName(t.sheet, taken),
      columns: t.columns.map((c) => ({ width: c.width })),
      stickyRowsCount: t.note ? 3 : 2,
      data,
    };
  });
  return writeXlsxFile([cover, ...sheets], { fontFamily: 'Microsoft YaHei' }).toBuffer();
}
