import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import {
  PRESSURISED_KINDS,
  SENSOR_LOW_PRESSURE_MPA,
  SENSOR_RECOVERY_PRESSURE_MPA,
  SENSOR_RECOVERY_READINGS,
  type HydrantPressureView,
} from '../../../../shared/src/schemas/hydrant-sensors.ts';
import type { WaterSourceStatusLive } from '../../../../shared/src/schemas/live.ts';
import type { WaterSourceStatus } from '../../../../shared/src/domain.ts';
import { notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import type { EventWriter } from '../events/with-events.ts';
import { decide } from './decide.ts';
import type { HydrantReading, RejectReason } from './reading.ts';
import { hydrantSensorRepository as repo, type SourceReadingRow } from './repo.ts';

/** What became of one reading. */
export type ReadingOutcome =
  | { kind: 'rejected'; reason: RejectReason; detail: string }
  /** older than (or as old as: a QoS 1 redelivery) the stored reading: ignored */
  | { kind: 'ignored'; reason: 'out_of_order'; detail: string }
  | {
      kind: 'recorded';
      status: WaterSourceStatus;
      change: { from: WaterSourceStatus; to: WaterSourceStatus } | null;
    };

class Rejected extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

/** The audit log's actor for a sensor: no account, named after the water source it sits on. */
const sensorActor = (code: string, villageCode: string): AuditActor => ({
  actorId: null,
  actor: `sensor:${code}`,
  role: 'sensor',
  scope: villageCode,
  ip: null,
  userAgent: null,
  requestId: null,
});

const THRESHOLDS = {
  lowMpa: SENSOR_LOW_PRESSURE_MPA,
  recoveryMpa: SENSOR_RECOVERY_PRESSURE_MPA,
  recoveryReadings: SENSOR_RECOVERY_READINGS,
};

const view = (r: SourceReadingRow): HydrantPressureView => ({
  code: r.code,
  kind: r.kind,
  status: r.status,
  statusSetBy: r.status_set_by,
  reading:
    r.pressure_mpa === null
      ? null
      : {
          pressureMpa: r.pressure_mpa,
          readAt: r.read_at!.toISOString(),
          receivedAt: r.received_at!.toISOString(),
          battery: r.battery,
        },
  thresholds: THRESHOLDS,
});

export function createHydrantSensorService(pool: pg.Pool, events: EventWriter) {
  return {
    /**
     * Stores a reading as the source's latest and applies it to the source's status (decide.ts); a
     * status change, its audit row and its `water_source.status_changed` event commit together.
     */
    async applyReading(reading: HydrantReading): Promise<ReadingOutcome> {
      try {
        return await events.transaction(async (client, emit): Promise<ReadingOutcome> => {
          const source = await repo.forUpdate(client, reading.code);
          if (!source) throw new Rejected('unknown_code', `no water source ${reading.code}`);
          if (!(PRESSURISED_KINDS as readonly string[]).includes(source.kind))
            throw new Rejected('not_pressurised', `${reading.code} is a ${source.kind}`);
          if (!source.village_code.startsWith(reading.district))
            throw new Rejected('wrong_district', `${reading.code} lies in ${source.village_code}`);
          if (source.read_at && reading.at.getTime() <= source.read_at.getTime()) {
            return {
              kind: 'ignored',
              reason: 'out_of_order',
              detail: `read at ${reading.at.toISOString()}, stored ${source.read_at.toISOString()}`,
            };
          }
          const decision = decide(
            { status: source.status, setBy: source.status_set_by, recovering: source.recovering ?? 0 },
            reading.mpa,
          );
          let change: { from: WaterSourceStatus; to: WaterSourceStatus } | null = null;
          if (decision.to) {
            change = { from: source.status, to: decision.to };
            await repo.setStatusBySensor(client, source.code, decision.to);
            await recordAudit(client, sensorActor(source.code, source.village_code), {
              action: 'water_source.status',
              target: `water_source:${source.code}`,
              before: { status: source.status, statusSetBy: source.status_set_by },
              after: {
                status: decision.to,
                reason: decision.reason,
                pressureMpa: reading.mpa,
                readAt: reading.at.toISOString(),
                topic: reading.topic,
              },
            });
            const data: WaterSourceStatusLive = {
              code: source.code,
              kind: source.kind,
              from: source.status,
              to: decision.to,
              pressureMpa: reading.mpa,
              reason: decision.reason!,
              readAt: reading.at.toISOString(),
              setBy: 'sensor',
            };
            emit({
              type: 'water_source.status_changed',
              area: source.village_code,
              subject: `water_source:${source.code}`,
              data: { ...data },
            });
          }
          await repo.saveReading(client, {
            code: source.code,
            pressureMpa: reading.mpa,
            readAt: reading.at,
            battery: reading.battery,
            recovering: decision.recovering,
          });
          return { kind: 'recorded', status: decision.to ?? source.status, change };
        });
      } catch (err) {
        if (err instanceof Rejected) return { kind: 'rejected', reason: err.reason, detail: err.message };
        throw err;
      }
    },

    /** The latest reading and the status of a water source inside the caller's area. */
    async pressure(principal: Principal, code: string): Promise<HydrantPressureView> {
      const row = await repo.inScope(pool, code, principal.scope);
      if (!row) throw notFound(`water source ${code} does not exist`, 'params.code');
      return view(row);
    },
  };
}
export type HydrantSensorService = ReturnType<typeof createHydrantSensorService>;
