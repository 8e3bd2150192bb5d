import { ROAD_CLASSES, type RoadClass } from '../../../../shared/src/domain.ts';
import type { Queryable } from '../../db/transaction.ts';
import type { RoadEdges } from './graph.ts';

interface RoadRow {
  id: number;
  source: number;
  target: number;
  cost_s: number;
  reverse_cost_s: number;
  length_m: number;
  class: RoadClass;
  name: string | null;
  /** the geometry as WKB (little-endian, plain 2D LineString) */
  wkb: Buffer;
}

/** Vertices of a 2D WKB LineString appended to `out` as lon, lat. */
function readLineString(wkb: Buffer, out: number[]): void {
  const little = wkb[0] === 1;
  const count = little ? wkb.readUInt32LE(5) : wkb.readUInt32BE(5);
  for (let i = 0; i < count; i++) {
    const at = 9 + 16 * i;
    out.push(
      little ? wkb.readDoubleLE(at) : wkb.readDoubleBE(at),
      little ? wkb.readDoubleLE(at + 8) : wkb.readDoubleBE(at + 8),
    );
  }
}

export const routingRepository = {
  /**
   * Every road edge with pgRouting's columns and its geometry, in id order. `table` is `road` except in
   * the benchmark, which loads a generated network of the same shape.
   */
  async roadEdges(db: Queryable, table = 'road'): Promise<RoadEdges> {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
    const { rows } = await db.query<RoadRow>(
      `SELECT id::float8 AS id, source::float8 AS source, target::float8 AS target, cost_s, reverse_cost_s,
              length_m, class, name, ST_AsBinary(ST_Force2D(geom), 'NDR') AS wkb
         FROM ${table} ORDER BY id`,
    );
    const coords: number[] = [];
    const coordStart = new Int32Array(rows.length + 1);
    rows.forEach((r, i) => {
      readLineString(r.wkb, coords);
      coordStart[i + 1] = coords.length / 2;
    });
    const column = (pick: (r: RoadRow) => number) => Float64Array.from(rows, pick);
    return {
      id: column((r) => r.id),
      source: column((r) => r.source),
      target: column((r) => r.target),
      costS: column((r) => r.cost_s),
      reverseCostS: column((r) => r.reverse_cost_s),
      lengthM: column((r) => r.length_m),
      roadClass: Uint8Array.from(rows, (r) => ROAD_CLASSES.indexOf(r.class)),
      name: rows.map((r) => r.name),
      coords: Float64Array.from(coords),
      coordStart,
    };
  },

  /**
   * A value that changes whenever a road is inserted, updated or deleted: the row count and the newest
   * row version (xmin), cheap enough to ask every few seconds.
   */
  async roadVersion(db: Queryable): Promise<string> {
    const { rows } = await db.query<{ version: string }>(
      `SELECT count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text || ':' ||
              coalesce(sum(id), 0)::text AS version FROM road`,
    );
    return rows[0]!.version;
  },
};
