/**
 * The wall's statistics column (ECharts): hazards today and this month by category and by state, the
 * month's rectification rate, overdue cases by the level holding them, fire forces by tier and status,
 * grid members on patrol by town (inside and outside their own grid), and the share of people within their tier's minutes of an available force by road. Every figure
 * comes from GET /api/wall/summary and is read again when the live stream moves past it. Each chart's
 * figures are also written out as a table (for screen readers, and for the browser tests).
 */
import { BarChart, GaugeChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { session } from '../auth/page-session.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { formatClock, formatNumber } from '../i18n/format.ts';
import { liveStore } from '../live/live-store.ts';
import {
  barOption,
  gaugeOption,
  OKABE_ITO,
  wallFigures,
  type ChartFigure,
  type ChartStyle,
  type GaugeFigure,
} from './chart-options.ts';
import '../styles/wall-charts.css';
import { createWallSummaryStore, followWallSummary, type WallSummaryState } from './wall-summary.ts';

echarts.use([BarChart, GaugeChart, GridComponent, LegendComponent, AriaComponent, SVGRenderer]);

/** The page's one summary store (the charts mount and unmount with the view). */
export const wallSummaryStore = createWallSummaryStore();
const selectState = (state: WallSummaryState) => state;

/** The root font size in px, followed across window resizes (the wall scales with the viewport). */
function useRootRem(): number {
  const read = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 20;
  const [rem, setRem] = useState(read);
  useEffect(() => {
    const onResize = () => setRem(read());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return rem;
}

/** One ECharts instance in a box that sizes it; the option replaces the previous one whole. */
function Chart({ option, testId }: { option: EChartsCoreOption; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const element = box.current!;
    const instance = echarts.init(element, null, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);
  return <div className="wall-chart-canvas" ref={box} data-testid={testId} />;
}

/** The figures of a chart as a table: one row per category, one column per series. */
function FigureTable({ figure, caption }: { figure: ChartFigure; caption: string }) {
  return (
    <table className="sr-only" data-testid={`wall-table-${figure.id}`}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th />
          {figure.series.map((s) => (
            <th key={s.key} scope="col">
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {figure.rows.map((row) => (
          <tr key={row.key} data-key={row.key} data-values={row.values.join(',')}>
            <th scope="row">{row.label}</th>
            {row.values.map((value, i) => (
              <td key={figure.series[i]!.key}>{value}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The height a bar chart needs, in rem: a line per category (0.9rem holds its 0.72rem label), the
 * series' legend and the caption; charts with more bars also get more of the column's spare height.
 */
const barRem = (figure: ChartFigure) =>
  Math.max(1, figure.rows.length) * 0.9 + (figure.series.length > 1 ? 1.2 : 0) + 1.1;
const barUnits = (figure: ChartFigure) =>
  Math.max(1, figure.rows.length) * (figure.stacked ? 1 : figure.series.length);

/** The column's height is shared by bar rows: a chart (or a pair side by side) of more bars gets more. */
const barFlex = (...figures: ChartFigure[]) =>
  `${Math.max(...figures.map(barUnits))} 0 ${Math.max(...figures.map(barRem))}rem`;

function BarPanel({
  figure,
  title,
  style,
  paired = false,
}: {
  figure: ChartFigure;
  title: string;
  style: ChartStyle;
  /** one of a pair in a row (the row takes the column's height) */
  paired?: boolean;
}) {
  const option = useMemo(() => barOption(figure, style), [figure, style]);
  return (
    <figure
      className={`wall-chart wall-chart-${figure.id}`}
      data-testid={`wall-chart-${figure.id}`}
      style={paired ? undefined : { flex: barFlex(figure) }}
    >
      <figcaption>{title}</figcaption>
      <Chart option={option} testId={`wall-canvas-${figure.id}`} />
      <FigureTable figure={figure} caption={title} />
    </figure>
  );
}

function GaugePanel({
  figure,
  title,
  style,
  colour,
}: {
  figure: GaugeFigure;
  title: string;
  style: ChartStyle;
  colour: string;
}) {
  const option = useMemo(() => gaugeOption(figure, style, colour), [figure, style, colour]);
  return (
    <figure
      className={`wall-chart wall-gauge wall-gauge-${figure.id}`}
      data-testid={`wall-gauge-${figure.id}`}
      data-value={figure.value ?? ''}
    >
      <figcaption>{title}</figcaption>
      <Chart option={option} testId={`wall-canvas-${figure.id}`} />
      <p className="wall-gauge-caption">{figure.caption}</p>
    </figure>
  );
}

export function WallCharts() {
  const { t, i18n } = useTranslation();
  const { summary, readAt, failed } = useStoreSelector(wallSummaryStore, selectState);
  const rem = useRootRem();
  useEffect(() => followWallSummary({ live: liveStore, store: wallSummaryStore, fetch: session.fetch }), []);
  const language = i18n.language;
  const style = useMemo<ChartStyle>(
    () => ({
      rem,
      number: (value) => formatNumber(value, language, 1),
      text: '#f4f8ff',
      muted: '#b8c8dc',
      fontFamily: getComputedStyle(document.documentElement).fontFamily,
    }),
    [rem, language],
  );
  // the figures follow the summary and the language
  const figures = useMemo(
    () => (summary ? wallFigures(summary, t) : null),
    // t keeps its identity across a language switch: the language is what changes
    [summary, t, language],
  );
  const n = (value: number) => formatNumber(value, language);

  return (
    <section
      className={`panel wall-charts${failed ? ' is-stale' : ''}`}
      data-testid="wall-charts"
      data-seq={summary?.seq ?? ''}
      aria-label={t('wall.title')}
    >
      <header className="wall-charts-header">
        <h2>{t('wall.title')}</h2>
        <span className="wall-charts-fresh" data-testid="wall-charts-fresh">
          {summary && readAt !== null
            ? t(failed ? 'wall.staleAt' : 'wall.freshAt', {
                time: formatClock(new Date(readAt), language).time,
              })
            : t('wall.loading')}
        </span>
      </header>
      {summary && figures && (
        <>
          <dl className="wall-kpis">
            <div data-testid="wall-kpi-today">
              <dt>{t('wall.foundToday')}</dt>
              <dd>{n(summary.today.found)}</dd>
            </div>
            <div data-testid="wall-kpi-month">
              <dt>{t('wall.foundMonth')}</dt>
              <dd>{n(summary.thisMonth.found)}</dd>
            </div>
            <div data-testid="wall-kpi-open">
              <dt>{t('wall.open')}</dt>
              <dd>{n(summary.open)}</dd>
            </div>
            <div data-testid="wall-kpi-patrols" data-outside={summary.patrols.outsideGrid}>
              <dt>{t('wall.patrols')}</dt>
              <dd>
                {n(summary.patrols.onDuty)}
                {summary.patrols.outsideGrid > 0 && (
                  <small>{t('wall.outsideGrid', { count: summary.patrols.outsideGrid })}</small>
                )}
              </dd>
            </div>
          </dl>
          <BarPanel figure={figures.charts.categories} title={t('wall.charts.categories')} style={style} />
          {/* the states' short names and the towns' leave room for two charts side by side */}
          <div
            className="wall-chart-pair"
            style={{ flex: barFlex(figures.charts.states, figures.charts.patrols) }}
          >
            <BarPanel figure={figures.charts.states} title={t('wall.charts.states')} style={style} paired />
            <BarPanel figure={figures.charts.patrols} title={t('wall.charts.patrols')} style={style} paired />
          </div>
          <div className="wall-chart-row">
            <BarPanel figure={figures.charts.overdue} title={t('wall.charts.overdue')} style={style} />
            <GaugePanel
              figure={figures.gauges.rate}
              title={t('wall.charts.rate')}
              style={style}
              colour={OKABE_ITO.bluishGreen}
            />
            <GaugePanel
              figure={figures.gauges.cover}
              title={t('wall.charts.cover')}
              style={style}
              colour={OKABE_ITO.skyBlue}
            />
          </div>
          <BarPanel figure={figures.charts.forces} title={t('wall.charts.forces')} style={style} />
        </>
      )}
    </section>
  );
}
