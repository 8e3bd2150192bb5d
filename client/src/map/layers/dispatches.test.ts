import { describe, expect, it } from 'vitest';
import type { DispatchRecord } from '../../../../shared/src/schemas/dispatch.ts';
import {
  buildDispatchLayers,
  DISPATCH_INCIDENTS_LAYER_ID,
  DISPATCH_ROUTES_LAYER_ID,
  dispatchRoutes,
  ROUTE_WIDTH_PX,
} from './dispatches.ts';

const force = (id: string, order: number, releasedAt: string | null = null) => ({
  id,
  name: id,
  tier: 'rescue_station' as const,
  order,
  travelTimeS: 100,
  distanceM: 900,
  route: {
    type: 'LineString' as const,
    coordinates: [
      [119.1, 33.4],
      [119.12, 33.41],
      [119.15, 33.5],
    ] as [number, number][],
  },
  releasedAt,
});

const dispatch: DispatchRecord = {
  id: 7,
  status: 'open',
  lon: 119.15,
  lat: 33.5,
  village: '320803001001',
  hazardId: null,
  note: null,
  createdBy: 'dispatcher',
  createdAt: '2026-11-28T08:00:00.000Z',
  closedBy: null,
  closedAt: null,
  closeReason: null,
  version: 1,
  forces: [force('FS-1', 0), force('FS-2', 1), force('FS-3', 2, '2026-11-28T08:30:00.000Z')],
};

describe('dispatch layers', () => {
  it('draws one route per force still out, the first response wider than reinforcement', () => {
    const rows = dispatchRoutes([dispatch]);
    expect(rows.map((r) => [r.stationId, r.order])).toEqual([
      ['FS-1', 0],
      ['FS-2', 1],
    ]);
    expect(rows[0]!.path).toHaveLength(3);
    const [routes, incidents] = buildDispatchLayers([dispatch], { scale: 2 });
    expect(routes!.id).toBe(DISPATCH_ROUTES_LAYER_ID);
    expect(incidents!.id).toBe(DISPATCH_INCIDENTS_LAYER_ID);
    const getWidth = routes!.props.getWidth as (row: (typeof rows)[number]) => number;
    expect(getWidth(rows[0]!)).toBe(ROUTE_WIDTH_PX.first);
    expect(getWidth(rows[1]!)).toBe(ROUTE_WIDTH_PX.reinforcement);
    expect(ROUTE_WIDTH_PX.first).toBeGreaterThan(ROUTE_WIDTH_PX.reinforcement);
    expect(routes!.props.widthScale).toBe(2);
  });
});
