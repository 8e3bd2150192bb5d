import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStoreSelector } from '../app/use-store.ts';
import { viewStore, type ViewState } from '../app/view.ts';
import { districtStore, type DistrictState } from '../data/district-store.ts';
import { formatClock } from '../i18n/format.ts';
import { HealthBadge } from './health-badge.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { LiveStatus } from './live-status.tsx';
import { UserBadge } from './user-badge.tsx';
import { ViewSwitch } from './view-switch.tsx';

function Clock() {
  const { i18n } = useTranslation();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const { date, time } = formatClock(now, i18n.language);
  return (
    <div className="clock" data-testid="clock">
      <span className="clock-time">{time}</span>
      <span className="clock-date">{date}</span>
    </div>
  );
}

const selectDistrictName = (state: DistrictState) => state.district?.name;
const selectView = (state: ViewState) => state.view;

export function TitleBar() {
  const { t } = useTranslation();
  // The district as the server names it; the bare product title until it has answered.
  const name = useStoreSelector(districtStore, selectDistrictName);
  const view = useStoreSelector(viewStore, selectView);
  // the inbox is a desk's screen: its own shorter title leaves the bar room for the view switch
  const product = view === 'inbox' ? t('inbox.title') : t('app.product');
  const title =
    name === undefined
      ? product
      : view === 'inbox'
        ? t('inbox.pageTitle', { district: name })
        : t('app.title', { district: name });
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <header className="title-bar">
      <div className="title-bar-side">
        <HealthBadge />
        <LiveStatus />
        <span className="synthetic-note">{t('app.synthetic')}</span>
      </div>
      <h1 className="title" data-testid="title">
        {title}
      </h1>
      <div className="title-bar-side title-bar-right">
        {view === 'inbox' && <ViewSwitch />}
        <UserBadge />
        <Clock />
        <LanguageSwitch />
      </div>
    </header>
  );
}
