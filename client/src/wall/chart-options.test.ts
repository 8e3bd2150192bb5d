import { describe, expect, it } from 'vitest';
import { SAFETY_CATEGORIES, STATION_STATUSES, STATION_TIERS } from '../../../shared/src/domain.ts';
import { HAZARD_STATES } from '../../../shared/src/schemas/hazards.ts';
import type { WallHazardPeriod, WallSummary } from '../../../shared/src/schemas/wall.ts';
import {
  barOption,
  CATEGORY_ROWS,
  gaugeOption,
  OKABE_ITO,
  wallFigures,
  type ChartStyle,
} from './chart-options.ts';

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

function period(byCategory: Partial<Record<(typeof SAFETY_CATEGORIES)[number], number>>): WallHazardPeriod {
  const found = Object.values(byCategory).reduce((n, v) => n + (v ?? 0), 0);
  return {
    from: '2025-03-09T16:00:00.000Z',
    found,
    rectified: 1,
    rate: found ? 1 / found : null,
    byCategory: { ...zeros(SAFETY_CATEGORIES), ...byCategory },
    byState: { ...zeros(HAZARD_STATES), reported: found - 1, closed: 1 },
  };
}

const summary = (): WallSummary => ({
  scope: '320803',
  seq: 42,
  at: '2025-03-10T04:00:00.000Z',
  day: '2025-03-10',
  month: '2025-03',
  today: period({ lpg: 1, fire_safety: 2 }),
  thisMonth: period({
    fire_safety: 9,
    lpg: 3,
    construction: 5,
    road_traffic: 5,
    fireworks: 1,
    dust_explosion: 2,
    elderly_care: 1,
  }),
  open: 20,
  overdueByLevel: { village: 3, town: 1, county: 0, department: 2 },
  patrols: {
    onDuty: 30,
    outsideGrid: 4,
    byTown: [
      { code: '320803001', name: '淮城街道', onDuty: 12, outsideGrid: 2 },
      { code: '320803002', name: '河下街道', onDuty: 8, outsideGrid: 0 },
      { code: '320803101', name: '施河镇', onDuty: 5, outsideGrid: 1 },
      { code: '320803102', name: '车桥镇', onDuty: 2, outsideGrid: 1 },
      { code: '320803103', name: '流均镇', onDuty: 2, outsideGrid: 0 },
      { code: '320803104', name: '苏嘴镇', onDuty: 1, outsideGrid: 0 },
    ],
  },
  forces: Object.fromEntries(
    STATION_TIERS.map((tier, i) => [tier, { available: 10 + i, busy: i, out_of_service: 1 }]),
  ) as WallSummary['forces'],
  coverage: { population: 1000, nowPopulation: 586, plannedPopulation: 597, share: 0.586 },
});

/** The key itself, with its parameters: what is asked for is what is shown. */
const t = (key: string, options?: Record<string, unknown>) =>
  options ? `${key}${JSON.stringify(options)}` : key;

const style: ChartStyle = {
  rem: 20,
  number: (value) => String(value),
  text: '#fff',
  muted: '#ccc',
  fontFamily: 'sans-serif',
};

describe('wall figures', () => {
  it('ranks the month’s categories, names the busiest and sums the rest into one row', () => {
    const { categories } = wallFigures(summary(), t).charts;
    expect(categories.series.map((s) => s.key)).toEqual(['today', 'month']);
    // 7 categories with hazards: the 4 busiest by name (ties in the fixed order), 3 summed
    expect(categories.rows.map((r) => r.key)).toEqual([
      'fire_safety',
      'road_traffic',
      'construction',
      'lpg',
      'other',
    ]);
    expect(categories.rows).toHaveLength(CATEGORY_ROWS + 1);
    expect(categories.rows[0]).toEqual({
      key: 'fire_safety',
      label: 'enums.category.fire_safety',
      values: [2, 9],
    });
    expect(categories.rows[3]!.values).toEqual([1, 3]);
    expect(categories.rows[4]).toEqual({
      key: 'other',
      label: 'wall.otherCategories{"count":3}',
      values: [0, 4],
    });
  });

  it('shows every category by name when one row more would hold them', () => {
    const s = summary();
    s.thisMonth = period({ fire_safety: 2, lpg: 1 });
    s.today = period({});
    expect(wallFigures(s, t).charts.categories.rows.map((r) => [r.key, r.values])).toEqual([
      ['fire_safety', [0, 2]],
      ['lpg', [0, 1]],
    ]);
  });

  it('gives the states, the overdue levels and the forces in their fixed order', () => {
    const { charts, gauges } = wallFigures(summary(), t);
    expect(charts.states.rows.map((r) => r.key)).toEqual([...HAZARD_STATES]);
    expect(charts.states.rows.find((r) => r.key === 'closed')!.values).toEqual([1, 1]);
    expect(charts.overdue.rows.map((r) => [r.key, r.values[0]])).toEqual([
      ['village', 3],
      ['town', 1],
      ['county', 0],
      ['department', 2],
    ]);
    expect(charts.forces.stacked).toBe(true);
    expect(charts.forces.series.map((s) => s.key)).toEqual([...STATION_STATUSES]);
    expect(charts.forces.rows.map((r) => r.values)).toEqual([
      [10, 0, 1],
      [11, 1, 1],
      [12, 2, 1],
      [13, 3, 1],
    ]);
    expect(gauges.rate.value).toBeCloseTo(1 / 26);
    expect(gauges.cover.value).toBe(0.586);
    expect(gauges.cover.caption).toBe('wall.coverCaption{"planned":59.7}');
  });
});

describe('patrols on duty by town', () => {
  it('names the busiest towns, sums the rest, and stacks inside and outside the own grid', () => {
    const { patrols } = wallFigures(summary(), t).charts;
    expect(patrols.stacked).toBe(true);
    expect(patrols.series.map((s) => s.key)).toEqual(['inside', 'outside']);
    expect(patrols.rows.map((r) => [r.label, r.values])).toEqual([
      ['淮城街道', [10, 2]],
      ['河下街道', [8, 0]],
      ['施河镇', [4, 1]],
      ['车桥镇', [1, 1]],
      ['wall.otherTowns{"count":2}', [3, 0]],
    ]);
    // every member on duty is in the chart once
    expect(patrols.rows.flatMap((r) => r.values).reduce((a, b) => a + b, 0)).toBe(30);
  });

  it('says nobody is on patrol rather than drawing an empty chart', () => {
    const s = summary();
    s.patrols = { onDuty: 0, outsideGrid: 0, byTown: [] };
    expect(wallFigures(s, t).charts.patrols.rows).toEqual([
      { key: 'none', label: 'wall.nobodyOnDuty', values: [0, 0] },
    ]);
  });
});

describe('chart options', () => {
  type Bar = {
    type: string;
    stack?: string;
    data: number[];
    itemStyle: { color: string; decal?: unknown };
    label: { show: boolean; formatter: (p: { dataIndex: number }) => string };
  };
  const bars = (option: Record<string, unknown>) => option.series as Bar[];

  it('draws the first category at the top and writes “today / month” once per category', () => {
    const figure = wallFigures(summary(), t).charts.categories;
    const option = barOption(figure, style);
    const [today, month] = bars(option);
    // a category axis runs bottom-up: the rows are reversed so the busiest is on top
    expect((option.yAxis as { data: string[] }).data.at(-1)).toBe('enums.category.fire_safety');
    expect(month!.data.at(-1)).toBe(9);
    expect(today!.data.at(-1)).toBe(2);
    expect(today!.label.show).toBe(false);
    expect(month!.label.show).toBe(true);
    expect(month!.label.formatter({ dataIndex: 4 })).toBe('2 / 9');
    expect(today!.itemStyle.color).toBe(OKABE_ITO.orange);
  });

  it('stacks the forces, labels each tier with its total, and patterns the statuses besides colouring them', () => {
    const option = barOption(wallFigures(summary(), t).charts.forces, style);
    const series = bars(option);
    expect(series.every((s) => s.stack === 'all')).toBe(true);
    expect(series[0]!.itemStyle.decal).toBeUndefined();
    expect(series[1]!.itemStyle.decal).toBeDefined();
    expect(series[2]!.itemStyle.decal).toBeDefined();
    expect((option.aria as { decal: { show: boolean } }).decal.show).toBe(true);
    // the last tier (micro stations) is the top row: 13 + 3 + 1
    expect(series[2]!.label.formatter({ dataIndex: 0 })).toBe('17');
  });

  it('writes a gauge’s share as a percentage, and a dash when there is nothing to divide', () => {
    const gauge = (value: number | null) =>
      (
        gaugeOption({ id: 'rate', value, caption: '' }, style, OKABE_ITO.bluishGreen).series as {
          data: { value: number }[];
          detail: { formatter: () => string };
        }[]
      )[0]!;
    expect(gauge(0.8936).detail.formatter()).toBe('89.4%');
    expect(gauge(0.8936).data[0]!.value).toBe(89.4);
    expect(gauge(null).detail.formatter()).toBe('—');
  });
});
