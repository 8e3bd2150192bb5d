/** The counters strip: stations by tier, hydrants in service / total, grids per level. */
import { useTranslation } from 'react-i18next';
import { GRID_LEVELS, STATION_TIERS } from '../../../shared/src/domain.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { computeCounters } from '../data/counters.ts';
import { districtStore, type DistrictState } from '../data/district-store.ts';
import { memoizeOne } from '../data/store.ts';
import { formatNumber } from '../i18n/format.ts';
import { stationIcon } from '../map/icons.ts';

const countersOf = memoizeOne(computeCounters);
const selectCounters = (state: DistrictState) => countersOf(state.datasets);

export function Counters() {
  const { t, i18n } = useTranslation();
  const counters = useStoreSelector(districtStore, selectCounters);
  const number = (value: number, loaded: boolean) =>
    loaded ? formatNumber(value, i18n.language) : t('counters.notLoaded');
  return (
    <section className="counters" data-testid="counters" aria-label={t('counters.title')}>
      <div className="counter-group">
        <h2>{t('counters.stations')}</h2>
        {STATION_TIERS.map((tier) => (
          <div className="counter" key={tier} data-testid={`counter-stations-${tier}`}>
            <img className="counter-icon" src={stationIcon(tier, 'available').url} alt="" />
            <span className="counter-label">{t(`enums.tier.${tier}`)}</span>
            <span className="counter-value">
              {number(counters.stationsByTier[tier], counters.loaded.stations)}
            </span>
          </div>
        ))}
      </div>
      <div className="counter-group">
        <h2>{t('counters.hydrants')}</h2>
        <div className="counter" data-testid="counter-hydrants">
          <span className="counter-value">
            {t('counters.hydrantsValue', {
              inService: number(counters.hydrants.inService, counters.loaded.hydrants),
              total: number(counters.hydrants.total, counters.loaded.hydrants),
            })}
          </span>
        </div>
      </div>
      <div className="counter-group">
        <h2>{t('counters.grids')}</h2>
        {GRID_LEVELS.map((level) => (
          <div className="counter" key={level} data-testid={`counter-grids-${level}`}>
            <span className="counter-label">{t(`enums.gridLevel.${level}`)}</span>
            <span className="counter-value">
              {number(counters.gridsByLevel[level], counters.loaded.grids[level])}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}
