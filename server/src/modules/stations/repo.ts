import type { StationStatus, StationTier } from '../../../../shared/src/domain.ts';
import type { Queryable } from '../../db/transaction.ts';

export interface StationStatusRow {
  code: string;
  name: string;
  tier: StationTier;
  status: StationStatus;
  village_code: string;
  updated_at: Date;
}

export const stationRepository = {
  /** The station, locked, if it lies in `scope`. */
  async statusForUpdate(db: Queryable, code: string, scope: string): Promise<StationStatusRow | undefined> {
    const { rows } = await db.query<StationStatusRow>(
      `SELECT code, name, tier, status, village_code, updated_at FROM fire_station
        WHERE code = $1 AND village_code LIKE $2 || '%' FOR UPDATE`,
      [code, scope],
    );
    return rows[0];
  },

  async setStatus(db: Queryable, code: string, status: StationStatus): Promise<StationStatusRow> {
    const { rows } = await db.query<StationStatusRow>(
      `UPDATE fire_station SET status = $2, updated_at = now() WHERE code = $1
       RETURNING code, name, tier, status, village_code, updated_at`,
      [code, status],
    );
    return rows[0]!;
  },

  /** Sets (or with null removes) a station's video stream; its previous address, or undefined outside scope. */
  async setStream(
    db: Queryable,
    code: string,
    scope: string,
    url: string | null,
  ): Promise<{ name: string; before: string | null } | undefined> {
    const { rows } = await db.query<{ name: string; before: string | null }>(
      `UPDATE fire_station s SET stream_url = $3
         FROM (SELECT code, stream_url FROM fire_station WHERE code = $1 AND village_code LIKE $2 || '%' FOR UPDATE) old
        WHERE s.code = old.code
       RETURNING s.name, old.stream_url AS before`,
      [code, scope, url],
    );
    return rows[0];
  },
};
