/**
 * One GPS fix as the service takes it, and the reading of every shape the clients send: the OsmAnd
 * protocol's parameters (GET query or POST form, the way Traccar's `osmand` decoder reads them), Traccar
 * Client's JSON body (`location.coords`), and our own app's JSON batch. Every bad value is a 400 naming
 * the field it came from; nothing here touches the database.
 */
import { badRequest } from '../../errors.ts';

export type SpeedUnit = 'kn' | 'kmh' | 'mps';

/** km/h per unit of each speed unit. */
const KMH_PER: Record<SpeedUnit, number> = { kn: 1.852, kmh: 1, mps: 3.6 };

export interface Fix {
  lon: number;
  lat: number;
  fixAt: Date;
  speedKmh: number | null;
  bearing: number | null;
  altitudeM: number | null;
  accuracyM: number | null;
  hdop: number | null;
  batteryPct: number | null;
  /** where the fix came from in the request (`body.positions.3`, `query`), for error messages */
  field: string;
}

export interface TimeWindow {
  /** the server's clock */
  now: Date;
  /** a fix may be this far ahead of `now` */
  skewS: number;
  /** and at most this old */
  maxAgeS: number;
}

/** A value with the request field it came from. */
interface Sourced {
  value: unknown;
  field: string;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function numberOf(v: Sourced): number {
  const n = typeof v.value === 'number' ? v.value : typeof v.value === 'string' ? v.value.trim() : undefined;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  if (typeof n === 'string' && NUMBER.test(n) && Number.isFinite(Number(n))) return Number(n);
  throw badRequest(v.field, `${v.field} must be a number, not ${JSON.stringify(v.value)?.slice(0, 40)}`);
}

function inRange(v: Sourced, n: number, min: number, max: number, what: string): number {
  if (n < min || n > max) throw badRequest(v.field, `${v.field} ${n} is outside ${min}..${max} (${what})`);
  return n;
}

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A fix time: epoch seconds, epoch milliseconds (told apart as Traccar does: below 10^11 it is seconds,
 * i.e. up to the year 5138, above it milliseconds) or ISO 8601 text (UTC when it has no offset).
 */
export function parseFixTime(v: Sourced, window: TimeWindow): Date {
  let ms: number;
  const text = typeof v.value === 'string' ? v.value.trim() : undefined;
  if (typeof v.value === 'number' || (text !== undefined && NUMBER.test(text))) {
    const n = numberOf(v);
    ms = Math.abs(n) < 1e11 ? n * 1000 : n;
  } else if (text !== undefined && ISO.test(text)) {
    const m = ISO.exec(text)!;
    ms = Date.parse(`${m[1]}T${m[2]}${m[5] ?? 'Z'}`);
  } else {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms)) {
    throw badRequest(
      v.field,
      `${v.field} ${JSON.stringify(v.value)?.slice(0, 40)} is neither epoch seconds, epoch milliseconds nor ISO 8601`,
    );
  }
  const now = window.now.getTime();
  if (ms > now + window.skewS * 1000) {
    throw badRequest(
      v.field,
      `${v.field} ${new Date(ms).toISOString()} is in the future (more than ${window.skewS} s ahead of the server)`,
    );
  }
  if (ms < now - window.maxAgeS * 1000) {
    throw badRequest(
      v.field,
      `${v.field} ${new Date(Math.max(ms, -8.64e15)).toISOString()} is older than ${window.maxAgeS / 3600} hours`,
    );
  }
  return new Date(ms);
}

/** Apps send -1 (or any negative) for "unknown" speed, bearing and accuracy. */
const unknownIfNegative = (n: number) => (n < 0 ? null : n);

/** Degrees from north in [0, 360): 360 is north again. */
function bearingOf(v: Sourced, n: number): number {
  inRange(v, n, 0, 360, 'degrees');
  return n === 360 ? 0 : n;
}

export interface SourcedFields {
  get(name: string): Sourced | undefined;
}

/** Reads the fix of an OsmAnd request (query and form merged, see `sourcedFields`). */
export function osmandFix(f: SourcedFields, speedUnit: SpeedUnit, window: TimeWindow): Fix {
  let lat = f.get('lat');
  let lon = f.get('lon');
  const location = f.get('location');
  if ((!lat || !lon) && location) {
    const parts = typeof location.value === 'string' ? location.value.split(',') : [];
    if (parts.length !== 2) throw badRequest(location.field, `${location.field} must be "lat,lon"`);
    lat = { value: parts[0], field: location.field };
    lon = { value: parts[1], field: location.field };
  }
  if (!lat) throw badRequest(f.get('lon')?.field.replace(/lon$/, 'lat') ?? 'query.lat', 'lat is missing');
  if (!lon) throw badRequest(lat.field.replace(/lat$/, 'lon'), 'lon is missing');
  const optional = (name: string) => {
    const v = f.get(name);
    return v && v.value !== '' ? { v, n: numberOf(v) } : undefined;
  };
  const speed = optional('speed');
  const bearing = optional('bearing') ?? optional('heading');
  const altitude = optional('altitude');
  const accuracy = optional('accuracy');
  const hdop = optional('hdop');
  const batt = optional('batt');
  const time = f.get('timestamp');
  const speedKmh = speed ? unknownIfNegative(speed.n * KMH_PER[speedUnit]) : null;
  return {
    lat: inRange(lat, numberOf(lat), -90, 90, 'WGS84 latitude'),
    lon: inRange(lon, numberOf(lon), -180, 180, 'WGS84 longitude'),
    fixAt: time && time.value !== '' ? parseFixTime(time, window) : window.now,
    speedKmh: speed && speedKmh !== null ? inRange(speed.v, speedKmh, 0, 1000, 'km/h') : null,
    bearing: bearing && bearing.n >= 0 ? bearingOf(bearing.v, bearing.n) : null,
    altitudeM: altitude ? inRange(altitude.v, altitude.n, -1000, 20_000, 'metres') : null,
    accuracyM: accuracy && accuracy.n >= 0 ? inRange(accuracy.v, accuracy.n, 0, 100_000, 'metres') : null,
    hdop: hdop ? inRange(hdop.v, hdop.n, 0, 100, 'dilution of precision') : null,
    batteryPct: batt ? inRange(batt.v, batt.n, 0, 100, 'percent') : null,
    field: lat.field.replace(/\.[^.]*$/, ''),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The request's fields by name, body first then query (Traccar Client posts its parameters in the URL
 * with an empty body; a form or JSON body may carry them instead). Traccar Client's JSON
 * (`{ device_id, location: { timestamp, coords: {...}, battery: { level } } }`) is mapped onto the
 * OsmAnd names: its speed is m/s, its battery level a fraction.
 */
export function sourcedFields(
  query: Record<string, unknown>,
  body: unknown,
  speedUnit: SpeedUnit,
): { fields: SourcedFields; speedUnit: SpeedUnit } {
  const map = new Map<string, Sourced>();
  const put = (name: string, value: unknown, field: string) => {
    if (value !== undefined && value !== null && !map.has(name)) map.set(name, { value, field });
  };
  let unit = speedUnit;
  if (isObject(body)) {
    const location = body.location;
    if (isObject(location)) {
      const coords = isObject(location.coords) ? location.coords : {};
      const at = 'body.location.coords';
      put('lat', coords.latitude ?? null, `${at}.latitude`);
      put('lon', coords.longitude ?? null, `${at}.longitude`);
      put('speed', coords.speed, `${at}.speed`);
      put('bearing', coords.heading, `${at}.heading`);
      put('altitude', coords.altitude, `${at}.altitude`);
      put('accuracy', coords.accuracy, `${at}.accuracy`);
      put('timestamp', location.timestamp, 'body.location.timestamp');
      const level = isObject(location.battery) ? location.battery.level : undefined;
      // a fraction (0..1); negative = unknown
      if (typeof level !== 'number') put('batt', level, 'body.location.battery.level');
      else if (level >= 0) put('batt', Math.round(level * 1000) / 10, 'body.location.battery.level');
      if (coords.latitude === undefined && coords.longitude === undefined)
        throw badRequest(`${at}.latitude`, 'the location has no coords.latitude and coords.longitude');
      unit = 'mps';
    }
    for (const [name, value] of Object.entries(body)) {
      if (name === 'location' && isObject(value)) continue;
      put(name === 'device_id' ? 'id' : name, value, `body.${name}`);
    }
  }
  for (const [name, value] of Object.entries(query)) put(name, value, `query.${name}`);
  // `deviceid` is the same as `id` (some OsmAnd builds)
  if (!map.has('id') && map.has('deviceid')) map.set('id', map.get('deviceid')!);
  return { fields: { get: (name) => map.get(name) }, speedUnit: unit };
}

/** The tracker id a request names, or a 400 naming `id`. */
export function trackerIdOf(f: SourcedFields, hasBody: boolean): { trackerId: string; field: string } {
  const id = f.get('id');
  if (!id)
    throw badRequest(hasBody ? 'body.id' : 'query.id', 'id is missing: send the registered tracker id');
  const value = typeof id.value === 'number' ? String(id.value) : id.value;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(value))
    throw badRequest(id.field, `${id.field} is not a tracker id (1-64 of A-Z a-z 0-9 _ . : -)`);
  return { trackerId: value, field: id.field };
}

/** Our own app's fixes: the schema has checked ranges; the time must fall within the window. */
export function batchFix(
  p: {
    lon: number;
    lat: number;
    fixAt: string;
    speedKmh?: number;
    bearing?: number;
    altitude?: number;
    accuracy?: number;
    battery?: number;
  },
  i: number,
  window: TimeWindow,
): Fix {
  const field = `body.positions.${i}`;
  return {
    lon: p.lon,
    lat: p.lat,
    fixAt: parseFixTime({ value: p.fixAt, field: `${field}.fixAt` }, window),
    speedKmh: p.speedKmh ?? null,
    bearing: p.bearing === undefined ? null : p.bearing === 360 ? 0 : p.bearing,
    altitudeM: p.altitude ?? null,
    accuracyM: p.accuracy ?? null,
    hdop: null,
    batteryPct: p.battery ?? null,
    field,
  };
}
