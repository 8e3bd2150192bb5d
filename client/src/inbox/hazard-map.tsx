/**
 * A small map of where the hazard lies: our own basemap (road tiles, waterways, the county) centred on it,
 * with the hazard as a ringed dot. Lazily loaded with MapLibre, like the wall map.
 */
import { Map as MapLibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import { districtStore } from '../data/district-store.ts';
import {
  BASEMAP_SOURCES,
  basemapSourceData,
  buildBasemapStyle,
  FLAT_MAP_OPTIONS,
  type BasemapSourceId,
  withTileToken,
} from '../map/basemap-style.ts';
import { currentToken } from '../auth/page-session.ts';
import { testHooks } from '../test-hooks.ts';

const HAZARD_SOURCE = 'hazard';
const ZOOM = 15;

const point = (lon: number, lat: number): GeoJSON.FeatureCollection => ({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [lon, lat] } }],
});

export default function HazardMap({ lon, lat }: { lon: number; lat: number }) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | null>(null);

  useEffect(() => {
    if (!container.current) return undefined;
    setWorkerUrl(workerUrl);
    const created = new MapLibreMap({
      container: container.current,
      style: buildBasemapStyle(location.origin),
      transformRequest: withTileToken(location.origin, currentToken),
      center: [lon, lat],
      zoom: ZOOM,
      ...FLAT_MAP_OPTIONS,
    });
    map.current = created;
    created.on('load', () => {
      const { datasets } = districtStore.getSnapshot();
      for (const source of Object.keys(BASEMAP_SOURCES) as BasemapSourceId[])
        void created
          .getSource<GeoJSONSource>(BASEMAP_SOURCES[source])
          ?.setData(basemapSourceData(source, datasets));
      const { lng, lat: centreLat } = created.getCenter();
      created.addSource(HAZARD_SOURCE, { type: 'geojson', data: point(lng, centreLat) });
      created.addLayer({
        id: HAZARD_SOURCE,
        type: 'circle',
        source: HAZARD_SOURCE,
        paint: {
          'circle-radius': 9,
          'circle-color': '#ff5a5a',
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 3,
        },
      });
      testHooks().hazardMapCentre = [lng, centreLat];
    });
    return () => {
      created.remove();
      map.current = null;
      testHooks().hazardMapCentre = null;
    };
    // made once: the effect below moves it to the next hazard
  }, []);

  useEffect(() => {
    const current = map.current;
    if (!current) return;
    current.jumpTo({ center: [lon, lat], zoom: ZOOM });
    current.getSource<GeoJSONSource>(HAZARD_SOURCE)?.setData(point(lon, lat));
    if (current.getSource(HAZARD_SOURCE)) testHooks().hazardMapCentre = [lon, lat];
  }, [lon, lat]);

  return <div ref={container} className="hazard-map" data-testid="hazard-map" />;
}
