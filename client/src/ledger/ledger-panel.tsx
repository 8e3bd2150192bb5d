/**
 * The ledger panel (`?view=ledger`), two tabs for a chosen month: patrol compliance per town / village /
 * unit grid (weekly patrols and the monthly reports; worst first, the map coloured by it), and the
 * periodic lists with the monthly bulletin (their figures here, Excel and the printable page to take away).
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPLIANCE_LEVELS } from '../../../shared/src/schemas/patrol.ts';
import type { ListCounts, ListedHazard } from '../../../shared/src/schemas/ledger.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { uiStore } from '../app/ui-store.ts';
import { viewStore } from '../app/view.ts';
import { PanelTabs, ViewPanelHeader } from '../panels/view-panel.tsx';
import { GRID_DATASET_BY_LEVEL } from '../data/datasets.ts';
import { districtStore } from '../data/district-store.ts';
import { formatNumber } from '../i18n/format.ts';
import { COMPLIANCE_CLASSES, complianceClass, cssRgb } from '../map/symbols.ts';
import { ledgerStore } from './ledger-instance.ts';
import { RollcallTab } from './rollcall-tab.tsx';
import { LEDGER_LISTS, type LedgerFigures, type LedgerState, type LedgerTab } from './ledger-store.ts';

/** Rows drawn in a table (the exports have them all). */
export const LEDGER_TABLE_ROWS = 15;
const TABS: LedgerTab[] = ['patrol', 'lists', 'rollcall'];

const selectLedger = (state: LedgerState) => state;

function Counts({ counts }: { counts: ListCounts }) {
  const { t } = useTranslation();
  return (
    <p className="plan-totals" data-testid="ledger-counts" data-listed={counts.listed}>
      {t('ledger.counts', counts)}
    </p>
  );
}

function HazardRows({ rows }: { rows: readonly ListedHazard[] }) {
  const { t } = useTranslation();
  return (
    <table className="plan-table" data-testid="ledger-rows">
      <thead>
        <tr>
          <th>{t('ledger.columns.hazard')}</th>
          <th>{t('ledger.columns.department')}</th>
          <th>{t('ledger.columns.state')}</th>
          <th>{t('ledger.columns.overdueDays')}</th>
          <th>{t('ledger.columns.reasons')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, LEDGER_TABLE_ROWS).map((row) => (
          <tr
            key={row.id}
            data-testid="ledger-row"
            data-id={row.id}
            title={t('ledger.openHazard')}
            onClick={() => viewStore.show({ view: 'inbox', hazardId: row.id })}
          >
            <td>
              #{row.id} {row.title}
            </td>
            <td>{t(`inbox.departments.${row.department}`)}</td>
            <td>{t(`inbox.states.${row.state}`)}</td>
            <td className="num">{row.overdue ? row.overdueDays : ''}</td>
            <td>{row.reasons.map((r) => t(`ledger.reasons.${r}`)).join(t('ledger.join'))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Figures({ figures }: { figures: LedgerFigures }) {
  const { t, i18n } = useTranslation();
  const n = (x: number, digits = 0) => formatNumber(x, i18n.language, digits);
  const pct = (rate: number | null) => (rate === null ? '—' : `${n(rate * 100, 1)}%`);
  if (figures.list === 'key-hazards') {
    const rows = figures.value.departments.flatMap((d) => d.rows);
    return (
      <>
        <Counts counts={figures.value.total} />
        <ul className="plan-districts" data-testid="ledger-departments">
          {figures.value.departments.map((d) => (
            <li key={d.department} data-department={d.department}>
              <strong>{t(`inbox.departments.${d.department}`)}</strong> {t('ledger.counts', d)}
            </li>
          ))}
        </ul>
        <HazardRows rows={rows} />
      </>
    );
  }
  if (figures.list === 'bulletin') {
    const b = figures.value;
    return (
      <>
        <p className="plan-totals" data-testid="ledger-bulletin" data-found={b.total.found}>
          {t('ledger.bulletin', {
            found: n(b.total.found),
            rectified: n(b.total.rectified),
            rate: pct(b.total.rate),
            previous: pct(b.previous.rate),
            open: n(b.total.open),
            overdue: n(b.total.overdue),
            pressed: n(b.total.pressed),
          })}
        </p>
        <table className="plan-table" data-testid="ledger-towns">
          <thead>
            <tr>
              <th>{t('ledger.columns.rank')}</th>
              <th>{t('ledger.columns.town')}</th>
              <th>{t('ledger.columns.found')}</th>
              <th>{t('ledger.columns.rate')}</th>
              <th>{t('ledger.columns.overdue')}</th>
              <th>{t('ledger.columns.patrol')}</th>
            </tr>
          </thead>
          <tbody>
            {b.towns.slice(0, LEDGER_TABLE_ROWS).map((town) => (
              <tr key={town.code} data-testid="ledger-town" data-code={town.code}>
                <td className="num">{town.rank}</td>
                <td>{town.name}</td>
                <td className="num">{n(town.found)}</td>
                <td className="num">{pct(town.rate)}</td>
                <td className="num">{n(town.overdue)}</td>
                <td className="num">{n(town.patrolPct, 1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
  }
  return (
    <>
      <Counts counts={figures.value.total} />
      <HazardRows rows={figures.value.rows} />
    </>
  );
}

export function LedgerPanel() {
  const { t, i18n } = useTranslation();
  const ledger = useStoreSelector(ledgerStore, selectLedger);
  const n = (x: number, digits = 0) => formatNumber(x, i18n.language, digits);

  useEffect(() => {
    void ledgerStore.load();
    return () => ledgerStore.reset();
  }, []);

  const compliance = ledger.compliance;
  const rows = [...(compliance?.rows ?? [])].sort(
    (a, b) => a.compliantPct - b.compliantPct || a.code.localeCompare(b.code),
  );
  return (
    <section className="panel plan-panel" data-testid="ledger-panel" aria-label={t('ledger.title')}>
      <ViewPanelHeader title={t('ledger.title')} />
      {/* the roll-call tab has a day of its own */}
      {ledger.tab !== 'rollcall' && (
        <div className="plan-controls">
          <label>
            {t('ledger.month')}{' '}
            <input
              type="month"
              data-testid="ledger-month"
              value={ledger.month}
              onChange={(e) => void ledgerStore.setMonth(e.target.value)}
            />
          </label>
        </div>
      )}
      {ledger.loading > 0 && <p className="load-status">{t('ledger.loading')}</p>}
      {ledger.error && (
        <p className="desk-error" role="alert" data-testid="ledger-error">
          {ledger.error}
        </p>
      )}
      <PanelTabs
        tabs={TABS}
        current={ledger.tab}
        onChange={(tab) => ledgerStore.setTab(tab)}
        label={(tab) => t(`ledger.tabs.${tab}`)}
        testId={(tab) => `ledger-tab-${tab}`}
      />

      {ledger.tab === 'patrol' && (
        <>
          <div className="plan-controls">
            <label>
              {t('plan.level')}{' '}
              <select
                data-testid="ledger-level"
                value={ledger.level}
                onChange={(e) => void ledgerStore.setLevel(e.target.value as LedgerState['level'])}
              >
                {COMPLIANCE_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {t(`plan.levels.${level}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {compliance && (
            <p
              className="plan-totals"
              data-testid="ledger-compliance-total"
              data-compliant={compliance.total.compliant}
              data-units={compliance.total.units}
            >
              {t('ledger.complianceTotal', {
                compliant: n(compliance.total.compliant),
                units: n(compliance.total.units),
                pct: n(compliance.total.compliantPct, 1),
                reports: compliance.rule.reportsPerMonth,
                minutes: Math.round(compliance.rule.minInsideS / 60),
              })}
              {!compliance.monthOver && ` ${t('ledger.monthRunning')}`}
            </p>
          )}
          <ul className="ledger-legend" data-testid="ledger-legend">
            {COMPLIANCE_CLASSES.map((c) => (
              <li key={c.key}>
                <i className="ledger-swatch" style={{ background: cssRgb(c.colour) }} />
                {t(`ledger.classes.${c.key}`)}
              </li>
            ))}
          </ul>
          <table className="plan-table" data-testid="ledger-compliance">
            <thead>
              <tr>
                <th>{t('plan.columns.name')}</th>
                <th>{t('ledger.columns.patrolOk')}</th>
                <th>{t('ledger.columns.reportsOk')}</th>
                <th>{t('ledger.columns.compliant')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, LEDGER_TABLE_ROWS).map((row) => (
                <tr
                  key={row.code}
                  data-testid="ledger-compliance-row"
                  data-code={row.code}
                  data-pct={row.compliantPct}
                  className={ledger.picked === row.code ? 'plan-row-picked' : undefined}
                  onClick={() => {
                    ledgerStore.pick(row.code);
                    const grids = districtStore.getSnapshot().datasets[GRID_DATASET_BY_LEVEL[row.level]];
                    const feature = grids?.find((f) => String(f.id) === row.code);
                    uiStore.select(feature ? { collection: 'grids', feature } : null);
                  }}
                >
                  <td>
                    <i
                      className="ledger-swatch"
                      style={{ background: cssRgb(complianceClass(row.compliantPct).colour) }}
                    />
                    {row.name}
                  </td>
                  <td className="num">
                    {n(row.patrolOk)} / {n(row.units)}
                  </td>
                  <td className="num">
                    {n(row.reportsOk)} / {n(row.units)}
                  </td>
                  <td className="num">{n(row.compliantPct, 1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > LEDGER_TABLE_ROWS && (
            <p className="desk-hint">{t('plan.more', { n: rows.length - LEDGER_TABLE_ROWS })}</p>
          )}
        </>
      )}

      {ledger.tab === 'lists' && (
        <>
          <div className="plan-controls">
            <select
              data-testid="ledger-list"
              value={ledger.list}
              onChange={(e) => void ledgerStore.setList(e.target.value as LedgerState['list'])}
            >
              {LEDGER_LISTS.map((list) => (
                <option key={list} value={list}>
                  {t(`ledger.lists.${list}`)}
                </option>
              ))}
            </select>
            {ledger.list === 'key-hazards' && (
              <select
                data-testid="ledger-half"
                value={ledger.half}
                onChange={(e) => void ledgerStore.setHalf(Number(e.target.value) as 1 | 2)}
              >
                <option value={1}>{t('ledger.halves.1')}</option>
                <option value={2}>{t('ledger.halves.2')}</option>
              </select>
            )}
            <button type="button" data-testid="ledger-excel" onClick={() => void ledgerStore.downloadExcel()}>
              {t('ledger.excel')}
            </button>
            <button type="button" data-testid="ledger-print" onClick={() => void ledgerStore.print()}>
              {t('ledger.print')}
            </button>
          </div>
          <p className="desk-hint">{t(`ledger.rules.${ledger.list}`)}</p>
          {ledger.figures && !ledger.figures.value.final && (
            <p className="desk-hint">{t('ledger.periodRunning')}</p>
          )}
          {ledger.figures?.list === ledger.list && <Figures figures={ledger.figures} />}
        </>
      )}

      {ledger.tab === 'rollcall' && <RollcallTab />}
    </section>
  );
}
