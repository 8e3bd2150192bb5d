/**
 * Grid members on patrol from the live store: their last fixes as a short trail, and a dot at the
 * newest one (blue inside their own grid, orange outside it, white halo).
 */
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { PatrolRow } from '../../live/live-store.ts';
import type { LonLat } from '../../live/trail.ts';
import { PATROL_COLOURS } from '../symbols.ts';
import { dataDiffByRow } from './data-diff.ts';

export const LIVE_PATROLS_LAYER_ID = 'live-patrols';
export const LIVE_PATROL_TRAILS_LAYER_ID = 'live-patrol-trails';

export interface LivePatrolLayerOptions {
  visible: boolean;
  scale: number;
}

export const PATROL_DOT_PX = 9;
export const TRAIL_WIDTH_PX = 4;
const TRAIL_ALPHA = 170;

export const patrolColour = (row: PatrolRow) =>
  row.inOwnGrid ? PATROL_COLOURS.inOwnGrid : PATROL_COLOURS.outsideGrid;

const NOWHERE: LonLat = [Number.NaN, Number.NaN];
const NO_PATH: LonLat[] = [];

/** Only members on duty with a fix are drawn; the others keep their row (size 0) until the next snapshot. */
export const patrolShown = (row: PatrolRow): boolean => row.onDuty && row.position !== null;

export function buildLivePatrolsLayer(rows: readonly PatrolRow[], options: LivePatrolLayerOptions) {
  return new ScatterplotLayer<PatrolRow>({
    id: LIVE_PATROLS_LAYER_ID,
    data: rows as PatrolRow[],
    visible: options.visible,
    pickable: true,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels',
    radiusScale: options.scale,
    lineWidthUnits: 'pixels',
    getLineWidth: 2 * options.scale,
    getPosition: (row) => [...(row.position ?? NOWHERE)],
    getRadius: (row) => (patrolShown(row) ? PATROL_DOT_PX : 0),
    getFillColor: (row) => [...patrolColour(row), 255],
    getLineColor: [255, 255, 255, 255],
    _dataDiff: dataDiffByRow,
    updateTriggers: { getLineWidth: [options.scale] },
  });
}

export function buildPatrolTrailsLayer(rows: readonly PatrolRow[], options: LivePatrolLayerOptions) {
  return new PathLayer<PatrolRow>({
    id: LIVE_PATROL_TRAILS_LAYER_ID,
    // hidden: no data, so nothing is laid out while it is off
    data: options.visible ? (rows as PatrolRow[]) : [],
    visible: options.visible,
    pickable: false,
    widthUnits: 'pixels',
    widthScale: options.scale,
    capRounded: true,
    jointRounded: true,
    getPath: (row) => (patrolShown(row) && row.path.length > 1 ? row.path : NO_PATH) as [number, number][],
    getWidth: TRAIL_WIDTH_PX,
    getColor: (row) => [...patrolColour(row), TRAIL_ALPHA],
    _dataDiff: dataDiffByRow,
    updateTriggers: {},
  });
}
