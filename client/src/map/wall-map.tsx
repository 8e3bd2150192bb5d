/** The map element; MapLibre and deck.gl load in this lazily imported chunk. */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uiStore } from '../app/ui-store.ts';
import { sessionStore } from '../auth/page-session.ts';
import { viewStore } from '../app/view.ts';
import { deskStore } from '../desk/desk-instance.ts';
import { planStore } from '../plan/plan-instance.ts';
import { ledgerStore } from '../ledger/ledger-instance.ts';
import { districtStore } from '../data/district-store.ts';
import { liveStore } from '../live/live-store.ts';
import { mountWallMap } from './wall-map-controller.ts';

export default function WallMap() {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  // no map on this screen (a browser without WebGL): the panels and charts carry on without it
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!container.current) return undefined;
    try {
      return mount(container.current);
    } catch (error) {
      console.error(`gridwatch: the map could not start: ${String(error)}`);
      setFailed(true);
      uiStore.markMapDrawn();
      return undefined;
    }
  }, []);
  // MapLibre gives its container `position: relative`, so the full-screen box is a wrapper around it.
  return (
    <div className="wall-map" data-testid="wall-map">
      <div ref={container} className="wall-map-canvas" />
      {failed && (
        <p className="wall-map-failed" role="alert" data-testid="wall-map-failed">
          {t('app.mapFailed')}
        </p>
      )}
    </div>
  );
}

/** The map in `element`, over the page's stores; returns its teardown. Throws without WebGL. */
function mount(element: HTMLElement): () => void {
  return mountWallMap({
    container: element,
    district: districtStore,
    ui: uiStore,
    live: liveStore,
    desk: {
      getSnapshot: deskStore.getSnapshot,
      subscribe: deskStore.subscribe,
      active: () => viewStore.getSnapshot().view === 'desk',
      place: (lon, lat) => void deskStore.place(lon, lat),
    },
    plan: {
      getSnapshot: planStore.getSnapshot,
      subscribe: planStore.subscribe,
      active: () => viewStore.getSnapshot().view === 'plan',
      click: (lon, lat) => {
        if (planStore.getSnapshot().tab === 'whatif') void planStore.propose(lon, lat);
      },
      move: (index, lon, lat) => void planStore.move(index, lon, lat),
    },
    tileToken: () => sessionStore.getSnapshot().session?.token ?? null,
    ledger: {
      getSnapshot: ledgerStore.getSnapshot,
      subscribe: ledgerStore.subscribe,
      active: () => viewStore.getSnapshot().view === 'ledger',
    },
  });
}
