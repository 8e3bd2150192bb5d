import { describe, expect, it } from 'vitest';
import { bareGrid, grid, station, waterSource } from '../test-support/features.ts';
import { computeCounters } from './counters.ts';

describe('computeCounters', () => {
  it('counts stations by tier, hydrants in service of all hydrants, grids per level', () => {
    const counters = computeCounters({
      stations: [
        station({ tier: 'rescue_station' }),
        station({ tier: 'micro_station' }),
        station({ tier: 'micro_station', status: 'out_of_service' }),
      ],
      'water-sources': [
        waterSource({ kind: 'hydrant', status: 'in_service' }),
        waterSource({ kind: 'hydrant', status: 'under_repair' }),
        waterSource({ kind: 'hydrant', status: 'out_of_service' }),
        waterSource({ kind: 'fire_pool', status: 'in_service' }),
      ],
      'grids-town': [grid({ level: 'town' })],
      'grids-unit': [bareGrid(), bareGrid()],
    });
    expect(counters.stationsByTier).toEqual({
      rescue_station: 1,
      fulltime_team: 0,
      joint_station: 0,
      micro_station: 2,
    });
    expect(counters.hydrants).toEqual({ inService: 1, total: 3 });
    expect(counters.gridsByLevel).toEqual({ town: 1, village: 0, unit: 2 });
    expect(counters.loaded).toEqual({
      stations: true,
      hydrants: true,
      grids: { town: true, village: false, unit: true },
    });
  });

  it('says nothing has loaded yet rather than counting zero', () => {
    const counters = computeCounters({});
    expect(counters.loaded).toEqual({
      stations: false,
      hydrants: false,
      grids: { town: false, village: false, unit: false },
    });
  });
});
