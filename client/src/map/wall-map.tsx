/** The map element; MapLibre and deck.gl load in this lazily imported chunk. */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uiStore } from '../app/ui-store.ts';
import { currentToken } from '../auth/page-session.ts';
import { viewStore } from '../app/view.ts';
import { districtStore } from '../data/district-store.ts';
import { liveStore } from '../live/live-store.ts';
import { lateViewStore } from './late-view-store.ts';
import { mountWallMap } from './wall-map-controller.ts';

// The desk's, planner's and ledger's stores load with their views, not with the map.
const desk = lateViewStore({
  view: 'desk',
  views: viewStore,
  load: () => import('../desk/desk-instance.ts').then((module) => module.deskStore),
});
const plan = lateViewStore({
  view: 'plan',
  views: viewStore,
  load: () => import('../plan/plan-instance.ts').then((module) => module.planStore),
});
const ledger = lateViewStore({
  view: 'ledger',
  views: viewStore,
  load: () => import('../ledger/ledger-instance.ts').then((module) => module.ledgerStore),
});

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
      getSnapshot: () => desk.current()!.getSnapshot(),
      subscribe: desk.subscribe,
      active: desk.active,
      place: (lon, lat) => void desk.current()?.place(lon, lat),
    },
    plan: {
      getSnapshot: () => plan.current()!.getSnapshot(),
      subscribe: plan.subscribe,
      active: plan.active,
      click: (lon, lat) => {
        const store = plan.current();
        if (store?.getSnapshot().tab === 'whatif') void store.propose(lon, lat);
      },
      move: (index, lon, lat) => void plan.current()?.move(index, lon, lat),
    },
    tileToken: currentToken,
    ledger: {
      getSnapshot: () => ledger.current()!.getSnapshot(),
      subscribe: ledger.subscribe,
      active: ledger.active,
    },
  });
}
