import type { WaterSourceStatus } from '../../../../shared/src/domain.ts';
import {
  SENSOR_LOW_PRESSURE_MPA,
  SENSOR_RECOVERY_PRESSURE_MPA,
  SENSOR_RECOVERY_READINGS,
} from '../../../../shared/src/schemas/hydrant-sensors.ts';

export type StatusSetBy = 'person' | 'sensor';

export interface SourceState {
  status: WaterSourceStatus;
  setBy: StatusSetBy;
  /** consecutive readings at or above the recovery pressure so far */
  recovering: number;
}

export interface Decision {
  /** the new status, or null to leave it */
  to: WaterSourceStatus | null;
  reason: string | null;
  /** the recovery count to store with this reading */
  recovering: number;
}

const mpa = (v: number) => `${v.toFixed(2)} MPa`;

/**
 * What one reading does to a water source. A reading below 0.10 MPa takes an in-service source out of
 * service at once; only an out_of_service the sensor set itself comes back, after
 * SENSOR_RECOVERY_READINGS consecutive readings at or above SENSOR_RECOVERY_PRESSURE_MPA (any reading
 * below that starts the count again). A person's under_repair or out_of_service is never touched.
 */
export function decide(state: SourceState, pressureMpa: number): Decision {
  if (pressureMpa < SENSOR_LOW_PRESSURE_MPA && state.status === 'in_service') {
    return {
      to: 'out_of_service',
      reason: `pressure ${mpa(pressureMpa)} below ${mpa(SENSOR_LOW_PRESSURE_MPA)} (GB 50974-2014 §7.2.6)`,
      recovering: 0,
    };
  }
  const trippedBySensor = state.status === 'out_of_service' && state.setBy === 'sensor';
  if (!trippedBySensor) return { to: null, reason: null, recovering: 0 };
  const recovering = pressureMpa >= SENSOR_RECOVERY_PRESSURE_MPA ? state.recovering + 1 : 0;
  if (recovering < SENSOR_RECOVERY_READINGS) return { to: null, reason: null, recovering };
  return {
    to: 'in_service',
    reason: `pressure at or above ${mpa(SENSOR_RECOVERY_PRESSURE_MPA)} for ${SENSOR_RECOVERY_READINGS} consecutive readings (last ${mpa(pressureMpa)})`,
    recovering: 0,
  };
}
