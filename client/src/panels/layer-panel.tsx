import { useTranslation } from 'react-i18next';
import { LAYER_GROUPS, uiStore, type LayerGroupId } from '../app/ui-store.ts';
import { useStoreSelector } from '../app/use-store.ts';

const selectVisibility = (state: ReturnType<typeof uiStore.getSnapshot>) => state.visibility;

export function LayerPanel() {
  const { t } = useTranslation();
  const visibility = useStoreSelector(uiStore, selectVisibility);
  return (
    <section className="panel layer-panel" data-testid="layer-panel" aria-labelledby="layer-panel-title">
      <h2 id="layer-panel-title">{t('layers.title')}</h2>
      {(Object.keys(LAYER_GROUPS) as LayerGroupId[]).map((group) => (
        <div className="layer-group" key={group}>
          <h3>{t(`layers.groups.${group}`)}</h3>
          {LAYER_GROUPS[group].map((id) => (
            <button
              key={id}
              type="button"
              role="switch"
              aria-checked={visibility[id]}
              className="layer-toggle"
              data-testid={`layer-toggle-${id}`}
              onClick={() => uiStore.toggleLayer(id)}
            >
              <span className="switch" aria-hidden="true" />
              {t(`layers.items.${id}`)}
            </button>
          ))}
        </div>
      ))}
    </section>
  );
}
