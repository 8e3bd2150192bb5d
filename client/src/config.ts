import { MAX_ITEMS_LIMIT } from '../../shared/src/limits.ts';

/**
 * The OGC API Features root on our own server (same origin; the dev server proxies it). Every request
 * is limited to the bbox of the district the server names at `/api/district`.
 */
export const OGC_BASE = '/ogc';

/** Ask for the largest page the server serves: fewer round trips for the 70k road edges. */
export const OGC_PAGE_LIMIT = MAX_ITEMS_LIMIT;

/**
 * The root font size at the 1920-px design width. wall.css scales the root font with the viewport
 * (20 px at 1920, 40 px at 3840); the map scales its symbols by the same ratio.
 */
export const DESIGN_REM_PX = 20;

/** Font stack for map labels (deck.gl TextLayer draws them from local fonts; no glyph server). */
export const LABEL_FONT_FAMILY =
  '"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif';

/**
 * Room the side panels take over the map, in rem (the CSS lays the panels out with the same figures,
 * set as custom properties at start-up), so the district fits the part of the map that is visible.
 */
export const PANEL_INSETS_REM = { top: 4.6, bottom: 5.4, left: 16.5, right: 22 } as const;
