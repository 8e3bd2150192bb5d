/** Whether our server and its database answer (`/api/health`), checked every half minute. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthResponse } from '../../../shared/src/schemas/health.ts';

const HEALTH_INTERVAL_MS = 30_000;

type Health = { state: 'ok' | 'degraded'; body: HealthResponse } | { state: 'offline' } | null;

export function HealthBadge() {
  const { t } = useTranslation();
  const [health, setHealth] = useState<Health>(null);
  useEffect(() => {
    const controller = new AbortController();
    const check = async () => {
      try {
        const response = await fetch('/api/health', { signal: controller.signal });
        const body = (await response.json()) as HealthResponse;
        setHealth({ state: response.ok && body.status === 'ok' ? 'ok' : 'degraded', body });
      } catch {
        if (!controller.signal.aborted) setHealth({ state: 'offline' });
      }
    };
    void check();
    const timer = setInterval(() => void check(), HEALTH_INTERVAL_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, []);
  if (!health) return null;
  const detail =
    health.state === 'offline'
      ? undefined
      : `${t(`app.backend.${health.body.backend}`)} · PostgreSQL ${health.body.postgres} · PostGIS ${health.body.postgis}`;
  return (
    <>
      <span className={`health health-${health.state}`} data-testid="health" title={detail}>
        {t(`app.health.${health.state}`)}
      </span>
      {health.state !== 'offline' && health.body.simulated && (
        <span className="simulated-badge" data-testid="simulated-badge" title={t('live.simulatedTitle')}>
          {t('live.simulated')}
        </span>
      )}
    </>
  );
}
