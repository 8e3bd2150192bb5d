/** The live stream's state (live / reconnecting / reloading) and how fresh the wall's data is. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStoreSelector } from '../app/use-store.ts';
import { formatClock } from '../i18n/format.ts';
import { liveStore, type LiveState } from '../live/live-store.ts';

const selectConnection = (state: LiveState) => state.connection;
const selectSyncedAt = (state: LiveState) => state.syncedAt;
const selectLastEventAt = (state: LiveState) => state.lastEventAt;

/** Re-renders this badge alone once a second while the data is not live (its age grows). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

export function LiveStatus() {
  const { t, i18n } = useTranslation();
  const connection = useStoreSelector(liveStore, selectConnection);
  const syncedAt = useStoreSelector(liveStore, selectSyncedAt);
  const lastEventAt = useStoreSelector(liveStore, selectLastEventAt);
  const live = connection === 'live';
  const now = useNow(!live);
  if (connection === 'stopped') return null;
  const clock = (time: number | string) => formatClock(new Date(time), i18n.language).time;
  let freshness: string;
  if (live)
    freshness = lastEventAt ? t('live.freshLive', { time: clock(lastEventAt) }) : t('live.freshLiveNone');
  else if (syncedAt !== null)
    freshness = t('live.freshStale', {
      time: clock(syncedAt),
      seconds: Math.max(0, Math.round((now - syncedAt) / 1000)),
    });
  else freshness = '';
  return (
    <div
      className={`live-status live-status-${connection}`}
      data-testid="live-status"
      data-state={connection}
    >
      <span className="live-status-state" data-testid="live-status-state">
        {t(`live.connection.${connection}`)}
      </span>
      {freshness && (
        <span className="live-status-freshness" data-testid="live-status-freshness">
          {freshness}
        </span>
      )}
    </div>
  );
}
