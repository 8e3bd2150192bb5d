import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { loadDistrictPerSession } from './app/session-data.ts';
import { whenFirstPictureUp } from './app/first-picture.ts';
import { uiStore } from './app/ui-store.ts';
import { viewStore } from './app/view.ts';
import { session, sessionStore } from './auth/page-session.ts';
import { PANEL_INSETS_REM } from './config.ts';
import { districtStore } from './data/district-store.ts';
import { currentLanguage, languageReady } from './i18n/index.ts';
import { liveStore } from './live/live-store.ts';
import { followLivePerSession } from './live/live-session.ts';
import { progressBus } from './live/progress-bus.ts';
import { followCoverageLoss } from './live/coverage-loss.ts';
import { displayTokenFromHash, followDisplaySignIn } from './kiosk/display-sign-in.ts';
import { pageKiosk } from './kiosk/page-kiosk.ts';
import { testHooks } from './test-hooks.ts';
import './styles/wall.css';

const root = document.documentElement;
root.lang = currentLanguage();
for (const [side, rem] of Object.entries(PANEL_INSETS_REM))
  root.style.setProperty(`--inset-${side}`, `${rem}rem`);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
// A screen opened in English (`?lang=en`) draws once its strings are in (zh-CN is in the shell).
void languageReady
  .catch((error: unknown) => console.warn(`gridwatch: the language did not load: ${String(error)}`))
  .finally(() =>
    createRoot(container).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );

// Who is signed in, for the test hooks.
const showUser = () => {
  const user = sessionStore.getSnapshot().session?.user;
  testHooks().user = user
    ? { username: user.username, role: user.role, scope: user.scope, scopeName: user.scopeName }
    : null;
};
sessionStore.subscribe(showUser);
showUser();

// A session restored from sessionStorage (a reload) is refreshed when due; the data follows the user.
session.start();
// A wall display (`#display=<token>`) signs itself in whenever it has no session.
const displayToken = displayTokenFromHash(location.hash);
if (displayToken)
  followDisplaySignIn({ token: displayToken, sessions: sessionStore, signIn: session.signInDisplay });
loadDistrictPerSession({
  sessions: sessionStore,
  district: districtStore,
  fetch: session.fetch,
  onSignedOut: () => uiStore.select(null),
});

// The live stream follows the user too; the test hooks mirror what the store holds. Its snapshot loads
// at once, its socket once the first picture is up (the map's code and data go first).
followLivePerSession({
  sessions: sessionStore,
  store: liveStore,
  fetch: session.fetch,
  refresh: session.refresh,
  onProgress: progressBus.publish,
  socketReady: whenFirstPictureUp({ ui: uiStore, view: viewStore, sessions: sessionStore }),
  onConnection: (connection) => {
    testHooks().liveReceive = connection ? (batch) => connection.receive(batch) : undefined;
  },
});
// Road cover lost to busy forces, refetched after station changes (the wall's map and live panel).
followCoverageLoss({ store: liveStore, fetch: session.fetch });
const showLive = () => {
  const state = liveStore.getSnapshot();
  testHooks().live = {
    connection: state.connection,
    appliedSeq: state.appliedSeq,
    snapshotLoads: state.snapshotLoads,
    hazardIds: state.hazards.filter((row) => row.open).map((row) => row.hazard.id),
    patrolSessions: state.patrols.filter((row) => row.onDuty).map((row) => row.sessionId),
    stationStatus: Object.fromEntries([...state.stations.values()].map((s) => [s.code, s.status])),
    coverageLoss: state.coverageLoss && {
      population: state.coverageLoss.lost.population,
      roadNodes: state.coverageLoss.lost.roadNodes,
      moveUp: state.coverageLoss.moveUp?.force.id ?? null,
    },
  };
};
liveStore.subscribe(showLive);
showLive();

// A kiosk screen (`?kiosk=…`) plays its playlist while signed in.
// (its code is loaded only on a kiosk screen)
if (pageKiosk) {
  const config = pageKiosk;
  void import('./kiosk/kiosk-session.ts').then(({ followKioskPerSession }) =>
    followKioskPerSession({
      config,
      sessions: sessionStore,
      views: viewStore,
      ui: uiStore,
      district: districtStore,
      live: liveStore,
    }),
  );
}
