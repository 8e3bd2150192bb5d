/** Live counters (open hazards, patrols on duty, forces available by tier) and the event ticker. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STATION_TIERS } from '../../../shared/src/domain.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { formatClock, formatNumber } from '../i18n/format.ts';
import { liveStore, overdueHazards, type LiveState, type TickerItem } from '../live/live-store.ts';
import { stationIcon } from '../map/icons.ts';
import { DeskSwitch, LedgerSwitch, PlanSwitch, ViewSwitch } from './view-switch.tsx';

const selectCounters = (state: LiveState) => state.counters;
const selectTicker = (state: LiveState) => state.ticker;
const selectHazards = (state: LiveState) => state.hazards;
const selectCoverageLoss = (state: LiveState) => state.coverageLoss;

/** What busy forces leave uncovered, and the move-up that wins most of it back (right column, under the legend). */
export function CoverageLossPanel() {
  const { t, i18n } = useTranslation();
  const loss = useStoreSelector(liveStore, selectCoverageLoss);
  const n = (value: number, digits = 0) =>
    formatNumber(Math.round(value * 10 ** digits) / 10 ** digits, i18n.language);
  const lost = loss !== null && loss.lost.roadNodes > 0;
  return (
    <section
      className={`panel live-coverage-loss${lost ? ' is-alert' : ''}`}
      data-testid="live-coverage-loss"
      data-lost-population={loss?.lost.population ?? ''}
      aria-label={t('live.coverageLoss.title')}
    >
      <h2>
        {lost ? '▲ ' : ''}
        {t('live.coverageLoss.title')}
      </h2>
      {loss === null && <p>{t('live.coverageLoss.waiting')}</p>}
      {loss !== null && !lost && <p>{t('live.coverageLoss.none')}</p>}
      {lost && (
        <>
          <p className="live-coverage-loss-figures">
            {t('live.coverageLoss.lost', {
              population: n(loss.lost.population),
              area: n(loss.lost.areaKm2, 1),
              enterprises: n(loss.lost.highRiskEnterprises),
            })}
          </p>
          <p className="live-coverage-loss-move" data-testid="live-coverage-move-up">
            {loss.moveUp
              ? t('live.coverageLoss.moveUp', {
                  force: loss.moveUp.force.name,
                  station: loss.moveUp.to.name,
                  net: n(loss.moveUp.netPopulation),
                })
              : t('live.coverageLoss.noMoveUp')}
          </p>
        </>
      )}
    </section>
  );
}

/** Re-renders every `ms` so counts that depend on the clock (overdue) move without an event. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Ticker lines shown (the newest first); the panel has room for this many at 18 px and up. */
export const TICKER_SHOWN = 6;

type Translate = ReturnType<typeof useTranslation>['t'];

/** The ticker line of an event: enum values (category, status) in the current language. */
export function tickerText(item: TickerItem, t: Translate): string {
  const { params } = item;
  const enumText = (group: string, value: string | undefined) =>
    value ? t(`enums.${group}.${value}`, { defaultValue: value }) : '';
  const status =
    item.type === 'water_source.status_changed'
      ? enumText('waterStatus', params.to)
      : enumText('stationStatus', params.to);
  return t(`live.ticker.${item.type}`, {
    ...params,
    category: enumText('category', params.category),
    status,
    outcome: params.outcome ? t(`rollcall.outcomes.${params.outcome}`, { defaultValue: params.outcome }) : '',
  });
}

function TickerLine({ item }: { item: TickerItem }) {
  const { t, i18n } = useTranslation();
  return (
    <li
      className={`ticker-item ticker-${item.type.split('.')[0]}`}
      data-testid="ticker-item"
      data-seq={item.seq}
    >
      <time className="ticker-time">{formatClock(new Date(item.at), i18n.language).time}</time>
      <span className="ticker-text">{tickerText(item, t)}</span>
    </li>
  );
}

export function LivePanel() {
  const { t, i18n } = useTranslation();
  const counters = useStoreSelector(liveStore, selectCounters);
  const ticker = useStoreSelector(liveStore, selectTicker);
  const hazards = useStoreSelector(liveStore, selectHazards);
  const now = useNow(15_000);
  const overdue = overdueHazards(hazards, now);
  const number = (value: number) =>
    counters.loaded ? formatNumber(value, i18n.language) : t('counters.notLoaded');
  return (
    <section className="panel live-panel" data-testid="live-panel" aria-label={t('live.title')}>
      <header className="live-panel-header">
        <h2>{t('live.title')}</h2>
        {/* the open hazards counted here are worked in the inbox */}
        <DeskSwitch />
        <PlanSwitch />
        <LedgerSwitch />
        <ViewSwitch />
      </header>
      <div className="live-counters">
        <div className="live-counter live-counter-hazards" data-testid="live-counter-open-hazards">
          <span className="live-counter-label">{t('live.counters.openHazards')}</span>
          <span className="live-counter-value">{number(counters.openHazards)}</span>
        </div>
        <div
          className={`live-counter live-counter-overdue${overdue > 0 ? ' is-alert' : ''}`}
          data-testid="live-counter-overdue"
        >
          <span className="live-counter-label">
            {overdue > 0 ? '■ ' : ''}
            {t('live.counters.overdue')}
          </span>
          <span className="live-counter-value">{number(overdue)}</span>
        </div>
        <div className="live-counter" data-testid="live-counter-patrols">
          <span className="live-counter-label">{t('live.counters.patrolsOnDuty')}</span>
          <span className="live-counter-value">{number(counters.patrolsOnDuty)}</span>
        </div>
      </div>
      <h3 className="live-subtitle">{t('live.counters.available')}</h3>
      <ul className="live-available">
        {STATION_TIERS.map((tier) => (
          <li key={tier} data-testid={`live-available-${tier}`}>
            <img className="live-available-icon" src={stationIcon(tier, 'available').url} alt="" />
            <span className="live-available-label">{t(`enums.tier.${tier}`)}</span>
            <span className="live-available-value">
              {t('live.counters.availableValue', {
                available: number(counters.availableByTier[tier].available),
                total: number(counters.availableByTier[tier].total),
              })}
            </span>
          </li>
        ))}
      </ul>
      <h3 className="live-subtitle">{t('live.tickerTitle')}</h3>
      <ol className="ticker" data-testid="ticker" aria-live="polite">
        {ticker.length === 0 && <li className="ticker-empty">{t('live.tickerEmpty')}</li>}
        {ticker.slice(0, TICKER_SHOWN).map((item) => (
          <TickerLine key={item.seq} item={item} />
        ))}
      </ol>
    </section>
  );
}
