import { describe, expect, it } from 'vitest';
import type { HazardList, HazardSummary } from '../../../shared/src/schemas/hazards.ts';
import type { LiveEvent } from '../../../shared/src/schemas/live.ts';
import { createLiveStore } from '../live/live-store.ts';
import { createInboxStore } from './inbox-store.ts';

function summary(id: number, fields: Partial<HazardSummary> = {}): HazardSummary {
  return {
    id,
    category: 'lpg',
    state: 'reported',
    severity: null,
    lon: 119.15,
    lat: 33.5,
    title: `隐患 ${id}`,
    reportedAt: '2026-11-28T08:00:00.000Z',
    reporter: '网格员',
    photos: 0,
    deadline: null,
    yellowAt: null,
    level: 'village',
    department: null,
    supervised: false,
    version: 1,
    villageCode: '320803001001',
    gridCode: 'G1',
    ...fields,
  };
}

const live = ({ villageCode: _village, gridCode: _grid, ...hazard }: HazardSummary) => hazard;

function event(seq: number, type: LiveEvent['type'], hazard: HazardSummary): LiveEvent {
  return {
    seq,
    type,
    topic: 'hazard',
    at: '2026-11-28T08:00:00.000Z',
    area: hazard.villageCode,
    grid: hazard.gridCode,
    department: null,
    subject: `hazard:${hazard.id}`,
    data: live(hazard) as unknown as Record<string, unknown>,
  };
}

const listFetch = (items: HazardSummary[]) =>
  (async () =>
    new Response(JSON.stringify({ items, total: items.length, limit: 500, offset: 0 } satisfies HazardList), {
      status: 200,
    })) as typeof fetch;

describe('inbox store', () => {
  it('loads the list, then moves rows by live events without reading the list again', async () => {
    const liveStore = createLiveStore();
    liveStore.applySnapshot({ seq: 1, at: '', area: '320803', parts: { hazards: [live(summary(1))] } });
    const inbox = createInboxStore();
    const read: number[] = [];
    inbox.follow(liveStore, async (id) => {
      read.push(id);
      return summary(id);
    });
    await inbox.load(listFetch([summary(1)]));
    expect([...inbox.getSnapshot().rows.keys()]).toEqual([1]);

    liveStore.applyBatch(
      [
        event(2, 'hazard.classified', summary(1, { state: 'classified', version: 2 })),
        event(3, 'hazard.reported', summary(2, { villageCode: '320803001002', gridCode: null })),
      ],
      { contiguous: true },
    );
    const rows = inbox.getSnapshot().rows;
    expect(rows.get(1)).toMatchObject({ state: 'classified', version: 2, gridCode: 'G1' });
    expect(rows.get(2)).toMatchObject({ state: 'reported', villageCode: '320803001002' });
    liveStore.applyBatch([event(4, 'hazard.closed', summary(1, { state: 'closed', version: 3 }))], {
      contiguous: true,
    });
    expect(inbox.getSnapshot().rows.has(1)).toBe(false);
    expect(read, 'nothing read one by one').toEqual([]);
  });

  it('reads a snapshot case the list did not have, once the list is in', async () => {
    const liveStore = createLiveStore();
    liveStore.applySnapshot({ seq: 1, at: '', area: '320803', parts: { hazards: [live(summary(7))] } });
    const inbox = createInboxStore();
    const read: number[] = [];
    inbox.follow(liveStore, async (id) => {
      read.push(id);
      return summary(id, { version: 2 });
    });
    expect(read).toEqual([]);
    await inbox.load(listFetch([]));
    await Promise.resolve();
    expect(read).toEqual([7]);
    expect(inbox.getSnapshot().rows.get(7)?.version).toBe(2);
  });
});
