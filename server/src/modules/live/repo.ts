import type { StationStatus, StationTier } from '../../../../shared/src/domain.ts';
import { divisionOf } from '../../../../shared/src/schemas/live.ts';
import type { Queryable } from '../../db/transaction.ts';

export interface StationStateRow {
  code: string;
  name: string;
  tier: StationTier;
  status: StationStatus;
  area: string;
  updatedAt: string;
}

export const liveRepository = {
  /** Every force in the area with its status (grid areas: the forces of the grid's division). */
  async stations(db: Queryable, area: string): Promise<StationStateRow[]> {
    const { rows } = await db.query<StationStateRow>(
      `SELECT code, name, tier, status, village_code AS area,
              to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
         FROM fire_station WHERE village_code LIKE $1 || '%' ORDER BY code`,
      [divisionOf(area)],
    );
    return rows;
  },
};
