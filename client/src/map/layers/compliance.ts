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

/**
 * Each grid's share by code, one map per answer (kept while the answer is: the layers' update triggers
 * compare it, and a new map would recolour every polygon).
 */
const answerPct = new WeakMap<PatrolCompliance, ReadonlyMap<string, number>>();
export function compliancePct(compliance: PatrolCompliance): ReadonlyMap<string, number> {
  let pct = answerPct.get(compliance);
  if (!pct) answerPct.set(compliance, (pct = new Map(compliance.rows.map((r) => [r.code, r.compliantPct]))));
  return pct;
}

/** The grids drawn in compliance colours, and each one's share by code. */
export interface ComplianceShown {
  features: GridFeature[];
  pctOf: ReadonlyMap<string, number>;
}

/** The grids that have a compliance row (the features of other grids are left out). */
export function complianceFeatures(
  grids: readonly GridFeature[],
  compliance: PatrolCompliance,
): ComplianceShown {
  const pctOf = compliancePct(compliance);
  return { features: grids.filter((feature) => pctOf.has(feature.properties.code)), pctOf };
}

export function complianceFill(pct: number): Rgba {
  const [r, g, b] = complianceClass(pct).colour;
  return [r, g, b, FILL_ALPHA];
}

/**
 * The compliance look, for GeoJSON grids and tiled unit grids alike: filled by the share of a grid's
 * unit grids that met both rules, outlined thicker when not all did, the picked grid outlined white;
 * a grid without a row is not drawn (clear fill, no outline).
 */
export function complianceStyleProps(
  pctOf: ReadonlyMap<string, number>,
  picked: string | null,
  options: { scale: number },
) {
  const NONE: Rgba = [0, 0, 0, 0];
  return {
    id: COMPLIANCE_LAYER_ID,
    filled: true,
    stroked: true,
    lineWidthUnits: 'pixels' as const,
    getFillColor: (f: { properties: Pick<GridProperties, 'code'> }): Rgba => {
      const pct = pctOf.get(f.properties.code);
      return pct === undefined ? NONE : complianceFill(pct);
    },
    getLineColor: (f: { properties: Pick<GridProperties, 'code'> }): Rgba =>
      pctOf.has(f.properties.code) ? [...(f.properties.code === picked ? PICKED_LINE : LINE)] : NONE,
    getLineWidth: (f: { properties: Pick<GridProperties, 'code'> }) => {
      const pct = pctOf.get(f.properties.code);
      if (pct === undefined) return 0;
      return (f.properties.code === picked ? 4 : pct < 100 ? 2 : 0.75) * options.scale;
    },
    updateTriggers: {
      getFillColor: [pctOf],
      getLineColor: [pctOf, picked],
      getLineWidth: [picked, pctOf, options.scale],
    },
  };
}

/**
 * `shown` is complianceFeatures' answer, kept by the caller while grids and compliance stay the same
 * (a new features array would make deck.gl tessellate every polygon again).
 */
export function buildComplianceLayer(
  shown: ComplianceShown,
  picked: string | null,
  options: { scale: number },
) {
  return new GeoJsonLayer<GridProperties>({
    ...complianceStyleProps(shown.pctOf, picked, options),
    data: shown.features,
    pickable: false,
  });
}
