import type pg from 'pg';

/**
 * Bulk inserts for the demo dataset. Each statement takes a JSON array of GeoJSON features, so a batch
 * of thousands of rows is one round trip on both backends.
 */
const GEOM = `ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326)`;
const P = (key: string) => `f->'properties'->>'${key}'`;

const INSERTS = {
  adminAreas: `
    INSERT INTO admin_area (code, name, level, kind, parent_code, synthetic, geom)
    SELECT ${P('code')}, ${P('name')}, ${P('level')}, ${P('kind')}, ${P('parent_code')},
           (${P('synthetic')})::boolean, ST_Multi(${GEOM})
      FROM jsonb_array_elements($1::jsonb) f`,
  grids: `
    INSERT INTO grid (code, name, level, parent_code, admin_code, member_name, member_phone, population,
                      households, synthetic, geom)
    SELECT ${P('code')}, ${P('name')}, ${P('level')}, ${P('parent_code')}, ${P('admin_code')},
           ${P('member_name')}, ${P('member_phone')}, (${P('population')})::integer,
           (${P('households')})::integer, (${P('synthetic')})::boolean, ST_Multi(${GEOM})
      FROM jsonb_array_elements($1::jsonb) f`,
  stations: `
    INSERT INTO fire_station (code, name, tier, station_class, status, crew, vehicles, grid_code, address, phone,
                              synthetic, geom)
    SELECT ${P('code')}, ${P('name')}, ${P('tier')}, ${P('station_class')}, ${P('status')},
           (${P('crew')})::integer, (${P('vehicles')})::integer, ${P('grid_code')}, ${P('address')},
           ${P('phone')}, (${P('synthetic')})::boolean, ${GEOM}
      FROM jsonb_array_elements($1::jsonb) f`,
  waterSources: `
    INSERT INTO water_source (code, name, kind, flow_lps, pressure_mpa, capacity_m3, status, last_inspected_at,
                              synthetic, geom)
    SELECT ${P('code')}, ${P('name')}, ${P('kind')}, (${P('flow_lps')})::double precision,
           (${P('pressure_mpa')})::double precision, (${P('capacity_m3')})::double precision, ${P('status')},
           (${P('last_inspected_at')})::date, (${P('synthetic')})::boolean, ${GEOM}
      FROM jsonb_array_elements($1::jsonb) f`,
  enterprises: `
    INSERT INTO enterprise (code, name, category, risk, grid_code, employees, address, synthetic, geom)
    SELECT ${P('code')}, ${P('name')}, ${P('category')}, ${P('risk')}, ${P('grid_code')},
           (${P('employees')})::integer, ${P('address')}, (${P('synthetic')})::boolean, ${GEOM}
      FROM jsonb_array_elements($1::jsonb) f`,
  roadNodes: `
    INSERT INTO road_node (id, geom)
    SELECT (n->>0)::bigint, ST_SetSRID(ST_MakePoint((n->>1)::double precision, (n->>2)::double precision), 4326)
      FROM jsonb_array_elements($1::jsonb) n`,
  roads: `
    INSERT INTO road (id, source, target, class, name, speed_kmh, length_m, oneway, bridge, synthetic, geom)
    SELECT (${P('id')})::bigint, (${P('source')})::bigint, (${P('target')})::bigint, ${P('class')}, ${P('name')},
           (${P('speed_kmh')})::double precision, (${P('length_m')})::double precision,
           (${P('oneway')})::boolean, (${P('bridge')})::boolean, (${P('synthetic')})::boolean, ${GEOM}
      FROM jsonb_array_elements($1::jsonb) f`,
  waterways: `
    INSERT INTO waterway (code, name, width_m, synthetic, geom)
    SELECT ${P('code')}, ${P('name')}, (${P('width_m')})::double precision, (${P('synthetic')})::boolean,
           ST_Multi(${GEOM})
      FROM jsonb_array_elements($1::jsonb) f`,
} as const;

export type SeedTable = keyof typeof INSERTS;

export async function insertBatch(client: pg.ClientBase, table: SeedTable, rows: unknown[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await client.query(INSERTS[table], [JSON.stringify(rows)]);
  return result.rowCount ?? 0;
}

export async function isSeeded(client: pg.ClientBase | pg.Pool): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_area');
  return (rows[0]?.n ?? 0) > 0;
}

/** Every seeded table, for a clean reseed; CASCADE also removes the accounts that point at the areas. */
export async function clearDemoData(client: pg.ClientBase): Promise<void> {
  await client.query(
    'TRUNCATE road, road_node, waterway, enterprise, water_source, fire_station, grid, admin_area RESTART IDENTITY CASCADE',
  );
}
