import { describe, expect, it } from 'vitest';
import type { DispatchNearest } from '../../../shared/src/schemas/dispatch.ts';
import { formatEta } from './desk-panel.tsx';
import { createDeskStore } from './desk-store.ts';

const station = (id: string, travelTimeS: number) => ({
  id,
  name: id,
  tier: 'rescue_station' as const,
  status: 'available' as const,
  travelTimeS,
  distanceM: 1000,
  straightLineM: 800,
  route: {
    type: 'LineString' as const,
    coordinates: [
      [119, 33],
      [119.1, 33.1],
    ] as [number, number][],
  },
});

const answer: DispatchNearest = {
  snapped: { lon: 119.1, lat: 33.1, distanceM: 12, roadId: 1, roadName: null, roadClass: 'street' },
  stations: [station('A', 100), station('B', 200), station('C', 300)],
  skipped: [],
  waterSources: [],
  warnings: [],
  scene: { enterprise: null, openHazards: [] },
  congestion: false,
};

describe('desk store', () => {
  it('ticks every candidate, and sends the ticked ones first response first', async () => {
    const requests: { url: string; body?: string }[] = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      requests.push({ url, ...(typeof init?.body === 'string' && { body: init.body }) });
      if (url.startsWith('/api/dispatch/nearest')) return new Response(JSON.stringify(answer));
      return new Response(JSON.stringify({ id: 9, forces: [] }), { status: 201 });
    }) as unknown as typeof globalThis.fetch;
    const desk = createDeskStore(() => fetch);
    await desk.place(119.1, 33.1, 'gcj02');
    expect(requests[0]!.url).toBe('/api/dispatch/nearest?lon=119.1&lat=33.1&crs=gcj02&limit=3');
    expect(desk.getSnapshot().chosen).toEqual(['A', 'B', 'C']);
    desk.toggle('B');
    desk.toggle('B');
    desk.toggle('A');
    const record = await desk.confirm();
    expect(record?.id).toBe(9);
    expect(JSON.parse(requests[1]!.body!)).toEqual({
      lon: 119.1,
      lat: 33.1,
      crs: 'gcj02',
      stations: ['B', 'C'],
    });
    expect(desk.getSnapshot()).toMatchObject({ nearest: null, chosen: [], confirmed: { id: 9 } });
  });

  it('keeps the server’s error naming the field', async () => {
    const fetch = (async () =>
      new Response(JSON.stringify({ message: 'no passable road', field: 'query.lon' }), {
        status: 422,
      })) as unknown as typeof globalThis.fetch;
    const desk = createDeskStore(() => fetch);
    await desk.place(0, 0);
    expect(desk.getSnapshot().error).toBe('422 no passable road (query.lon)');
    expect(desk.getSnapshot().nearest).toBeNull();
  });

  it('shows ETAs as minutes and seconds', () => {
    expect(formatEta(413.4)).toBe('6:53');
    expect(formatEta(59.6)).toBe('1:00');
  });
});
