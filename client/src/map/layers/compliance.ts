/**
 * Patrol compliance on the map (the ledger view's patrol tab): the grids of the chosen level filled by
 * the share of their unit grids that met both rules this month (symbols.ts COMPLIANCE_CLASSES), those
 * not all compliant outlined thicker, and the grid picked in the table outlined white.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { GridProperties } from '../../../../shared/src/schemas/features.ts';
import type { PatrolCompliance } from '../../../../shared/src/schemas/patrol.ts';
import { complianceClass, type Rgba } from '../symbols.ts';
import type { GridFeature } from './grids.ts';

export const COMPLIANCE_LAYER_ID = 'ledger-compliance';
const FILL_ALPHA = 170;
const LINE: Rgba = [20, 20, 20, 220];
const PICKED_LINE: Rgba = [255, 255, 255, 255];

export interface ComplianceLayerState {
  compliance: PatrolCompliance | null;
  picked: string | null;
}

/** The grids that have a compliance row, each with its share (the features of other grids are left out). */
export function complianceFeatures(
  grids: readonly GridFeature[],
  compliance: PatrolCompliance,
): { feature: GridFeature; pct: number }[] {
  const pct = new Map(compliance.rows.map((r) => [r.code, r.compliantPct]));
  const out: { feature: GridFeature; pct: number }[] = [];
  for (const feature of grids) {
    const share = pct.get(feature.properties.code);
    if (share !== undefined) out.push({ feature, pct: share });
  }
  return out;
}

export function complianceFill(pct: number): Rgba {
  const [r, g, b] = complianceClass(pct).colour;
  return [r, g, b, FILL_ALPHA];
}

/**
 * `shown` is complianceFeatures' answer, kept by the caller while grids and compliance stay the same
 * (a new array would make deck.gl tessellate every polygon again).
 */
export function buildComplianceLayer(
  shown: readonly { feature: GridFeature; pct: number }[],
  picked: string | null,
  options: { scale: number },
) {
  const pctOf = new Map(shown.map((s) => [s.feature.properties.code, s.pct]));
  return new GeoJsonLayer<GridProperties>({
    id: COMPLIANCE_LAYER_ID,
    data: shown.map((s) => s.feature),
    filled: true,
    stroked: true,
    pickable: false,
    lineWidthUnits: 'pixels',
    getFillColor: (f) => complianceFill(pctOf.get(f.properties.code) ?? 0),
    getLineColor: (f) => [...(f.properties.code === picked ? PICKED_LINE : LINE)],
    getLineWidth: (f) =>
      (f.properties.code === picked ? 4 : (pctOf.get(f.properties.code) ?? 0) < 100 ? 2 : 0.75) *
      options.scale,
    updateTriggers: {
      getFillColor: [shown],
      getLineColor: [picked],
      getLineWidth: [picked, shown, options.scale],
    },
  });
}
