import { lazy, Suspense } from 'react';
import { Attribution } from '../panels/attribution.tsx';
import { Counters } from '../panels/counters.tsx';
import { DetailPanel } from '../panels/detail-panel.tsx';
import { LayerPanel } from '../panels/layer-panel.tsx';
import { Legend } from '../panels/legend.tsx';
import { LoadStatus } from '../panels/load-status.tsx';
import { TitleBar } from '../panels/title-bar.tsx';

/** MapLibre and deck.gl are most of the code: the shell paints first, the map follows. */
const WallMap = lazy(() => import('../map/wall-map.tsx'));

export function App() {
  return (
    <div className="wall">
      <Suspense fallback={<div className="wall-map" />}>
        <WallMap />
      </Suspense>
      <TitleBar />
      <aside className="column column-left">
        <LayerPanel />
        <DetailPanel />
      </aside>
      <aside className="column column-right">
        <Legend />
      </aside>
      <LoadStatus />
      <Attribution />
      <Counters />
    </div>
  );
}
