import type pg from 'pg';
import type { CollectionId } from '../../../../shared/src/schemas/features.ts';

/**
 * SQL for the OGC API collections. Each source exposes `id`, `props` (the feature properties as
 * jsonb), `geom`, and the columns clients may filter on.
 */
const SOURCES: Record<
  CollectionId,
  { from: string; id: string; props: string; filterColumns: string[]; numericId?: boolean; scope: string }
> = {
  'admin-areas': {
    scope: 'code',
    from: 'admin_area',
    id: 'code',
    props: `jsonb_build_object('code', code, 'name', name, 'level', level, 'kind', kind,
              'parent_code', parent_code, 'synthetic', synthetic)`,
    filterColumns: ['level'],
  },
  grids: {
    scope: 'admin_code',
    from: 'grid',
    id: 'code',
    props: `jsonb_build_object('code', code, 'name', name, 'level', level, 'parent_code', parent_code,
              'admin_code', admin_code, 'member_name', member_name, 'member_phone', member_phone,
              'population', population, 'households', households,
              'area_km2', round((ST_Area(geom::geography) / 1e6)::numeric, 4), 'synthetic', synthetic)`,
    filterColumns: ['level'],
  },
  stations: {
    scope: 'village_code',
    from: 'fire_station s JOIN fire_force_tier t USING (tier)',
    id: 'code',
    props: `jsonb_build_object('code', code, 'name', name, 'tier', tier, 'station_class', station_class,
              'status', status, 'crew', crew, 'vehicles', vehicles,
              'target_minutes', t.target_minutes::double precision, 'grid_code', grid_code,
              'address', address, 'phone', phone, 'synthetic', synthetic)`,
    filterColumns: ['tier', 'status'],
  },
  'water-sources': {
    scope: 'village_code',
    from: 'water_source',
    id: 'code',
    props: `jsonb_build_object('code', code, 'name', name, 'kind', kind, 'flow_lps', flow_lps,
              'pressure_mpa', pressure_mpa, 'capacity_m3', capacity_m3, 'status', status,
              'last_inspected_at', last_inspected_at, 'synthetic', synthetic)`,
    filterColumns: ['kind', 'status'],
  },
  enterprises: {
    scope: 'village_code',
    from: 'enterprise',
    id: 'code',
    props: `jsonb_build_object('code', code, 'name', name, 'category', category, 'risk', risk,
              'grid_code', grid_code, 'employees', employees, 'address', address, 'synthetic', synthetic)`,
    filterColumns: ['risk', 'category'],
  },
  roads: {
    scope: 'village_code',
    from: 'road',
    id: 'id',
    numericId: true,
    props: `jsonb_build_object('id', id, 'source', source, 'target', target, 'cost_s', round(cost_s::numeric, 3),
              'reverse_cost_s', round(reverse_cost_s::numeric, 3), 'class', class, 'name', name,
              'speed_kmh', speed_kmh, 'length_m', round(length_m::numeric, 2), 'oneway', oneway,
              'bridge', bridge, 'synthetic', synthetic)`,
    filterColumns: ['class'],
  },
  'coverage-circles': {
    scope: 'village_code',
    from: 'coverage_circle',
    id: 'station_code',
    props: `jsonb_build_object('station_code', station_code, 'station_name', station_name, 'tier', tier,
              'status', status, 'target_minutes', target_minutes, 'radius_m', round(radius_m::numeric, 1),
              'area_km2', round((pi() * radius_m * radius_m / 1e6)::numeric, 3), 'rule', clause)`,
    filterColumns: ['tier', 'status'],
  },
  waterways: {
    scope: 'SPATIAL',
    from: 'waterway',
    id: 'code',
    props: `jsonb_build_object('code', code, 'name', name, 'width_m', width_m, 'synthetic', synthetic)`,
    filterColumns: [],
  },
};

export interface ItemsQuery {
  /** the caller's area (division code); rows outside it do not exist for them */
  scope: string;
  bbox?: [number, number, number, number] | undefined;
  /** column → allowed values (already validated) */
  filters: Record<string, string[]>;
  limit: number;
  offset: number;
  /** `geometry` is JSON null (a caller that wants the names and figures only) */
  skipGeometry?: boolean | undefined;
}

export interface FeatureRow {
  id: string;
  geometry: string;
  props: string;
}

/** Scope as a prefix match on the division code each row carries (see migration 002). */
function scopeClause(column: string, n: number): string {
  return column === 'SPATIAL'
    ? `ST_Intersects(geom, (SELECT geom FROM admin_area WHERE code = $${n}))`
    : `${column} LIKE $${n} || '%'`;
}

function where(
  collection: CollectionId,
  query: Omit<ItemsQuery, 'limit' | 'offset'>,
  params: unknown[],
): string {
  const source = SOURCES[collection];
  params.push(query.scope);
  const clauses: string[] = [scopeClause(source.scope, params.length)];
  if (query.bbox) {
    params.push(...query.bbox);
    const n = params.length;
    clauses.push(`ST_Intersects(geom, ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 4326))`);
  }
  for (const [column, values] of Object.entries(query.filters)) {
    if (!source.filterColumns.includes(column)) throw new Error(`${collection}: no filter on ${column}`);
    params.push(values);
    clauses.push(`${column} = ANY($${params.length}::text[])`);
  }
  return `WHERE ${clauses.join(' AND ')}`;
}

export function createOgcRepository(pool: pg.Pool) {
  return {
    async countItems(collection: CollectionId, query: Omit<ItemsQuery, 'limit' | 'offset'>): Promise<number> {
      const params: unknown[] = [];
      const sql = `SELECT count(*)::int AS n FROM ${SOURCES[collection].from} ${where(collection, query, params)}`;
      const { rows } = await pool.query<{ n: number }>(sql, params);
      return rows[0]?.n ?? 0;
    },

    async listItems(collection: CollectionId, query: ItemsQuery): Promise<FeatureRow[]> {
      const source = SOURCES[collection];
      const params: unknown[] = [];
      const filter = where(collection, query, params);
      params.push(query.limit, query.offset);
      const geometry = query.skipGeometry ? `'null'` : 'ST_AsGeoJSON(geom, 6)';
      const sql = `
        SELECT ${source.id}::text AS id, ${geometry} AS geometry, (${source.props})::text AS props
          FROM ${source.from} ${filter}
         ORDER BY ${source.id}
         LIMIT $${params.length - 1} OFFSET $${params.length}`;
      const { rows } = await pool.query<FeatureRow>(sql, params);
      return rows;
    },

    async getItem(collection: CollectionId, id: string, scope: string): Promise<FeatureRow | undefined> {
      const source = SOURCES[collection];
      const sql = `
        SELECT ${source.id}::text AS id, ST_AsGeoJSON(geom, 6) AS geometry, (${source.props})::text AS props
          FROM ${source.from} WHERE ${source.id} = $1${source.numericId ? '::bigint' : ''} AND ${scopeClause(source.scope, 2)}`;
      const { rows } = await pool.query<FeatureRow>(sql, [id, scope]);
      return rows[0];
    },

    /**
     * A cheap fingerprint of a collection's table (rows and the newest row version): it changes when
     * any row is added, changed or removed, so caches built from the rows know when to rebuild.
     */
    async version(collection: CollectionId): Promise<string> {
      const table = SOURCES[collection].from.split(' ')[0]!;
      const { rows } = await pool.query<{ version: string }>(
        `SELECT count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text AS version FROM ${table}`,
      );
      return rows[0]!.version;
    },

    async extent(collection: CollectionId, scope: string): Promise<[number, number, number, number] | null> {
      const source = SOURCES[collection];
      const sql = `SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
                     FROM (SELECT ST_Extent(geom) AS e FROM ${source.from} WHERE ${scopeClause(source.scope, 1)}) q`;
      const { rows } = await pool.query<{ x0: number | null; y0: number; x1: number; y1: number }>(sql, [
        scope,
      ]);
      const r = rows[0];
      return r && r.x0 !== null ? [r.x0, r.y0, r.x1, r.y1] : null;
    },
  };
}
export type OgcRepository = ReturnType<typeof createOgcRepository>;
