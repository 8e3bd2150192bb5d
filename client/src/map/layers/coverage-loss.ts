/**
 * The roads that lost their 5-minute (micro: 3-minute) cover while forces are busy, as the server's
 * GET /api/coverage/live gives them: wide, translucent vermillion under the live symbols.
 */
import { PathLayer } from '@deck.gl/layers';
import type { CoverageLive } from '../../../../shared/src/schemas/coverage.ts';
import { COVERAGE_LOSS_COLOUR } from '../symbols.ts';

export const COVERAGE_LOSS_LAYER_ID = 'coverage-loss';
export const COVERAGE_LOSS_WIDTH_PX = 6;

export function buildCoverageLossLayer(loss: CoverageLive | null, options: { scale: number }) {
  return new PathLayer<[number, number][]>({
    id: COVERAGE_LOSS_LAYER_ID,
    data: loss?.lost.roads.coordinates ?? [],
    pickable: false,
    widthUnits: 'pixels',
    widthScale: options.scale,
    capRounded: true,
    getPath: (line) => line,
    getWidth: COVERAGE_LOSS_WIDTH_PX,
    getColor: [...COVERAGE_LOSS_COLOUR, 150],
  });
}
