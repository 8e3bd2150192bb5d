/** On a kiosk screen: which step of the playlist shows, the town it zoomed to, and when the next comes. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStoreSelector } from '../app/use-store.ts';
import { formatNumber } from '../i18n/format.ts';
import { kioskStore, type KioskState } from './kiosk.ts';

const selectKiosk = (state: KioskState | null) => state;

export function KioskBadge({ steps, ignored }: { steps: number; ignored: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const kiosk = useStoreSelector(kioskStore, selectKiosk);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  if (!kiosk) return null;
  const left = Math.max(0, Math.ceil((kiosk.startedAt + kiosk.step.seconds * 1000 - now) / 1000));
  return (
    <div
      className="kiosk-badge"
      data-testid="kiosk-badge"
      data-view={kiosk.step.view}
      data-town={kiosk.town?.code ?? ''}
      role="status"
    >
      <span className="kiosk-badge-step">
        {t('kiosk.step', { n: kiosk.index + 1, of: steps, view: t(`kiosk.views.${kiosk.step.view}`) })}
      </span>
      {kiosk.town && (
        <span className="kiosk-badge-town">
          {t('kiosk.town', { town: kiosk.town.name, open: formatNumber(kiosk.town.open, i18n.language) })}
        </span>
      )}
      <span className="kiosk-badge-next">{t('kiosk.next', { seconds: left })}</span>
      {ignored.length > 0 && (
        <span className="kiosk-badge-ignored" data-testid="kiosk-ignored">
          {t('kiosk.ignored', { parts: ignored.join(', ') })}
        </span>
      )}
    </div>
  );
}
