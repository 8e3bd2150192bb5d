/**
 * Smart hydrants (智能消火栓): pressure sensors publish readings over MQTT; the server keeps the latest
 * one per water source and takes a hydrant out of service when its pressure falls below what
 * GB 50974-2014 asks of it, and back in once it has recovered (see the thresholds below).
 */
import { Type, type Static } from 'typebox';
import { WATER_SOURCE_KINDS, WATER_SOURCE_STATUSES } from '../domain.ts';
import { HYDRANT_MIN_PRESSURE_MPA } from '../standards.ts';

/** Below this a reading takes an in-service hydrant out of service (GB 50974-2014 §7.2.6: 0.10 MPa). */
export const SENSOR_LOW_PRESSURE_MPA = HYDRANT_MIN_PRESSURE_MPA;
/**
 * Hysteresis, our own policy (not a standard's figure): a hydrant the sensor took out of service returns
 * only after this many consecutive readings at or above this pressure, so a sensor flapping around
 * 0.10 MPa changes the status once, not at every reading. 0.14 MPa leaves a margin of 0.04 MPa above
 * the minimum; three readings are about 15 minutes at a typical 5-minute reporting interval.
 */
export const SENSOR_RECOVERY_PRESSURE_MPA = 0.14;
export const SENSOR_RECOVERY_READINGS = 3;
/** Readings above this are refused as absurd (municipal mains run at about 0.2–0.6 MPa). */
export const SENSOR_MAX_PRESSURE_MPA = 2;

/** Water sources fed by a pressurised main, the only kinds a pressure reading applies to. */
export const PRESSURISED_KINDS = [
  'hydrant',
  'fire_crane',
] as const satisfies readonly (typeof WATER_SOURCE_KINDS)[number][];

export const WaterSourceCode = Type.String({ pattern: '^[A-Za-z0-9-]{1,32}$' });

export const HydrantPressureView = Type.Object({
  code: Type.String(),
  kind: Type.Enum([...WATER_SOURCE_KINDS]),
  status: Type.Enum([...WATER_SOURCE_STATUSES]),
  statusSetBy: Type.Enum(['person', 'sensor'], {
    description: 'the pressure sensor returns to service only what it took out of service itself',
  }),
  reading: Type.Union([
    Type.Object({
      pressureMpa: Type.Number({ minimum: 0 }),
      readAt: Type.String({ format: 'date-time', description: "the sensor's own time of the reading" }),
      receivedAt: Type.String({ format: 'date-time' }),
      battery: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
    }),
    Type.Null(),
  ]),
  thresholds: Type.Object({
    lowMpa: Type.Number(),
    recoveryMpa: Type.Number(),
    recoveryReadings: Type.Integer(),
  }),
});
export type HydrantPressureView = Static<typeof HydrantPressureView>;
