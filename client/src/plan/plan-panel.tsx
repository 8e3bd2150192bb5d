/**
 * The planner's panel (`?view=plan`): the county's people within reach by road beside the circles; three
 * tabs — the ranked gap table per town / village / unit grid with its CSV and GeoJSON exports, the
 * service districts with their 建标152-2017 verdicts, and the hydrant gaps (GB 50974-2014). The map shows
 * the tab's layers.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STATION_TIERS } from '../../../shared/src/domain.ts';
import { GAP_LEVELS, SITING_MAX_K, SITING_OBJECTIVES } from '../../../shared/src/schemas/coverage.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { uiStore, type UiState } from '../app/ui-store.ts';
import { PanelTabs, ViewPanelHeader } from '../panels/view-panel.tsx';
import { GRID_DATASET_BY_LEVEL } from '../data/datasets.ts';
import { districtStore } from '../data/district-store.ts';
import { formatNumber } from '../i18n/format.ts';
import { planStore } from './plan-instance.ts';
import type { PlanState, PlanTab } from './plan-store.ts';
import type { LiveProgress } from '../../../shared/src/schemas/live.ts';

/** Rows of the gap table drawn (the export has them all). */
export const PLAN_TABLE_ROWS = 15;
const TABS: PlanTab[] = ['gaps', 'districts', 'hydrants', 'whatif'];

const selectPlan = (state: PlanState) => state;
const selectSelection = (state: UiState) => state.selection;

/** A long computation's progress, as the server reports it: the task, its stage, how far (README "Progress"). */
function PlanProgress({ report, n }: { report: LiveProgress; n: (x: number) => string }) {
  const { t } = useTranslation();
  const pct = Math.round(report.fraction * 100);
  const task = t(`plan.progress.tasks.${report.task}`);
  return (
    <div
      className="plan-progress"
      data-testid="plan-progress"
      data-task={report.task}
      data-stage={report.stage}
      role="progressbar"
      aria-label={task}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <span>
        {t('plan.progress.line', {
          task,
          stage: t(`plan.progress.stages.${report.stage}`),
          index: report.stageIndex,
          stages: report.stages,
        })}
        {report.total > 1 && ` · ${n(report.done)} / ${n(report.total)}`} · {pct}%
      </span>
      <span className="plan-progress-bar">
        <span style={{ width: `${pct}%` }} />
      </span>
    </div>
  );
}

export function PlanPanel() {
  const { t, i18n } = useTranslation();
  const plan = useStoreSelector(planStore, selectPlan);
  const selection = useStoreSelector(uiStore, selectSelection);
  const [k, setK] = useState(3);
  const [objective, setObjective] = useState<(typeof SITING_OBJECTIVES)[number]>('population');
  const n = (x: number, digits = 0) => formatNumber(x, i18n.language, digits);

  useEffect(() => {
    void planStore.load();
    return () => planStore.reset();
  }, []);

  const totals = plan.reach?.totals ?? plan.gaps?.totals;
  const method = plan.reach?.method;
  const rescue = plan.reach?.forces.filter((f) => f.tier === 'rescue_station') ?? [];
  const circleKm2 = rescue.reduce((s, f) => s + f.circleKm2, 0);
  const overKm2 = rescue.reduce((s, f) => s + f.overstatedKm2, 0);
  return (
    <section className="panel plan-panel" data-testid="plan-panel" aria-label={t('plan.title')}>
      <ViewPanelHeader title={t('plan.title')} />
      {method && (
        <p className="desk-hint">{t('plan.hint', { turnout: method.turnoutMin, cell: method.cellM })}</p>
      )}
      {totals && (
        <p className="plan-totals" data-testid="plan-totals" data-road={totals.byRoad.population}>
          {t('plan.totals', {
            road: n(totals.byRoad.population),
            roadPct: n(totals.byRoad.sharePct, 1),
            circle: n(totals.byCircle.population),
            circlePct: n(totals.byCircle.sharePct, 1),
            total: n(totals.population),
          })}
          {circleKm2 > 0 && <> · {t('plan.overstates', { pct: n((100 * overKm2) / circleKm2, 1) })}</>}
        </p>
      )}
      {plan.loading.length > 0 && <p className="load-status">{t('plan.loading')}</p>}
      {Object.values(plan.progress).map((report) => (
        <PlanProgress key={report.token} report={report} n={n} />
      ))}
      {plan.error && (
        <p className="desk-error" role="alert">
          {plan.error}
        </p>
      )}
      <PanelTabs
        tabs={TABS}
        current={plan.tab}
        onChange={(tab) => planStore.setTab(tab)}
        label={(tab) => t(`plan.tabs.${tab}`)}
        testId={(tab) => `plan-tab-${tab}`}
      />

      {plan.tab === 'gaps' && (
        <>
          <div className="plan-controls">
            <label>
              {t('plan.level')}{' '}
              <select
                data-testid="plan-level"
                value={plan.level}
                onChange={(e) => void planStore.setLevel(e.target.value as PlanState['level'])}
              >
                {GAP_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {t(`plan.levels.${level}`)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              data-testid="plan-export-csv"
              onClick={() => void planStore.download('csv')}
            >
              {t('plan.exportCsv')}
            </button>
            <button type="button" onClick={() => void planStore.download('geojson')}>
              {t('plan.exportGeojson')}
            </button>
            <button type="button" data-testid="plan-report" onClick={() => void planStore.openReport()}>
              {t('plan.report')}
            </button>
          </div>
          <table className="plan-table" data-testid="plan-gaps">
            <thead>
              <tr>
                <th>{t('plan.columns.name')}</th>
                <th>{t('plan.columns.uncoveredPopulation')}</th>
                <th>{t('plan.columns.uncoveredPct')}</th>
                <th>{t('plan.columns.highRisk')}</th>
                <th>{t('plan.columns.hazards')}</th>
              </tr>
            </thead>
            <tbody>
              {(plan.gaps?.rows ?? []).slice(0, PLAN_TABLE_ROWS).map((row) => (
                <tr
                  key={row.code}
                  data-testid="plan-gap-row"
                  data-code={row.code}
                  className={plan.picked === row.code ? 'plan-row-picked' : undefined}
                  onClick={() => {
                    planStore.pick(row.code);
                    // the grid itself is outlined on the map and shown in the detail panel
                    const grids = districtStore.getSnapshot().datasets[GRID_DATASET_BY_LEVEL[row.level]];
                    const feature = grids?.find((f) => String(f.id) === row.code);
                    uiStore.select(feature ? { collection: 'grids', feature } : null);
                  }}
                >
                  <td>{row.name}</td>
                  <td className="num">{n(row.uncoveredPopulation)}</td>
                  <td className="num">{n(row.uncoveredPct, 1)}%</td>
                  <td className="num">{n(row.uncoveredEnterprises.red + row.uncoveredEnterprises.orange)}</td>
                  <td className="num">{n(row.uncoveredOpenHazards)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {(plan.gaps?.rows.length ?? 0) > PLAN_TABLE_ROWS && (
            <p className="desk-hint">{t('plan.more', { n: plan.gaps!.rows.length - PLAN_TABLE_ROWS })}</p>
          )}
        </>
      )}

      {plan.tab === 'districts' && (
        <ul className="plan-districts" data-testid="plan-districts">
          {(plan.districts?.districts ?? []).map((d) => (
            <li key={d.id} data-testid="plan-district" data-pass={String(d.verdict?.pass ?? '')}>
              <strong>
                {t('plan.district', {
                  name: d.name,
                  cls: d.stationClass ? t(`enums.stationClass.${d.stationClass}`) : t(`enums.tier.${d.tier}`),
                })}
              </strong>{' '}
              {d.verdict && (
                <span className={d.verdict.pass ? 'plan-pass' : 'plan-fail'}>
                  {d.verdict.pass ? `✓ ${t('plan.pass')}` : `✗ ${t('plan.fail')}`}
                </span>
              )}
              <br />
              {t('plan.districtArea', { km2: n(d.areaKm2, 2), max: d.verdict?.area.maxKm2 ?? '–' })}
              {' · '}
              {t('plan.districtEdge', {
                min: n(d.verdict?.edge.minutes ?? d.edgeDriveS / 60, 1),
                max: d.verdict?.edge.maxMinutes ?? '–',
              })}
            </li>
          ))}
        </ul>
      )}

      {plan.tab === 'hydrants' && plan.hydrants && (
        <ul className="plan-hydrants" data-testid="plan-hydrants">
          <li>
            {t('plan.hydrantCount', {
              inService: n(plan.hydrants.hydrants.inService),
              total: n(plan.hydrants.hydrants.total),
            })}
          </li>
          <li data-testid="plan-hydrant-roads">
            {t('plan.hydrantRoads', {
              km: n(plan.hydrants.roads.uncoveredKm, 1),
              r: plan.hydrants.radiusM,
              pct: n(plan.hydrants.roads.uncoveredPct, 1),
            })}
          </li>
          <li>{t('plan.hydrantSpacing', { n: n(plan.hydrants.spacing.over), m: plan.hydrants.spacingM })}</li>
        </ul>
      )}

      {plan.tab === 'whatif' && (
        <div className="plan-whatif" data-testid="plan-whatif">
          <p className="desk-hint">{t('plan.whatif.hint')}</p>
          <div className="plan-controls">
            <label>
              {t('plan.whatif.tier')}{' '}
              <select
                data-testid="plan-tier"
                value={plan.tier}
                onChange={(e) => planStore.setTier(e.target.value as PlanState['tier'])}
              >
                {STATION_TIERS.map((tier) => (
                  <option key={tier} value={tier}>
                    {t(`enums.tier.${tier}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('plan.whatif.k')}{' '}
              <input
                type="number"
                min={1}
                max={SITING_MAX_K}
                value={k}
                data-testid="plan-k"
                onChange={(e) => setK(Math.max(1, Math.min(SITING_MAX_K, Number(e.target.value) || 1)))}
              />
            </label>
            <select
              aria-label={t('plan.whatif.objective')}
              value={objective}
              onChange={(e) => setObjective(e.target.value as typeof objective)}
            >
              {SITING_OBJECTIVES.map((o) => (
                <option key={o} value={o}>
                  {t(`plan.whatif.objectives.${o}`)}
                </option>
              ))}
            </select>
            <button type="button" data-testid="plan-site" onClick={() => void planStore.site(k, objective)}>
              {t('plan.whatif.site')}
            </button>
          </div>
          {plan.siting && (
            <>
              <ol className="plan-siting" data-testid="plan-siting">
                {plan.siting.steps.map((step, i) => (
                  <li key={i} data-testid="plan-siting-step">
                    {t('plan.whatif.step', {
                      gain: n(step.gain.population),
                      risk: n(step.gain.highRiskEnterprises),
                      pct: n(step.sharePct, 1),
                    })}
                  </li>
                ))}
              </ol>
              <p className="desk-hint">{plan.siting.method}</p>
              <button type="button" onClick={() => void planStore.adoptSiting()}>
                {t('plan.whatif.adopt')}
              </button>
            </>
          )}
          {selection?.collection === 'stations' && (
            <button
              type="button"
              data-testid="plan-switch-off"
              onClick={() => void planStore.toggleOff(String(selection.feature.id))}
            >
              {plan.switchedOff.includes(String(selection.feature.id))
                ? t('plan.whatif.switchOn', { name: selection.feature.properties.name })
                : t('plan.whatif.switchOff', { name: selection.feature.properties.name })}
            </button>
          )}
          <ul className="plan-proposed">
            {plan.proposed.map((p, i) => (
              <li key={i} data-testid="plan-proposed">
                {t('plan.whatif.proposed', {
                  tier: t(`enums.tier.${p.tier}`),
                  lon: p.lon.toFixed(5),
                  lat: p.lat.toFixed(5),
                })}{' '}
                <button
                  type="button"
                  aria-label={t('plan.whatif.drop')}
                  onClick={() => void planStore.drop(i)}
                >
                  ×
                </button>
              </li>
            ))}
            {plan.switchedOff.map((code) => (
              <li key={code}>
                {t('plan.whatif.off', { code })}{' '}
                <button
                  type="button"
                  aria-label={t('plan.whatif.drop')}
                  onClick={() => void planStore.toggleOff(code)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          {plan.whatIf && (
            <div data-testid="plan-whatif-result" data-delta={plan.whatIf.deltaPopulation}>
              <p className="plan-totals">
                {t('plan.whatif.delta', {
                  delta: `${plan.whatIf.deltaPopulation >= 0 ? '+' : ''}${n(plan.whatIf.deltaPopulation)}`,
                  pct: n(plan.whatIf.totals.byRoad.sharePct, 1),
                  was: n(plan.whatIf.baseline.byRoad.sharePct, 1),
                })}
              </p>
              <ul className="plan-changed">
                {plan.whatIf.changed.slice(0, 8).map((c) => (
                  <li key={c.code}>
                    {t('plan.whatif.changed', { name: c.name, before: n(c.before), after: n(c.after) })}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
