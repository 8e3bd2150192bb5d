/**
 * Kiosk playlists: a wall screen's URL names the views it cycles through and how long each stays,
 * `?kiosk=wall:60,town:45,plan:60,ledger:60` (seconds; `?kiosk` alone plays DEFAULT_PLAYLIST). The
 * steps are the county overview (`wall`), the overview zoomed to the town with the most open hazards
 * (`town`), the planner's coverage (`plan`) and the ledger (`ledger`). Pure functions only: the timer
 * lives in kiosk.ts; the busiest town is found in busiest-town.ts (with turf, outside the page shell).
 */

export const KIOSK_STEPS = ['wall', 'town', 'plan', 'ledger'] as const;
export type KioskStepView = (typeof KIOSK_STEPS)[number];
export interface KioskStep {
  view: KioskStepView;
  seconds: number;
}

export const KIOSK_MIN_S = 5;
export const KIOSK_MAX_S = 3_600;
export const DEFAULT_PLAYLIST: readonly KioskStep[] = [
  { view: 'wall', seconds: 60 },
  { view: 'town', seconds: 45 },
  { view: 'plan', seconds: 45 },
  { view: 'ledger', seconds: 45 },
];

export interface KioskConfig {
  steps: KioskStep[];
  /** parts of the URL's playlist that were not understood (shown on the screen, not silently dropped) */
  ignored: string[];
}

/** The kiosk playlist of a page's search string, or null when the page is not a kiosk. */
export function kioskFromSearch(search: string): KioskConfig | null {
  const params = new URLSearchParams(search);
  if (!params.has('kiosk')) return null;
  const text = params.get('kiosk')!.trim();
  if (text === '' || text === '1') return { steps: [...DEFAULT_PLAYLIST], ignored: [] };
  const steps: KioskStep[] = [];
  const ignored: string[] = [];
  for (const part of text.split(',')) {
    const match = /^([a-z]+)(?::(\d{1,5}))?$/.exec(part.trim());
    const view = match?.[1] as KioskStepView | undefined;
    if (!match || !view || !KIOSK_STEPS.includes(view)) {
      ignored.push(part);
      continue;
    }
    const asked = match[2] === undefined ? 60 : Number(match[2]);
    steps.push({ view, seconds: Math.min(KIOSK_MAX_S, Math.max(KIOSK_MIN_S, asked)) });
  }
  return { steps: steps.length > 0 ? steps : [...DEFAULT_PLAYLIST], ignored };
}
