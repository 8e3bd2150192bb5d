/**
 * Loads an OpenStreetMap extract (.osm XML or .osm.pbf) into `road_node` and `road` in one transaction: reads the file,
 * maps `highway` tags (osm-tags.ts), splits ways at intersections (osm-network.ts), and writes edges
 * whose length is the geodesic ST_Length(geography) of their line, so `cost_s` is length over speed.
 */
import type pg from 'pg';
import { insertBatch } from '../../server/src/db/seed/seed-repo.ts';
import { inBbox, splitWays, type Bbox, type RoadWay } from './osm-network.ts';
import { isSkip, roadFromTags } from './osm-tags.ts';
import { readOsmPbf } from './osm-pbf.ts';
import { readOsmXml } from './osm-xml.ts';

export interface ImportOptions {
  /** replace the current network instead of adding to it */
  replace: boolean;
  bbox?: Bbox;
  log?: (msg: string) => void;
}

export interface ImportSummary {
  waysRead: number;
  roadWays: number;
  nodesWritten: number;
  edgesWritten: number;
  onewayEdges: number;
  skipped: Record<string, number>;
}

const BATCH = 5_000;
const PROGRESS_EVERY = 100_000;

const INSERT_ROADS = `
  INSERT INTO road (id, source, target, class, name, speed_kmh, length_m, oneway, bridge, synthetic, geom)
  SELECT (e->>'id')::bigint, (e->>'source')::bigint, (e->>'target')::bigint, e->>'class', e->>'name',
         (e->>'speed_kmh')::double precision, ST_Length(g::geography), (e->>'oneway')::boolean,
         (e->>'bridge')::boolean, false, g
    FROM jsonb_array_elements($1::jsonb) e,
         LATERAL ST_SetSRID(ST_GeomFromGeoJSON(e->'geometry'), 4326) g`;

export async function importOsmRoads(
  pool: pg.Pool,
  file: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  const log = options.log ?? (() => undefined);
  const read = /\.pbf$/i.test(file) ? readOsmPbf : readOsmXml;

  const coords = new Map<number, [number, number]>();
  const ways: RoadWay[] = [];
  const skipped: Record<string, number> = {};
  let waysRead = 0;
  let nodesRead = 0;
  await read(file, {
    node(n) {
      if (++nodesRead % PROGRESS_EVERY === 0) log(`read ${nodesRead} nodes`);
      if (options.bbox && !inBbox(options.bbox, n.lon, n.lat)) return;
      coords.set(n.id, [n.lon, n.lat]);
    },
    way(w) {
      if (++waysRead % PROGRESS_EVERY === 0) log(`read ${waysRead} ways`);
      const road = roadFromTags(w.tags);
      if (isSkip(road)) {
        skipped[road.skip] = (skipped[road.skip] ?? 0) + 1;
        return;
      }
      const bridge = w.tags.bridge !== undefined && w.tags.bridge !== 'no';
      ways.push({ id: w.id, nodeIds: w.nodeIds, name: w.tags.name, bridge, ...road });
    },
  });
  log(`read ${nodesRead} nodes and ${waysRead} ways; ${ways.length} are roads`);
  const edges = splitWays(ways, (id) => coords.has(id));
  const outside = ways.length - new Set(edges.map((e) => e.wayId)).size;
  if (outside > 0) skipped[options.bbox ? 'outside the bbox or without nodes' : 'without nodes'] = outside;

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (options.replace) await client.query('TRUNCATE road, road_node');
    const { rows } = await client.query<{ node: string; road: string }>(
      'SELECT (SELECT coalesce(max(id), 0) FROM road_node)::text AS node, (SELECT coalesce(max(id), 0) FROM road)::text AS road',
    );
    const nodeBase = Number(rows[0]!.node);
    const roadBase = Number(rows[0]!.road);

    // database ids follow on from the current network's, so an import never collides with it
    const nodeId = new Map<number, number>();
    for (const e of edges)
      for (const osm of [e.nodeIds[0]!, e.nodeIds.at(-1)!])
        if (!nodeId.has(osm)) nodeId.set(osm, nodeBase + nodeId.size + 1);
    const nodeRows = [...nodeId].map(([osm, id]) => [id, ...coords.get(osm)!]);
    for (let i = 0; i < nodeRows.length; i += BATCH)
      await insertBatch(client, 'roadNodes', nodeRows.slice(i, i + BATCH));
    log(`wrote ${nodeRows.length} road nodes`);

    for (let i = 0; i < edges.length; i += BATCH) {
      const batch = edges.slice(i, i + BATCH).map((e, j) => ({
        id: roadBase + i + j + 1,
        source: nodeId.get(e.nodeIds[0]!),
        target: nodeId.get(e.nodeIds.at(-1)!),
        class: e.roadClass,
        name: e.name ?? null,
        speed_kmh: e.speedKmh,
        oneway: e.oneway,
        bridge: e.bridge,
        geometry: { type: 'LineString', coordinates: e.nodeIds.map((id) => coords.get(id)) },
      }));
      await client.query(INSERT_ROADS, [JSON.stringify(batch)]);
      log(`wrote ${Math.min(i + BATCH, edges.length)} of ${edges.length} road edges`);
    }
    await client.query('COMMIT');
    return {
      waysRead,
      roadWays: ways.length,
      nodesWritten: nodeRows.length,
      edgesWritten: edges.length,
      onewayEdges: edges.filter((e) => e.oneway).length,
      skipped,
    };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
