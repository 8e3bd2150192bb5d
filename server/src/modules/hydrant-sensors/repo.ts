import type { WaterSourceKind, WaterSourceStatus } from '../../../../shared/src/domain.ts';
import type { Queryable } from '../../db/transaction.ts';
import type { StatusSetBy } from './decide.ts';

/** A water source with its latest reading (null columns when it has none). */
export interface SourceReadingRow {
  code: string;
  kind: WaterSourceKind;
  status: WaterSourceStatus;
  status_set_by: StatusSetBy;
  village_code: string;
  pressure_mpa: number | null;
  read_at: Date | null;
  received_at: Date | null;
  battery: number | null;
  recovering: number | null;
}

const SELECT_SOURCE = `SELECT w.code, w.kind, w.status, w.status_set_by, w.village_code,
                              r.pressure_mpa, r.read_at, r.received_at, r.battery, r.recovering
                         FROM water_source w LEFT JOIN hydrant_reading r ON r.code = w.code`;

export interface NewReading {
  code: string;
  pressureMpa: number;
  readAt: Date;
  battery: number | null;
  recovering: number;
}

export const hydrantSensorRepository = {
  /** The source and its latest reading, the source row locked (readings of one source apply one at a time). */
  async forUpdate(db: Queryable, code: string): Promise<SourceReadingRow | undefined> {
    const { rows } = await db.query<SourceReadingRow>(`${SELECT_SOURCE} WHERE w.code = $1 FOR UPDATE OF w`, [
      code,
    ]);
    return rows[0];
  },

  /** The source and its latest reading if it lies in `scope`. */
  async inScope(db: Queryable, code: string, scope: string): Promise<SourceReadingRow | undefined> {
    const { rows } = await db.query<SourceReadingRow>(
      `${SELECT_SOURCE} WHERE w.code = $1 AND w.village_code LIKE $2 || '%'`,
      [code, scope],
    );
    return rows[0];
  },

  /**
   * Sets the status as the sensor (migration 006's trigger records `status_set_by = 'sensor'` for
   * changes made in a transaction that declared itself the sensor's; the setting ends with it).
   */
  async setStatusBySensor(db: Queryable, code: string, status: WaterSourceStatus): Promise<void> {
    await db.query(`SELECT set_config('gridwatch.status_set_by', 'sensor', true)`);
    await db.query(`UPDATE water_source SET status = $2 WHERE code = $1`, [code, status]);
  },

  async saveReading(db: Queryable, r: NewReading): Promise<void> {
    await db.query(
      `INSERT INTO hydrant_reading (code, pressure_mpa, read_at, received_at, battery, recovering)
       VALUES ($1, $2, $3, now(), $4, $5)
       ON CONFLICT (code) DO UPDATE SET pressure_mpa = EXCLUDED.pressure_mpa, read_at = EXCLUDED.read_at,
         received_at = EXCLUDED.received_at, battery = EXCLUDED.battery, recovering = EXCLUDED.recovering`,
      [r.code, r.pressureMpa, r.readAt, r.battery, r.recovering],
    );
  },
};
