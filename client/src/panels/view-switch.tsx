/** The title bar's switch between the wall and the operator's inbox (the URL keeps the choice). */
import { useTranslation } from 'react-i18next';
import { useStoreSelector } from '../app/use-store.ts';
import { viewStore, type ViewState } from '../app/view.ts';

const selectView = (state: ViewState) => state.view;

export function ViewSwitch() {
  const { t } = useTranslation();
  const view = useStoreSelector(viewStore, selectView);
  const inbox = view === 'inbox';
  return (
    <button
      type="button"
      className="view-switch"
      data-testid="view-switch"
      data-view={view}
      onClick={() => viewStore.show({ view: inbox ? 'wall' : 'inbox', hazardId: null })}
    >
      {inbox ? t('inbox.backToWall') : t('inbox.open')}
    </button>
  );
}
