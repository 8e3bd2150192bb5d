import { describe, expect, it } from 'vitest';
import { parseMaxspeedKmh, roadFromTags, type OsmTags } from './osm-tags.ts';

describe('roadFromTags', () => {
  const cases: [name: string, tags: OsmTags, expected: ReturnType<typeof roadFromTags>][] = [
    [
      'motorway is expressway, one-way by implication',
      { highway: 'motorway' },
      { roadClass: 'expressway', speedKmh: 80, direction: 'forward' },
    ],
    [
      'trunk is expressway, both ways',
      { highway: 'trunk' },
      { roadClass: 'expressway', speedKmh: 80, direction: 'both' },
    ],
    [
      'motorway_link is a one-way ramp',
      { highway: 'motorway_link' },
      { roadClass: 'ramp', speedKmh: 40, direction: 'forward' },
    ],
    [
      'trunk_link is a ramp',
      { highway: 'trunk_link' },
      { roadClass: 'ramp', speedKmh: 40, direction: 'both' },
    ],
    [
      'primary is arterial',
      { highway: 'primary' },
      { roadClass: 'arterial', speedKmh: 50, direction: 'both' },
    ],
    [
      'secondary is arterial',
      { highway: 'secondary' },
      { roadClass: 'arterial', speedKmh: 50, direction: 'both' },
    ],
    [
      'tertiary is collector',
      { highway: 'tertiary' },
      { roadClass: 'collector', speedKmh: 40, direction: 'both' },
    ],
    [
      'residential is street',
      { highway: 'residential' },
      { roadClass: 'street', speedKmh: 30, direction: 'both' },
    ],
    [
      'living_street is street',
      { highway: 'living_street' },
      { roadClass: 'street', speedKmh: 30, direction: 'both' },
    ],
    ['service is street', { highway: 'service' }, { roadClass: 'street', speedKmh: 30, direction: 'both' }],
    [
      'unclassified is village',
      { highway: 'unclassified' },
      { roadClass: 'village', speedKmh: 25, direction: 'both' },
    ],
    [
      'oneway=yes',
      { highway: 'residential', oneway: 'yes' },
      { roadClass: 'street', speedKmh: 30, direction: 'forward' },
    ],
    [
      'oneway=1',
      { highway: 'residential', oneway: '1' },
      { roadClass: 'street', speedKmh: 30, direction: 'forward' },
    ],
    [
      'oneway=true',
      { highway: 'residential', oneway: 'true' },
      { roadClass: 'street', speedKmh: 30, direction: 'forward' },
    ],
    [
      'oneway=-1 runs against the nodes',
      { highway: 'residential', oneway: '-1' },
      { roadClass: 'street', speedKmh: 30, direction: 'backward' },
    ],
    [
      'oneway=no on a motorway overrides the implication',
      { highway: 'motorway', oneway: 'no' },
      { roadClass: 'expressway', speedKmh: 80, direction: 'both' },
    ],
    [
      'roundabout is one-way',
      { highway: 'secondary', junction: 'roundabout' },
      { roadClass: 'arterial', speedKmh: 50, direction: 'forward' },
    ],
    [
      'circular junction is one-way',
      { highway: 'tertiary', junction: 'circular' },
      { roadClass: 'collector', speedKmh: 40, direction: 'forward' },
    ],
    [
      'maxspeed below the class speed slows the engine',
      { highway: 'tertiary', maxspeed: '30' },
      { roadClass: 'collector', speedKmh: 30, direction: 'both' },
    ],
    [
      'maxspeed above the class speed is capped',
      { highway: 'motorway', maxspeed: '120' },
      { roadClass: 'expressway', speedKmh: 80, direction: 'forward' },
    ],
    [
      'maxspeed in mph',
      { highway: 'residential', maxspeed: '15 mph' },
      { roadClass: 'street', speedKmh: 15 * 1.609344, direction: 'both' },
    ],
    [
      'symbolic maxspeed keeps the class speed',
      { highway: 'primary', maxspeed: 'CN:urban' },
      { roadClass: 'arterial', speedKmh: 50, direction: 'both' },
    ],
    ['footway skipped', { highway: 'footway' }, { skip: 'footway' }],
    ['path skipped', { highway: 'path' }, { skip: 'path' }],
    ['cycleway skipped', { highway: 'cycleway' }, { skip: 'cycleway' }],
    ['steps skipped', { highway: 'steps' }, { skip: 'steps' }],
    ['construction skipped', { highway: 'construction' }, { skip: 'construction' }],
    ['proposed skipped', { highway: 'proposed' }, { skip: 'proposed' }],
    ['unknown highway value skipped by value', { highway: 'raceway' }, { skip: 'highway=raceway' }],
    ['no highway tag', { building: 'yes' }, { skip: 'not a highway' }],
    ['pedestrian area', { highway: 'service', area: 'yes' }, { skip: 'area' }],
    [
      'closed to motor vehicles',
      { highway: 'residential', motor_vehicle: 'no' },
      { skip: 'no motor vehicles' },
    ],
  ];
  it.each(cases)('%s', (_name, tags, expected) => {
    expect(roadFromTags(tags)).toEqual(expected);
  });
});

describe('parseMaxspeedKmh', () => {
  it.each([
    ['50', 50],
    ['50 km/h', 50],
    ['30 mph', 30 * 1.609344],
    ['60;40', 40],
    ['none', undefined],
    ['signals', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (value, kmh) => {
    expect(parseMaxspeedKmh(value)).toEqual(kmh);
  });
});
