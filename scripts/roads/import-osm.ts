/**
 * `npm run import:roads -- <file.osm|file.osm.pbf> [--replace] [--bbox minLon,minLat,maxLon,maxLat]`: loads an
 * OpenStreetMap extract into the road network of DATABASE_URL (or the embedded database). The routing
 * engine notices the changed network at its next refresh.
 */
import { parseArgs } from 'node:util';
import { migrate } from '../../server/src/db/migrate.ts';
import { withConfiguredDatabase } from '../db/open.ts';
import { importOsmRoads } from './import.ts';
import type { Bbox } from './osm-network.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { replace: { type: 'boolean', default: false }, bbox: { type: 'string' } },
});
const file = positionals[0];
if (!file) {
  console.error(
    'usage: npm run import:roads -- <file.osm|file.osm.pbf> [--replace] [--bbox minLon,minLat,maxLon,maxLat]',
  );
  process.exit(2);
}
let bbox: Bbox | undefined;
if (values.bbox) {
  const parts = values.bbox.split(',').map(Number);
  if (
    parts.length !== 4 ||
    parts.some((n) => !Number.isFinite(n)) ||
    parts[0]! > parts[2]! ||
    parts[1]! > parts[3]!
  ) {
    console.error('--bbox takes minLon,minLat,maxLon,maxLat');
    process.exit(2);
  }
  bbox = parts as Bbox;
}
await withConfiguredDatabase(async (db) => {
  await migrate(db.pool, console.log);
  const started = performance.now();
  const s = await importOsmRoads(db.pool, file, { replace: values.replace, bbox, log: console.log });
  console.log(
    `${values.replace ? 'replaced the road network' : 'added to the road network'} in ${Math.round(performance.now() - started)} ms`,
  );
  console.table({
    'ways read': s.waysRead,
    'road ways': s.roadWays,
    'road nodes written': s.nodesWritten,
    'edges written': s.edgesWritten,
    'one-way edges': s.onewayEdges,
  });
  if (Object.keys(s.skipped).length > 0) {
    console.log('skipped ways by reason:');
    console.table(s.skipped);
  }
});
