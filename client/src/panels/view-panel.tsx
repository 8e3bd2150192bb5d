/** What the side panels of the desk, planner and ledger views share: a header back to the wall, tabs. */
import { useTranslation } from 'react-i18next';
import { viewStore } from '../app/view.ts';

export function ViewPanelHeader({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <header className="live-panel-header">
      <h2>{title}</h2>
      <button
        type="button"
        className="view-switch"
        onClick={() => viewStore.show({ view: 'wall', hazardId: null })}
      >
        {t('desk.backToWall')}
      </button>
    </header>
  );
}

export function PanelTabs<T extends string>({
  tabs,
  current,
  onChange,
  label,
  testId,
}: {
  tabs: readonly T[];
  current: T;
  onChange(tab: T): void;
  label(tab: T): string;
  testId(tab: T): string;
}) {
  return (
    <div className="plan-tabs" role="tablist">
      {tabs.map((tab) => (
        <button
          key={tab}
          type="button"
          role="tab"
          aria-selected={current === tab}
          className={current === tab ? 'plan-tab plan-tab-on' : 'plan-tab'}
          data-testid={testId(tab)}
          onClick={() => onChange(tab)}
        >
          {label(tab)}
        </button>
      ))}
    </div>
  );
}
