import type { StationStatus } from '../../../../shared/src/domain.ts';
import type { RollcallOutcome } from '../../../../shared/src/schemas/rollcall.ts';
import type { Queryable } from '../../db/transaction.ts';

export interface JointStationRow {
  code: string;
  name: string;
  status: StationStatus;
  stream_url: string | null;
  village_code: string | null;
}

export interface ResultRow {
  day: string;
  station_code: string;
  outcome: RollcallOutcome;
  note: string | null;
  by: string;
  recorded_at: Date;
}

export const rollcallRepository = {
  /** The skid-mounted (joint) stations of a county, by code. */
  async jointStations(db: Queryable, county: string): Promise<JointStationRow[]> {
    const { rows } = await db.query<JointStationRow>(
      `SELECT code, name, status, stream_url, village_code FROM fire_station
        WHERE tier = 'joint_station' AND village_code LIKE $1 || '%' ORDER BY code`,
      [county],
    );
    return rows;
  },

  /** Results recorded in [from, to] (days), for the stations given. */
  async results(db: Queryable, codes: string[], from: string, to: string): Promise<ResultRow[]> {
    const { rows } = await db.query<ResultRow>(
      `SELECT to_char(r.day, 'YYYY-MM-DD') AS day, r.station_code, r.outcome, r.note, u.display_name AS by,
              r.recorded_at
         FROM rollcall_result r JOIN app_user u ON u.id = r.recorded_by
        WHERE r.station_code = ANY($1) AND r.day BETWEEN $2 AND $3
        ORDER BY r.day, r.station_code`,
      [codes, from, to],
    );
    return rows;
  },

  /**
   * Records a result once: who recorded it (display name) and when, or null when that day's result of
   * the station is already there.
   */
  async record(
    db: Queryable,
    r: { day: string; station: string; outcome: RollcallOutcome; note: string | null; userId: number },
  ): Promise<{ by: string; recorded_at: Date } | null> {
    const { rows } = await db.query<{ by: string; recorded_at: Date }>(
      `WITH ins AS (
         INSERT INTO rollcall_result (day, station_code, outcome, note, recorded_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (day, station_code) DO NOTHING
         RETURNING recorded_by, recorded_at)
       SELECT u.display_name AS by, ins.recorded_at FROM ins JOIN app_user u ON u.id = ins.recorded_by`,
      [r.day, r.station, r.outcome, r.note, r.userId],
    );
    return rows[0] ?? null;
  },
};
