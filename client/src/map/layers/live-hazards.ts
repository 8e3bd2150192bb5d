/**
 * Live hazards from the live store: an icon per open hazard (fill by state, shape by severity), and a
 * pulsing ring around the ones that arrived in the last seconds so a new report draws the eye.
 */
import { IconLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { HazardRow } from '../../live/live-store.ts';
import { hazardIcon } from '../icons.ts';
import { HAZARD_PULSE, HAZARD_SEVERITY_SYMBOLS, HAZARD_STATE_COLOURS } from '../symbols.ts';
import { dataDiffByRow } from './data-diff.ts';

export const LIVE_HAZARDS_LAYER_ID = 'live-hazards';
export const LIVE_HAZARD_PULSE_LAYER_ID = 'live-hazards-pulse';

export interface LiveHazardLayerOptions {
  visible: boolean;
  /** Viewport scale relative to the 1920-px design width. */
  scale: number;
}

const position = (row: HazardRow): [number, number] => [row.hazard.lon, row.hazard.lat];

/** Size in CSS px at the design width; a closed hazard's row stays until the next snapshot, drawn at 0. */
export const hazardSizePx = (row: HazardRow): number =>
  row.open ? HAZARD_SEVERITY_SYMBOLS[row.hazard.severity ?? 'unclassified'].sizePx : 0;

export function buildLiveHazardsLayer(rows: readonly HazardRow[], options: LiveHazardLayerOptions) {
  return new IconLayer<HazardRow>({
    id: LIVE_HAZARDS_LAYER_ID,
    data: rows as HazardRow[],
    visible: options.visible,
    pickable: true,
    autoHighlight: true,
    sizeUnits: 'pixels',
    sizeScale: options.scale,
    billboard: true,
    alphaCutoff: 0.05,
    getPosition: position,
    getIcon: (row) => hazardIcon(row.hazard.state, row.hazard.severity),
    getSize: hazardSizePx,
    // Accessors read only the row: a changed hazard is a new row object, found by identity.
    _dataDiff: dataDiffByRow,
    updateTriggers: {},
  });
}

/** The open hazards that arrived by a live event less than the pulse's duration ago. */
export function pulsingHazards(rows: readonly HazardRow[], now: number): HazardRow[] {
  const since = now - HAZARD_PULSE.durationMs;
  return rows.filter((row) => row.open && row.arrivedAt > since && row.arrivedAt <= now);
}

/** How far through its period the pulse is (0 → 1): the ring grows and fades with it. */
export const pulsePhase = (now: number): number => (now % HAZARD_PULSE.periodMs) / HAZARD_PULSE.periodMs;

export function buildHazardPulseLayer(
  pulsing: readonly HazardRow[],
  options: LiveHazardLayerOptions & { now: number },
) {
  const phase = pulsePhase(options.now);
  return new ScatterplotLayer<HazardRow>({
    id: LIVE_HAZARD_PULSE_LAYER_ID,
    data: pulsing as HazardRow[],
    visible: options.visible && pulsing.length > 0,
    pickable: false,
    stroked: true,
    filled: false,
    radiusUnits: 'pixels',
    // Uniforms only: the animation never recomputes an attribute.
    radiusScale: options.scale * (1 + 1.5 * phase),
    opacity: 1 - phase,
    lineWidthUnits: 'pixels',
    getLineWidth: 5 * options.scale,
    getPosition: position,
    getRadius: HAZARD_PULSE.radiusPx,
    getLineColor: (row) => [...HAZARD_STATE_COLOURS[row.hazard.state], 255],
    updateTriggers: { getLineWidth: [options.scale] },
  });
}
