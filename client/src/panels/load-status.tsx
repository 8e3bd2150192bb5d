/** Says what is still loading and what failed, so a half-empty wall is never mistaken for an empty district. */
import { useTranslation } from 'react-i18next';
import { useStoreSelector } from '../app/use-store.ts';
import { districtStore, type DistrictState } from '../data/district-store.ts';

const selectPending = (state: DistrictState) => state.pending;
const selectFailed = (state: DistrictState) => state.failed;
const selectDistrictError = (state: DistrictState) => state.districtError;

export function LoadStatus() {
  const { t } = useTranslation();
  const pending = useStoreSelector(districtStore, selectPending);
  const failed = useStoreSelector(districtStore, selectFailed);
  const districtError = useStoreSelector(districtStore, selectDistrictError);
  if (pending.length === 0 && failed.length === 0 && districtError === null) return null;
  return (
    <div className="load-status" data-testid="load-status" role="status">
      {districtError !== null && (
        <span className="load-failed" data-testid="district-failed">
          {t('app.districtFailed', { message: districtError })}
        </span>
      )}
      {pending.length > 0 && <span>{t('app.loading', { count: pending.length })}</span>}
      {failed.length > 0 && (
        <span className="load-failed">
          {t('app.loadFailed', { count: failed.length, datasets: failed.map((f) => f.dataset).join(', ') })}
        </span>
      )}
    </div>
  );
}
