/** The IconLayer shape the point collections share (stations, water sources, enterprises). */
import { IconLayer } from '@deck.gl/layers';
import type { CollectionId } from '../../../../shared/src/schemas/features.ts';
import type { OgcFeature } from '../../data/geojson.ts';
import type { MapIcon } from '../icons.ts';
import { HIGHLIGHT_COLOUR } from '../symbols.ts';
import { pointPosition } from './geometry.ts';

export interface PointLayerOptions {
  visible: boolean;
  selectedCode: string | null;
  /** Viewport scale relative to the 1920-px design width. */
  scale: number;
  /** Size factor of the symbols that shrink at district zoom (`densePointSizeFactor`); 1 = full size. */
  densityFactor: number;
  /** Changes whenever `getIcon`'s answers change without the data changing (live station status). */
  iconTrigger?: number;
}

/** The selected symbol grows by half so it stands out from its neighbours. */
export const SELECTED_SIZE_FACTOR = 1.5;

export interface PointIconSpec<C extends CollectionId> {
  id: string;
  getIcon: (feature: OgcFeature<C>) => MapIcon;
  /** Size in CSS px at the design width. */
  getSizePx: (feature: OgcFeature<C>) => number;
  /** Whether the symbol shrinks at district zoom (the many routine ones; what needs attention stays). */
  shrinks: (feature: OgcFeature<C>) => boolean;
}

export function buildPointIconLayer<C extends CollectionId>(
  spec: PointIconSpec<C>,
  features: readonly OgcFeature<C>[],
  options: PointLayerOptions,
) {
  const { selectedCode, densityFactor } = options;
  return new IconLayer<OgcFeature<C>>({
    id: spec.id,
    data: features as OgcFeature<C>[],
    visible: options.visible,
    pickable: true,
    autoHighlight: true,
    highlightColor: [...HIGHLIGHT_COLOUR],
    sizeUnits: 'pixels',
    sizeScale: options.scale,
    billboard: true,
    alphaCutoff: 0.05,
    getPosition: (feature) => pointPosition(feature.geometry),
    getIcon: spec.getIcon,
    getSize: (feature) =>
      spec.getSizePx(feature) *
      (spec.shrinks(feature) ? densityFactor : 1) *
      (feature.id === selectedCode ? SELECTED_SIZE_FACTOR : 1),
    updateTriggers: {
      getSize: [selectedCode, densityFactor],
      ...(options.iconTrigger !== undefined && { getIcon: [options.iconTrigger] }),
    },
  });
}
