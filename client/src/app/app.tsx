import { lazy, Suspense, useEffect } from 'react';
import { sessionStore } from '../auth/page-session.ts';
import { KioskBadge } from '../kiosk/kiosk-badge.tsx';
import { pageKiosk } from '../kiosk/page-kiosk.ts';
import type { SessionState } from '../auth/session-store.ts';
import { Attribution } from '../panels/attribution.tsx';
import { Counters } from '../panels/counters.tsx';
import { DetailPanel } from '../panels/detail-panel.tsx';
import { LayerPanel } from '../panels/layer-panel.tsx';
import { Legend } from '../panels/legend.tsx';
import { CoverageLossPanel, LivePanel } from '../panels/live-panel.tsx';
import { LoadStatus } from '../panels/load-status.tsx';
import { SignInScreen } from '../panels/sign-in-screen.tsx';
import { TitleBar } from '../panels/title-bar.tsx';
import { uiStore, type UiState } from './ui-store.ts';
import { useStoreSelector } from './use-store.ts';
import { viewStore, type ViewState } from './view.ts';

/** MapLibre and deck.gl are most of the code: the shell paints first, the map follows. */
const loadWallMap = () => import('../map/wall-map.tsx');
const WallMap = lazy(loadWallMap);
/** The operator's inbox is a screen of its own, loaded when first opened. */
const InboxView = lazy(() =>
  import('../inbox/inbox-view.tsx').then((module) => ({ default: module.InboxView })),
);

/** The planner's view, loaded when first opened. */
const PlanPanel = lazy(() =>
  import('../plan/plan-panel.tsx').then((module) => ({ default: module.PlanPanel })),
);

/** The ledger view (patrol compliance, the periodic lists), loaded when first opened. */
const LedgerPanel = lazy(() =>
  import('../ledger/ledger-panel.tsx').then((module) => ({ default: module.LedgerPanel })),
);

/** The wall's charts (ECharts), loaded once the map has drawn (they are not on the first picture's path). */
const WallCharts = lazy(() =>
  import('../wall/wall-charts.tsx').then((module) => ({ default: module.WallCharts })),
);

/** The dispatcher's desk, loaded when first opened. */
const DeskPanel = lazy(() =>
  import('../desk/desk-panel.tsx').then((module) => ({ default: module.DeskPanel })),
);

const selectSignedIn = (state: SessionState) => state.session !== null;
const selectView = (state: ViewState) => state.view;
const selectMapDrawn = (state: UiState) => state.mapDrawn;

export function App() {
  const signedIn = useStoreSelector(sessionStore, selectSignedIn);
  const view = useStoreSelector(viewStore, selectView);
  const mapDrawn = useStoreSelector(uiStore, selectMapDrawn);
  // The map's code downloads while the operator signs in.
  useEffect(() => {
    void loadWallMap();
  }, []);
  if (!signedIn) return <SignInScreen />;
  if (view === 'inbox') {
    return (
      <div className="wall wall-inbox">
        <TitleBar />
        <Suspense fallback={null}>
          <InboxView />
        </Suspense>
      </div>
    );
  }
  return (
    <div className="wall">
      <Suspense fallback={<div className="wall-map" />}>
        <WallMap />
      </Suspense>
      <TitleBar />
      <aside className="column column-left">
        {view === 'desk' ? (
          <Suspense fallback={null}>
            <DeskPanel />
          </Suspense>
        ) : view === 'plan' ? (
          <Suspense fallback={null}>
            <PlanPanel />
          </Suspense>
        ) : view === 'ledger' ? (
          <Suspense fallback={null}>
            <LedgerPanel />
          </Suspense>
        ) : (
          <>
            <LayerPanel />
            <LivePanel />
          </>
        )}
        <DetailPanel />
      </aside>
      <aside className="column column-right">
        {view === 'wall' && mapDrawn && (
          <Suspense fallback={null}>
            <WallCharts />
          </Suspense>
        )}
        <CoverageLossPanel />
        {/* beside the charts the legend opens on demand; the other views keep it open */}
        <Legend collapsible={view === 'wall'} />
      </aside>
      <LoadStatus />
      <Attribution />
      <Counters />
      {pageKiosk && <KioskBadge steps={pageKiosk.steps.length} ignored={pageKiosk.ignored} />}
    </div>
  );
}
