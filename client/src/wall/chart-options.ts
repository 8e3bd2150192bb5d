/**
 * The wall's charts as pure functions: the summary becomes figures (rows of labelled values, which the
 * panel also writes out as tables for screen readers and tests), and figures become ECharts options.
 * Sizes are in multiples of the root font size (1rem = 20 px on a 1080p wall, 40 px on 4K), so the
 * charts read the same from 3 m on both.
 *
 * Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies), and nothing is
 * told by colour alone: bars carry their category on the axis and their value at the end, and the
 * force statuses carry a pattern (ECharts decals) as well as a colour.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { SAFETY_CATEGORIES, STATION_STATUSES, STATION_TIERS } from '../../../shared/src/domain.ts';
import { HAZARD_LEVELS } from '../../../shared/src/hazard-workflow.ts';
import { HAZARD_STATES } from '../../../shared/src/schemas/hazards.ts';
import type { WallSummary } from '../../../shared/src/schemas/wall.ts';

/** Okabe & Ito (2008), "Color Universal Design". */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  grey: '#9AA5B1',
} as const;

export const WALL_CHARTS = ['categories', 'states', 'overdue', 'forces', 'patrols'] as const;
export type WallChartId = (typeof WALL_CHARTS)[number];
export const WALL_GAUGES = ['rate', 'cover'] as const;
export type WallGaugeId = (typeof WALL_GAUGES)[number];

export interface FigureSeries {
  key: string;
  name: string;
  colour: string;
  /** a pattern over the colour (a second cue besides colour) */
  decal?: 'stripes' | 'dots';
}
export interface FigureRow {
  key: string;
  label: string;
  /** one value per series */
  values: number[];
}
export interface ChartFigure {
  id: WallChartId;
  series: FigureSeries[];
  rows: FigureRow[];
  /** bars of the series stack (the forces' statuses) */
  stacked: boolean;
}
export interface GaugeFigure {
  id: WallGaugeId;
  /** 0..1, or null when there is nothing to divide */
  value: number | null;
  /** what the value is of: the caption under it */
  caption: string;
}

/** Categories shown by name; the rest are summed into one row. */
export const CATEGORY_ROWS = 4;
/** Towns with members on patrol shown by name (most first); the rest are summed into one row. */
export const PATROL_TOWN_ROWS = 4;

/** The first `shown` rows, and the rest summed into one row labelled `otherLabel(count)`. */
function topRows(rows: FigureRow[], shown: number, otherLabel: (count: number) => string): FigureRow[] {
  if (rows.length <= shown + 1) return rows;
  const rest = rows.slice(shown);
  return [
    ...rows.slice(0, shown),
    {
      key: 'other',
      label: otherLabel(rest.length),
      values: rows[0]!.values.map((_, i) => rest.reduce((n, row) => n + row.values[i]!, 0)),
    },
  ];
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface WallFigures {
  charts: Record<WallChartId, ChartFigure>;
  gauges: Record<WallGaugeId, GaugeFigure>;
}

export function wallFigures(summary: WallSummary, t: Translate): WallFigures {
  const periods: FigureSeries[] = [
    { key: 'today', name: t('wall.today'), colour: OKABE_ITO.orange },
    { key: 'month', name: t('wall.thisMonth'), colour: OKABE_ITO.skyBlue },
  ];
  const byPeriod = (
    keys: readonly string[],
    pick: (period: WallSummary['today']) => Record<string, number>,
    label: (key: string) => string,
  ): FigureRow[] =>
    keys.map((key) => ({
      key,
      label: label(key),
      values: [pick(summary.today)[key] ?? 0, pick(summary.thisMonth)[key] ?? 0],
    }));

  // the month's busiest categories by name (ties by the fixed order), the rest as one row
  const ranked = byPeriod(
    SAFETY_CATEGORIES,
    (p) => p.byCategory,
    (key) => t(`enums.category.${key}`),
  )
    .filter((row) => row.values[1]! > 0 || row.values[0]! > 0)
    .sort((a, b) => b.values[1]! - a.values[1]! || b.values[0]! - a.values[0]!);
  const categories = topRows(ranked, CATEGORY_ROWS, (count) => t('wall.otherCategories', { count }));
  // members on patrol by town, most first: inside their own grid, and outside it
  const patrolTowns = topRows(
    summary.patrols.byTown.map((town) => ({
      key: town.code,
      label: town.name,
      values: [town.onDuty - town.outsideGrid, town.outsideGrid],
    })),
    PATROL_TOWN_ROWS,
    (count) => t('wall.otherTowns', { count }),
  );

  return {
    charts: {
      categories: { id: 'categories', series: periods, rows: categories, stacked: false },
      states: {
        id: 'states',
        series: periods,
        rows: byPeriod(
          HAZARD_STATES,
          (p) => p.byState,
          (key) => t(`inbox.states.${key}`),
        ),
        stacked: false,
      },
      overdue: {
        id: 'overdue',
        series: [{ key: 'overdue', name: t('wall.overdue'), colour: OKABE_ITO.vermillion }],
        rows: HAZARD_LEVELS.map((level) => ({
          key: level,
          label: t(`inbox.levels.${level}`),
          values: [summary.overdueByLevel[level]],
        })),
        stacked: false,
      },
      forces: {
        id: 'forces',
        series: STATION_STATUSES.map((status) => ({
          key: status,
          name: t(`enums.stationStatus.${status}`),
          ...FORCE_STYLE[status],
        })),
        rows: STATION_TIERS.map((tier) => ({
          key: tier,
          label: t(`enums.tier.${tier}`),
          values: STATION_STATUSES.map((status) => summary.forces[tier][status]),
        })),
        stacked: true,
      },
      patrols: {
        id: 'patrols',
        series: [
          { key: 'inside', name: t('wall.insideOwnGrid'), colour: OKABE_ITO.bluishGreen },
          { key: 'outside', name: t('wall.outsideOwnGrid'), colour: OKABE_ITO.vermillion, decal: 'stripes' },
        ],
        rows:
          patrolTowns.length > 0
            ? patrolTowns
            : [{ key: 'none', label: t('wall.nobodyOnDuty'), values: [0, 0] }],
        stacked: true,
      },
    },
    gauges: {
      rate: {
        id: 'rate',
        value: summary.thisMonth.rate,
        caption: t('wall.rateCaption', {
          rectified: summary.thisMonth.rectified,
          found: summary.thisMonth.found,
        }),
      },
      cover: {
        id: 'cover',
        value: summary.coverage.share,
        caption: t('wall.coverCaption', {
          planned:
            summary.coverage.population > 0
              ? Math.round((summary.coverage.plannedPopulation / summary.coverage.population) * 1000) / 10
              : 0,
        }),
      },
    },
  };
}

const FORCE_STYLE: Record<(typeof STATION_STATUSES)[number], Omit<FigureSeries, 'key' | 'name'>> = {
  available: { colour: OKABE_ITO.bluishGreen },
  busy: { colour: OKABE_ITO.orange, decal: 'stripes' },
  out_of_service: { colour: OKABE_ITO.grey, decal: 'dots' },
};

export interface ChartStyle {
  /** the root font size in px */
  rem: number;
  /** formats a value as the wall's language writes numbers */
  number: (value: number) => string;
  text: string;
  muted: string;
  /** the wall's font stack (ECharts measures labels with it, so it must be a real family list) */
  fontFamily: string;
}

const decalOf = (decal: FigureSeries['decal'], rem: number) =>
  decal === 'stripes'
    ? {
        symbol: 'rect',
        symbolSize: 1,
        rotation: Math.PI / 4,
        dashArrayX: [1, 0],
        dashArrayY: [rem * 0.15, rem * 0.2],
        color: 'rgba(0,0,0,0.45)',
      }
    : decal === 'dots'
      ? {
          symbol: 'circle',
          symbolSize: 0.5,
          dashArrayX: [rem * 0.3, rem * 0.2],
          dashArrayY: [rem * 0.3, rem * 0.2],
          color: 'rgba(0,0,0,0.5)',
        }
      : undefined;

/** Horizontal bars, one row per category (first at the top), the value written at each bar's end. */
export function barOption(figure: ChartFigure, style: ChartStyle): EChartsCoreOption {
  const { rem } = style;
  const font = { color: style.text, fontSize: Math.round(rem * 0.72), fontFamily: style.fontFamily };
  const rows = [...figure.rows].reverse();
  return {
    animation: false,
    aria: { enabled: true, decal: { show: figure.series.some((s) => s.decal) } },
    // the axis labels stay inside the box however narrow it is (ECharts 6: outerBounds replaces containLabel)
    grid: {
      left: rem * 0.2,
      right: rem * (figure.series.length > 1 && !figure.stacked ? 3 : 1.8),
      top: figure.series.length > 1 ? rem * 1.2 : rem * 0.3,
      bottom: rem * 0.2,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
      outerBoundsClampWidth: '25%',
    },
    legend:
      figure.series.length > 1
        ? {
            top: 0,
            right: 0,
            itemWidth: rem * 0.8,
            itemHeight: rem * 0.55,
            textStyle: { ...font, color: style.muted },
            data: figure.series.map((s) => s.name),
          }
        : { show: false },
    xAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { show: false },
      splitLine: { lineStyle: { color: 'rgba(184,200,220,0.15)' } },
    },
    yAxis: {
      type: 'category',
      data: rows.map((row) => row.label),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: 'rgba(184,200,220,0.4)' } },
      // every category named, however tight (the box is sized for them)
      axisLabel: { ...font, interval: 0 },
    },
    series: figure.series.map((s, i) => ({
      type: 'bar',
      name: s.name,
      ...(figure.stacked && { stack: 'all' }),
      barMaxWidth: rem * 0.7,
      barGap: '15%',
      itemStyle: { color: s.colour, ...(s.decal && { decal: decalOf(s.decal, rem) }) },
      // one label per category, at the end of its last bar: the stack's total, or every series' value
      // as "today / month" (two labels on thin bars side by side would overlap)
      label: {
        show: i === figure.series.length - 1,
        position: 'right',
        ...font,
        fontWeight: 'bold',
        formatter: ({ dataIndex }: { dataIndex: number }) => {
          const values = rows[dataIndex]!.values;
          if (values.every((v) => v === 0)) return values.length === 1 || figure.stacked ? '0' : '';
          return figure.stacked
            ? style.number(values.reduce((n, v) => n + v, 0))
            : values.map((v) => style.number(v)).join(' / ');
        },
      },
      data: rows.map((row) => row.values[i]),
    })),
  };
}

/** A half-ring gauge of a share, written as a percentage in its middle. */
export function gaugeOption(figure: GaugeFigure, style: ChartStyle, colour: string): EChartsCoreOption {
  const { rem } = style;
  const percent = figure.value === null ? null : Math.round(figure.value * 1000) / 10;
  return {
    animation: false,
    series: [
      {
        type: 'gauge',
        startAngle: 200,
        endAngle: -20,
        min: 0,
        max: 100,
        radius: '95%',
        center: ['50%', '62%'],
        progress: { show: true, width: rem * 0.55, itemStyle: { color: colour } },
        axisLine: { lineStyle: { width: rem * 0.55, color: [[1, 'rgba(184,200,220,0.18)']] } },
        pointer: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: {
          valueAnimation: false,
          offsetCenter: [0, '0%'],
          fontSize: Math.round(rem * 1.1),
          fontFamily: style.fontFamily,
          fontWeight: 'bold',
          color: style.text,
          formatter: () => (percent === null ? '—' : `${style.number(percent)}%`),
        },
        data: [{ value: percent ?? 0 }],
      },
    ],
  };
}
