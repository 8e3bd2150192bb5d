import { SENSOR_MAX_PRESSURE_MPA } from '../../../../shared/src/schemas/hydrant-sensors.ts';

/** One pressure reading, as the topic and payload said. */
export interface HydrantReading {
  topic: string;
  /** the county/district code in the topic (6 digits) */
  district: string;
  code: string;
  mpa: number;
  /** the sensor's time of the reading (the receive time for a bare number) */
  at: Date;
  battery: number | null;
}

/** Why a message is refused without writing anything; the subscriber counts them per reason. */
export const REJECT_REASONS = [
  'bad_topic',
  'bad_payload',
  'not_a_number',
  'negative',
  'absurd',
  'bad_time',
  'bad_battery',
  'unknown_code',
  'not_pressurised',
  'wrong_district',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type Parsed =
  { ok: true; reading: HydrantReading } | { ok: false; reason: RejectReason; detail: string };

/** A payload larger than this is not a reading. */
const MAX_PAYLOAD_BYTES = 1024;
/** Sensor clocks drift; a reading further in the future than this has a wrong time. */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
/** ISO 8601 with a zone: a time without one would be read in the server's zone. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DISTRICT = /^\d{6}$/;
const CODE = /^[A-Za-z0-9-]{1,32}$/;

const reject = (reason: RejectReason, detail: string): Parsed => ({ ok: false, reason, detail });

/** The subscription's topic filter under `prefix` (without the shared-subscription part). */
export const readingTopicFilter = (prefix: string) => `${prefix}/+/hydrants/+/pressure`;

/**
 * Reads `<prefix>/<district>/hydrants/<code>/pressure` and its payload: `{ "mpa": 0.08, "at": "ISO time",
 * "battery": 0.7 }` (`at` and `battery` optional) or a bare number of MPa. Checks only what the message
 * itself shows; whether the code exists and lies in the district is the service's business.
 */
export function parseReading(topic: string, payload: Buffer | string, prefix: string, now: Date): Parsed {
  const parts = topic.startsWith(`${prefix}/`) ? topic.slice(prefix.length + 1).split('/') : [];
  const [district, hydrants, code, pressure] = parts;
  if (parts.length !== 4 || hydrants !== 'hydrants' || pressure !== 'pressure')
    return reject('bad_topic', `expected ${prefix}/<district>/hydrants/<code>/pressure`);
  if (!DISTRICT.test(district!))
    return reject('bad_topic', `district ${JSON.stringify(district)} is not a 6-digit code`);
  if (!CODE.test(code!)) return reject('bad_topic', `water source code ${JSON.stringify(code)} is malformed`);

  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (size > MAX_PAYLOAD_BYTES) return reject('bad_payload', `${size} bytes (at most ${MAX_PAYLOAD_BYTES})`);
  let body: unknown;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    return reject('bad_payload', 'neither JSON nor a number');
  }
  const fields: Record<string, unknown> =
    typeof body === 'number'
      ? { mpa: body }
      : body !== null && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
  const { mpa, at, battery } = fields;
  if (typeof mpa !== 'number' || !Number.isFinite(mpa))
    return reject('not_a_number', `mpa is ${JSON.stringify(mpa) ?? 'missing'}`);
  if (mpa < 0) return reject('negative', `mpa ${mpa}`);
  if (mpa > SENSOR_MAX_PRESSURE_MPA) return reject('absurd', `mpa ${mpa} > ${SENSOR_MAX_PRESSURE_MPA}`);

  let readAt = now;
  if (at !== undefined) {
    const ms = typeof at === 'string' && ISO_TIME.test(at) ? Date.parse(at) : Number.NaN;
    if (!Number.isFinite(ms))
      return reject('bad_time', `at ${JSON.stringify(at)} is not an ISO time with a zone`);
    if (ms > now.getTime() + MAX_CLOCK_AHEAD_MS) return reject('bad_time', `at ${at} is in the future`);
    readAt = new Date(ms);
  }
  if (
    battery !== undefined &&
    battery !== null &&
    (typeof battery !== 'number' || !(battery >= 0 && battery <= 1))
  )
    return reject('bad_battery', `battery ${JSON.stringify(battery)} is not between 0 and 1`);

  return {
    ok: true,
    reading: {
      topic,
      district: district!,
      code: code!,
      mpa,
      at: readAt,
      battery: typeof battery === 'number' ? battery : null,
    },
  };
}
