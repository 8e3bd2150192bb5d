/**
 * The planner's printable report in Chinese (GET /api/coverage/report.html): the people within reach by
 * road beside the circles, a map picture (SVG: the area's boundary, the land outside the road reach and
 * the forces), the ranked gap table, the 建标152-2017 verdicts and the hydrant gaps, with the method and
 * the standards. Plain HTML and CSS laid out for A4, so the browser's print (or "save as PDF") is the
 * export; nothing is fetched from outside.
 */
import type {
  CoverageDistricts,
  CoverageGaps,
  CoverageReach,
  HydrantGaps,
} from '../../../../shared/src/schemas/coverage.ts';
import { escapeHtml as escape, printStyle, zhDateTime, zhNumber as num } from '../../print.ts';

const TIER_ZH: Record<string, string> = {
  rescue_station: '消防救援站',
  fulltime_team: '政府专职队',
  joint_station: '防消联勤服务站',
  micro_station: '微型消防站',
};
const CLASS_ZH: Record<string, string> = {
  class1: '一级站',
  class2: '二级站',
  small: '小型站',
  standard: '标准型站',
};
const TIER_COLOUR: Record<string, string> = {
  rescue_station: '#d55e00',
  fulltime_team: '#e69f00',
  joint_station: '#cc79a7',
  micro_station: '#009e73',
};
/** Rows of the gap table printed. */
export const REPORT_GAP_ROWS = 30;

/**
 * SVG path data of the rings already drawn, per ring list and projection: the uncovered land of an
 * area is the same array until the reach changes, and is most of the report's bytes.
 */
const drawn = new WeakMap<Ring[][], Map<string, string>>();

type Ring = [number, number][];

/** The map picture: rings projected into a box (equirectangular at the middle latitude, north up). */
function svgMap(
  boundary: Ring[][],
  uncovered: Ring[][],
  forces: { lon: number; lat: number; tier: string }[],
  width = 720,
  height = 520,
): string {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of boundary)
    for (const ring of poly)
      for (const [x, y] of ring)
        [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
  if (!Number.isFinite(w)) return '';
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = Math.min((width - 20) / ((e - w) * k), (height - 20) / (n - s));
  const px = (x: number) => (10 + (x - w) * k * scale).toFixed(1);
  const py = (y: number) => (10 + (n - y) * scale).toFixed(1);
  const frame = `${w},${n},${k},${scale}`;
  const path = (polys: Ring[][]) => {
    let byFrame = drawn.get(polys);
    if (!byFrame) drawn.set(polys, (byFrame = new Map()));
    let d = byFrame.get(frame);
    if (d === undefined) {
      d = polys
        .flatMap((poly) => poly)
        .filter((ring) => ring.length >= 4)
        .map((ring) => `M${ring.map(([x, y]) => `${px(x)},${py(y)}`).join('L')}Z`)
        .join('');
      if (byFrame.size >= 4) byFrame.clear();
      byFrame.set(frame, d);
    }
    return d;
  };
  const dots = forces
    .map(
      (f) =>
        `<circle cx="${px(f.lon)}" cy="${py(f.lat)}" r="${f.tier === 'micro_station' ? 2 : 4}" fill="${TIER_COLOUR[f.tier] ?? '#333'}" stroke="#fff" stroke-width="0.8"/>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="覆盖缺口示意图">
<path d="${path(boundary)}" fill="#f4f4f0" stroke="#333" stroke-width="1.2" fill-rule="evenodd"/>
<path d="${path(uncovered)}" fill="rgba(213,94,0,0.45)" stroke="rgba(213,94,0,0.9)" stroke-width="0.4" fill-rule="evenodd"/>
${dots}
</svg>`;
}

export interface ReportInputs {
  areaName: string;
  generatedAt: Date;
  boundary: Ring[][];
  reach: CoverageReach;
  gaps: CoverageGaps;
  districts: CoverageDistricts;
  hydrants: HydrantGaps;
  forces: { lon: number; lat: number; tier: string }[];
}

export function renderReport(r: ReportInputs): string {
  const t = r.reach.totals;
  const rescue = r.reach.forces.filter((f) => f.tier === 'rescue_station');
  const circle = rescue.reduce((n, f) => n + f.circleKm2, 0);
  const over = rescue.reduce((n, f) => n + f.overstatedKm2, 0);
  const date = zhDateTime(r.generatedAt);
  const gapRows = r.gaps.rows
    .slice(0, REPORT_GAP_ROWS)
    .map(
      (g, i) => `<tr><td>${i + 1}</td><td>${escape(g.name)}</td><td class="n">${num(g.population)}</td>
<td class="n">${num(g.uncoveredPopulation)}</td><td class="n">${num(g.uncoveredPct, 1)}%</td>
<td class="n">${num(g.uncoveredKm2, 2)}</td><td class="n">${g.uncoveredEnterprises.red + g.uncoveredEnterprises.orange}</td>
<td class="n">${g.uncoveredOpenHazards}</td></tr>`,
    )
    .join('\n');
  const districtRows = r.districts.districts
    .map((d) => {
      const v = d.verdict;
      return `<tr><td>${escape(d.name)}</td><td>${d.stationClass ? CLASS_ZH[d.stationClass] : TIER_ZH[d.tier]}</td>
<td class="n">${num(d.areaKm2, 2)}</td><td class="n">${v ? num(v.area.maxKm2) : '—'}</td>
<td class="n">${v ? num(v.edge.minutes, 1) : num(d.edgeDriveS / 60, 1)}</td>
<td class="${v?.pass ? 'pass' : 'fail'}">${v ? (v.pass ? '达标' : '不达标') : '—'}</td>
<td>${v ? [!v.area.pass && '辖区面积超标', !v.edge.pass && '辖区边缘超过 5 分钟'].filter(Boolean).join('；') : ''}</td></tr>`;
    })
    .join('\n');
  const h = r.hydrants;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escape(r.areaName)} 5分钟消防圈覆盖评估报告</title>
<style>
${printStyle()}
.figure { text-align: center; margin: 6pt 0; }
.legend span { display: inline-block; margin: 0 8pt; }
.swatch { display: inline-block; width: 10pt; height: 10pt; vertical-align: middle; margin-right: 3pt; border: 0.5pt solid #333; }
.note { color: #444; font-size: 9pt; }
</style>
</head>
<body>
<h1>${escape(r.areaName)} 5分钟消防圈覆盖评估报告</h1>
<p class="meta">生成时间 ${escape(date)} · 网格化安全生产与5分钟消防圈指挥平台</p>

<h2>一、总体情况</h2>
<table>
<tr><th>指标</th><th>道路可达（实际路网）</th><th>直线圆（传统画法）</th></tr>
<tr><td>覆盖人口</td><td class="n">${num(t.byRoad.population)}（${num(t.byRoad.sharePct, 1)}%）</td><td class="n">${num(t.byCircle.population)}（${num(t.byCircle.sharePct, 1)}%）</td></tr>
<tr><td>覆盖面积（km²）</td><td class="n">${num(t.byRoad.areaKm2, 2)}</td><td class="n">${num(t.byCircle.areaKm2, 2)}</td></tr>
<tr><td>总人口 / 网格面积（km²）</td><td class="n" colspan="2">${num(t.population)} / ${num(t.areaKm2, 2)}</td></tr>
</table>
<p>消防救援站的直线圆中，道路在规定时间内无法到达的面积为 ${num(over, 2)} km²，占圆面积的 ${num(circle ? (100 * over) / circle : 0, 1)}%。</p>

<div class="figure">
${svgMap(r.boundary, r.gaps.uncovered.coordinates as Ring[][], r.forces)}
<p class="legend"><span><i class="swatch" style="background: rgba(213,94,0,0.45)"></i>道路可达范围以外的网格用地</span>
<span><i class="swatch" style="background: #d55e00"></i>消防救援站</span><span><i class="swatch" style="background: #e69f00"></i>政府专职队</span>
<span><i class="swatch" style="background: #cc79a7"></i>防消联勤服务站</span><span><i class="swatch" style="background: #009e73"></i>微型消防站</span></p>
</div>

<h2>二、覆盖缺口（按村（社区），未覆盖人口从多到少，前 ${Math.min(REPORT_GAP_ROWS, r.gaps.rows.length)} 个）</h2>
<table>
<tr><th>序号</th><th>网格</th><th>人口</th><th>未覆盖人口</th><th>未覆盖面积占比</th><th>未覆盖面积（km²）</th><th>未覆盖高风险企业</th><th>未覆盖隐患</th></tr>
${gapRows}
</table>

<h2>三、消防站辖区评价（建标152-2017）</h2>
<table>
<tr><th>消防站</th><th>类别</th><th>辖区面积（km²）</th><th>面积上限（km²）</th><th>到达辖区边缘（分钟，含出动）</th><th>结论</th><th>原因</th></tr>
${districtRows}
</table>
<p class="note">辖区：各地块划归道路行程最先到达的消防站；到达时间 = 出动 ${r.reach.method.turnoutMin} 分钟 + 行车时间；标准要求接警出动后 5 分钟内到达辖区边缘。</p>

<h2>四、市政消火栓缺口（GB 50974-2014）</h2>
<table>
<tr><th>指标</th><th>数值</th></tr>
<tr><td>市政消火栓（在用 / 总数）</td><td class="n">${num(h.hydrants.inService)} / ${num(h.hydrants.total)}</td></tr>
<tr><td>道路总长（km）</td><td class="n">${num(h.roads.km, 1)}</td></tr>
<tr><td>距在用消火栓超过 ${h.radiusM} 米的道路（km）</td><td class="n">${num(h.roads.uncoveredKm, 1)}（${num(h.roads.uncoveredPct, 1)}%）</td></tr>
<tr><td>沿路间距超过 ${h.spacingM} 米的消火栓（个）</td><td class="n">${num(h.spacing.over)}</td></tr>
</table>

<h2>五、方法与依据</h2>
<p class="note">道路可达：各类消防力量的目标时间（消防救援站、政府专职队、防消联勤服务站 5 分钟，微型消防站 3 分钟）扣除 ${r.reach.method.turnoutMin} 分钟出动时间后，按路网行车时间（单行道、道路等级车速）计算可达道路，道路两侧 ${r.reach.method.trimM} 米以内用地计为可达；面积与人口按 ${r.reach.method.cellM} 米格网统计，单元网格人口在其用地上均匀分布。直线圆半径按建标152-2017 条文说明推算（1 分钟出动、4 分钟行车、车速 30 km/h、道路曲度系数 1.4）。消火栓保护半径 150 米、间距不超过 120 米（GB 50974-2014 第 7.2.5 条）。</p>
</body>
</html>
`;
}
