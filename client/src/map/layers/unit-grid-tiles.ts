/**
 * The unit grids from our vector tiles (`/tiles/grids/{z}/{x}/{y}.mvt?level=unit`) as deck.gl MVTLayers:
 * styled, pickable and highlighted like the GeoJSON grid levels (grids.ts), and coloured by patrol
 * compliance in the ledger view (compliance.ts). This module is a chunk of its own, loaded after the
 * first map: deck.gl's tile layers and the MVT parser are not needed before it.
 *
 * Tiles are parsed on the main thread (loaders.gl's worker would be fetched from a CDN, and a unit-grid
 * tile is a few hundred polygons); each request carries the session's token as it is at that moment.
 */
import type { Layer } from '@deck.gl/core';
import { MVTLayer } from '@deck.gl/geo-layers';
import { load } from '@loaders.gl/core';
import { MVTLoader } from '@loaders.gl/mvt';
import type { GridProperties } from '../../../../shared/src/schemas/features.ts';
import { TILE_DETAIL_MAX_ZOOM } from '../basemap-style.ts';
import { complianceStyleProps } from './compliance.ts';
import { gridStyleProps } from './grids.ts';

export interface UnitGridTilesConfig {
  /** the tile URL template (`{z}/{x}/{y}`), absolute */
  url: string;
  /** the access token at this moment (null: signed out) */
  token: () => string | null;
  /** every tile in view has arrived (for the test hooks) */
  onViewportLoad?: (layerId: string) => void;
}

export interface UnitGridTiles {
  grids(options: { visible: boolean; pickable: boolean; selectedCode: string | null; scale: number }): Layer;
  /** the unit grids coloured by their compliance share (`pctOf` by code), the picked one outlined */
  compliance(options: { pctOf: ReadonlyMap<string, number>; picked: string | null; scale: number }): Layer;
}

type LoadContext = { loadOptions?: Record<string, unknown> | null; signal?: AbortSignal };

export function createUnitGridTiles({ url, token, onViewportLoad }: UnitGridTilesConfig): UnitGridTiles {
  /** deck.gl's tile fetch with our header, read per request (the token is refreshed while the map lives) */
  const fetchTile = (tileUrl: string, { loadOptions, signal }: LoadContext) => {
    const current = token();
    const core = (loadOptions?.core ?? {}) as Record<string, unknown>;
    return load(tileUrl, MVTLoader, {
      ...loadOptions,
      core: {
        ...core,
        worker: false,
        fetch: {
          ...(core.fetch as RequestInit | undefined),
          ...(signal && { signal }),
          headers: current ? { authorization: `Bearer ${current}` } : {},
        },
      },
    });
  };
  const base = {
    data: url,
    loaders: [MVTLoader],
    fetch: fetchTile,
    // the server's tiles hold no more detail past this zoom: deeper views use them overzoomed
    maxZoom: TILE_DETAIL_MAX_ZOOM,
    // a grid is cut at tile edges: its code joins the pieces (highlight, rendered features)
    uniqueIdProperty: 'code',
  };
  return {
    grids: ({ visible, pickable, selectedCode, scale }) => {
      const style = gridStyleProps({ level: 'unit', pickable, fillByDensity: true, selectedCode, scale });
      return new MVTLayer<GridProperties>({
        ...base,
        ...style,
        visible,
        onViewportLoad: () => onViewportLoad?.(style.id),
      });
    },
    compliance: ({ pctOf, picked, scale }) => {
      const style = complianceStyleProps(pctOf, picked, { scale });
      return new MVTLayer<GridProperties>({
        ...base,
        ...style,
        // pickable like the unit grids under it (a click selects the grid)
        pickable: true,
        onViewportLoad: () => onViewportLoad?.(style.id),
      });
    },
  };
}
