import { describe, expect, it } from 'vitest';
import type { PatrolRow } from '../../live/live-store.ts';
import { accessor } from '../../test-support/features.ts';
import { PATROL_COLOURS } from '../symbols.ts';
import {
  buildLivePatrolsLayer,
  buildPatrolTrailsLayer,
  LIVE_PATROL_TRAILS_LAYER_ID,
  LIVE_PATROLS_LAYER_ID,
  PATROL_DOT_PX,
} from './live-patrols.ts';

function patrol(overrides: Partial<PatrolRow> = {}): PatrolRow {
  return {
    sessionId: 1,
    member: '李海燕',
    grid: 'G320803001001001',
    onDuty: true,
    position: [119.2, 33.5],
    inOwnGrid: true,
    path: [
      [119.19, 33.5],
      [119.2, 33.5],
    ],
    ...overrides,
  };
}

const options = { visible: true, scale: 1 };

describe('buildLivePatrolsLayer / buildPatrolTrailsLayer', () => {
  it.each([
    {
      name: 'on duty in own grid',
      row: patrol(),
      radius: PATROL_DOT_PX,
      colour: PATROL_COLOURS.inOwnGrid,
      pathLength: 2,
    },
    {
      name: 'outside own grid',
      row: patrol({ inOwnGrid: false }),
      radius: PATROL_DOT_PX,
      colour: PATROL_COLOURS.outsideGrid,
      pathLength: 2,
    },
    {
      name: 'ended',
      row: patrol({ onDuty: false }),
      radius: 0,
      colour: PATROL_COLOURS.inOwnGrid,
      pathLength: 0,
    },
    {
      name: 'no fix yet',
      row: patrol({ position: null, path: [] }),
      radius: 0,
      colour: PATROL_COLOURS.inOwnGrid,
      pathLength: 0,
    },
    {
      name: 'one fix: a dot, no trail',
      row: patrol({ path: [[119.2, 33.5]] }),
      radius: PATROL_DOT_PX,
      colour: PATROL_COLOURS.inOwnGrid,
      pathLength: 0,
    },
  ])('$name', ({ row, radius, colour, pathLength }) => {
    const dots = buildLivePatrolsLayer([], options);
    const trails = buildPatrolTrailsLayer([], options);
    expect(accessor<PatrolRow, number>(dots.props.getRadius)(row)).toBe(radius);
    expect(accessor<PatrolRow, number[]>(dots.props.getFillColor)(row)).toEqual([...colour, 255]);
    expect(accessor<PatrolRow, unknown[]>(trails.props.getPath)(row)).toHaveLength(pathLength);
    expect(accessor<PatrolRow, number[]>(trails.props.getColor)(row).slice(0, 3)).toEqual([...colour]);
  });

  it('stable ids, dots pickable, scaled with the wall, rows diffed by identity', () => {
    const dots = buildLivePatrolsLayer([patrol()], { visible: true, scale: 2 });
    const trails = buildPatrolTrailsLayer([patrol()], { visible: true, scale: 2 });
    expect([dots.id, trails.id]).toEqual([LIVE_PATROLS_LAYER_ID, LIVE_PATROL_TRAILS_LAYER_ID]);
    expect(dots.props.pickable).toBe(true);
    expect(dots.props.radiusScale).toBe(2);
    expect(trails.props.widthScale).toBe(2);
    const first = patrol();
    const moved = patrol({ position: [119.21, 33.5] });
    const diff = trails.props._dataDiff as (next: unknown, previous?: unknown) => unknown;
    expect(diff([moved], [first])).toEqual([{ startRow: 0, endRow: 1 }]);
  });
});
