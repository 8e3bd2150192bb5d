/**
 * A kiosk page (`?kiosk=…`) plays its playlist while an account is signed in, over the page's own
 * stores: the view store (replacing the URL, so a day of cycling leaves no history behind), the map's
 * focus, the live hazards and the district's town grids. The cursor is hidden: nobody stands at a wall.
 */
import type { SessionStore } from '../auth/session-store.ts';
import type { ViewState } from '../app/view.ts';
import type { MapFocus } from '../app/ui-store.ts';
import type { DistrictStore } from '../data/district-store.ts';
import type { LiveStore } from '../live/live-store.ts';
import { LEDGER_ROLES, PLAN_ROLES } from '../panels/view-switch.tsx';
import { testHooks } from '../test-hooks.ts';
import { kioskStore, startKiosk } from './kiosk.ts';
import { busiestTown } from './busiest-town.ts';
import type { KioskConfig, KioskStepView } from './playlist.ts';

export interface KioskSessionDeps {
  config: KioskConfig;
  sessions: SessionStore;
  views: { show(next: ViewState, options: { replace: boolean }): void };
  ui: { focus(focus: MapFocus | null): void };
  district: Pick<DistrictStore, 'getSnapshot'>;
  live: Pick<LiveStore, 'getSnapshot'>;
}

export function followKioskPerSession(deps: KioskSessionDeps): () => void {
  document.documentElement.classList.add('kiosk');
  let stop: (() => void) | null = null;
  const roleMayShow = (view: KioskStepView): boolean => {
    const role = deps.sessions.getSnapshot().session?.user.role ?? '';
    if (view === 'plan') return PLAN_ROLES.includes(role);
    if (view === 'ledger') return LEDGER_ROLES.includes(role);
    return true;
  };
  const follow = () => {
    const signedIn = deps.sessions.getSnapshot().session !== null;
    if (signedIn && !stop)
      stop = startKiosk({
        config: deps.config,
        show: (view) => deps.views.show({ view, hazardId: null }, { replace: true }),
        focus: (town) => deps.ui.focus(town && { code: town.code, name: town.name, bbox: town.bbox }),
        allowed: roleMayShow,
        busiest: () => {
          const towns = deps.district.getSnapshot().datasets['grids-town'] ?? [];
          const open = deps.live
            .getSnapshot()
            .hazards.filter((row) => row.open)
            .map((row) => ({ lon: row.hazard.lon, lat: row.hazard.lat }));
          return busiestTown(
            open,
            towns.flatMap((feature) =>
              feature.geometry.type === 'Polygon' || feature.geometry.type === 'MultiPolygon'
                ? [
                    {
                      code: feature.properties.admin_code,
                      name: feature.properties.name,
                      geometry: feature.geometry,
                    },
                  ]
                : [],
            ),
          );
        },
      });
    else if (!signedIn && stop) {
      stop();
      stop = null;
    }
  };
  const showHooks = () => {
    const state = kioskStore.getSnapshot();
    testHooks().kiosk = state && {
      index: state.index,
      view: state.step.view,
      advances: state.advances,
      town: state.town?.code ?? null,
    };
  };
  const unsubscribeHooks = kioskStore.subscribe(showHooks);
  const unsubscribe = deps.sessions.subscribe(follow);
  follow();
  return () => {
    unsubscribe();
    unsubscribeHooks();
    stop?.();
    document.documentElement.classList.remove('kiosk');
  };
}
