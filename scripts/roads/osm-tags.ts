/**
 * OpenStreetMap `highway` tags to our road classes and fire-engine speeds. Pure: the importer asks
 * `roadFromTags` about each way and either gets a class, speed and direction or the reason to skip it.
 */
import { ROAD_CLASS_SPEED_KMH, type RoadClass } from '../../shared/src/domain.ts';

export type OsmTags = Readonly<Record<string, string>>;

/** `forward`: passable only along the way's node order; `backward`: only against it (`oneway=-1`). */
export type Direction = 'both' | 'forward' | 'backward';

export interface OsmRoad {
  roadClass: RoadClass;
  speedKmh: number;
  direction: Direction;
}

export interface OsmSkip {
  skip: string;
}

export const HIGHWAY_CLASS: Readonly<Record<string, RoadClass>> = {
  motorway: 'expressway',
  trunk: 'expressway',
  motorway_link: 'ramp',
  trunk_link: 'ramp',
  primary_link: 'ramp',
  secondary_link: 'ramp',
  tertiary_link: 'ramp',
  primary: 'arterial',
  secondary: 'arterial',
  tertiary: 'collector',
  residential: 'street',
  living_street: 'street',
  service: 'street',
  unclassified: 'village',
};

/** Ways a fire engine does not drive, skipped by name so the summary says why. */
export const HIGHWAY_SKIPPED: ReadonlySet<string> = new Set([
  'footway',
  'path',
  'cycleway',
  'steps',
  'pedestrian',
  'bridleway',
  'track',
  'corridor',
  'elevator',
  'platform',
  'bus_stop',
  'construction',
  'proposed',
  'abandoned',
  'razed',
]);

/** OSM's implied one-way highways (motorways and their links, by the wiki's convention). */
const IMPLIED_ONEWAY_HIGHWAY = new Set(['motorway', 'motorway_link']);
const ROUNDABOUT_JUNCTIONS = new Set(['roundabout', 'circular']);

function direction(tags: OsmTags): Direction {
  const oneway = tags.oneway?.trim().toLowerCase();
  if (oneway === 'yes' || oneway === '1' || oneway === 'true') return 'forward';
  if (oneway === '-1' || oneway === 'reverse') return 'backward';
  if (oneway === 'no' || oneway === '0' || oneway === 'false') return 'both';
  const highway = tags.highway ?? '';
  if (IMPLIED_ONEWAY_HIGHWAY.has(highway)) return 'forward';
  if (ROUNDABOUT_JUNCTIONS.has(tags.junction ?? '')) return 'forward';
  return 'both';
}

const MPH_TO_KMH = 1.609344;

/** `maxspeed` in km/h ("50", "30 mph", "50;60" takes the lower), or undefined for "none", "RU:urban" … */
export function parseMaxspeedKmh(value: string | undefined): number | undefined {
  if (!value) return undefined;
  let lowest: number | undefined;
  for (const part of value.split(';')) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(mph|km\/h|kmh)?\s*$/i.exec(part);
    if (!m) continue;
    const kmh = Number(m[1]) * (m[2]?.toLowerCase() === 'mph' ? MPH_TO_KMH : 1);
    if (kmh > 0) lowest = lowest === undefined ? kmh : Math.min(lowest, kmh);
  }
  return lowest;
}

export function roadFromTags(tags: OsmTags): OsmRoad | OsmSkip {
  const highway = tags.highway;
  if (highway === undefined) return { skip: 'not a highway' };
  if (tags.area === 'yes') return { skip: 'area' };
  if (HIGHWAY_SKIPPED.has(highway)) return { skip: highway };
  const roadClass = HIGHWAY_CLASS[highway];
  if (!roadClass) return { skip: `highway=${highway}` };
  if (tags.access === 'no' || tags.motor_vehicle === 'no' || tags.motorcar === 'no')
    return { skip: 'no motor vehicles' };
  const classSpeed = ROAD_CLASS_SPEED_KMH[roadClass];
  // a posted limit can slow an engine down, never speed it past what the class allows a heavy vehicle
  const posted = parseMaxspeedKmh(tags.maxspeed);
  const speedKmh = posted === undefined ? classSpeed : Math.min(posted, classSpeed);
  return { roadClass, speedKmh, direction: direction(tags) };
}

export const isSkip = (r: OsmRoad | OsmSkip): r is OsmSkip => 'skip' in r;
