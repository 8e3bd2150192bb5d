import type pg from 'pg';

export function createHealthRepository(pool: pg.Pool) {
  return {
    async versions(): Promise<{ postgres: string; postgis: string; migration: number }> {
      const { rows } = await pool.query<{ postgres: string; postgis: string; migration: number }>(`
        SELECT current_setting('server_version') AS postgres,
               postgis_lib_version() AS postgis,
               (SELECT coalesce(max(version), 0)::int FROM schemaversion) AS migration`);
      const row = rows[0];
      if (!row) throw new Error('health query returned no row');
      return row;
    },
  };
}
export type HealthRepository = ReturnType<typeof createHealthRepository>;
