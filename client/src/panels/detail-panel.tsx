/** The selected feature's properties under Chinese (or English) labels. */
import { useTranslation } from 'react-i18next';
import { uiStore, type UiState } from '../app/ui-store.ts';
import { useStoreSelector } from '../app/use-store.ts';
import { districtStore, type DistrictState } from '../data/district-store.ts';
import { formatNumber } from '../i18n/format.ts';
import { describeSelection, type Translate } from './feature-fields.ts';

const selectSelection = (state: UiState) => state.selection;
const selectCircles = (state: DistrictState) => state.datasets['coverage-circles'];

export function DetailPanel() {
  const { t, i18n } = useTranslation();
  const selection = useStoreSelector(uiStore, selectSelection);
  const circles = useStoreSelector(districtStore, selectCircles);
  if (!selection) return null;
  const description = describeSelection(selection, t as Translate, i18n.language);
  const circle =
    selection.collection === 'stations'
      ? circles?.find((candidate) => candidate.properties.station_code === selection.feature.properties.code)
      : undefined;
  const rows = circle
    ? [
        ...description.rows,
        {
          key: 'coverage_radius_m',
          label: t('detail.coverageRadius'),
          value: t('units.metres', { value: formatNumber(circle.properties.radius_m, i18n.language) }),
        },
      ]
    : description.rows;
  return (
    <section className="panel detail-panel" data-testid="detail-panel" aria-labelledby="detail-panel-title">
      <header>
        <span className="detail-kind" data-testid="detail-kind">
          {description.collectionLabel}
        </span>
        <button
          type="button"
          className="detail-close"
          data-testid="detail-close"
          aria-label={t('detail.close')}
          onClick={() => uiStore.select(null)}
        >
          ×
        </button>
      </header>
      <h2 id="detail-panel-title" data-testid="detail-title">
        {description.title}
      </h2>
      <dl>
        {rows.map((row) => (
          <div key={row.key} data-testid={`detail-field-${row.key}`}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
      {description.synthetic && <p className="detail-synthetic">{t('detail.synthetic')}</p>}
    </section>
  );
}
