import { describe, expect, it } from 'vitest';
import type { LiveEvent, LiveTopic } from '../../../../shared/src/schemas/live.ts';
import { createLiveCache } from './live-cache.ts';

function fakeRelay() {
  const listeners = new Set<(events: LiveEvent[]) => void>();
  return {
    onBatch(listener: (events: LiveEvent[]) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(topic: LiveTopic) {
      const event = { seq: 1, topic, type: 'station.status_changed' } as unknown as LiveEvent;
      for (const l of listeners) l([event]);
    },
  };
}

describe('live cache', () => {
  it('reads once, then again only after an event of its topics', async () => {
    const relay = fakeRelay();
    let reads = 0;
    const cache = createLiveCache({
      sources: [relay.onBatch],
      topics: ['station'],
      maxAgeMs: 60_000,
      load: async () => ++reads,
    });
    expect(await cache.get()).toBe(1);
    expect(await cache.get()).toBe(1);
    relay.emit('hazard');
    expect(await cache.get()).toBe(1);
    relay.emit('station');
    expect(await cache.get()).toBe(2);
    cache.close();
    relay.emit('station');
    expect(await cache.get()).toBe(2);
  });

  it('shares one read among concurrent callers, and does not keep a read overtaken by an event', async () => {
    const relay = fakeRelay();
    let reads = 0;
    const gates: (() => void)[] = [];
    const cache = createLiveCache({
      sources: [relay.onBatch],
      topics: ['station'],
      maxAgeMs: 60_000,
      load: () => new Promise<number>((resolve) => gates.push(() => resolve(++reads))),
    });
    const a = cache.get();
    const b = cache.get();
    expect(gates).toHaveLength(1);
    relay.emit('station'); // the change lands while the first read is on its way
    const c = cache.get();
    expect(gates).toHaveLength(2);
    gates[0]!();
    gates[1]!();
    expect([await a, await b, await c]).toEqual([1, 1, 2]);
    expect(await cache.get()).toBe(2);
    expect(gates).toHaveLength(2);
  });

  it('reads again when the value is older than maxAgeMs, and after a failed read', async () => {
    const relay = fakeRelay();
    let reads = 0;
    let fail = true;
    const cache = createLiveCache({
      sources: [relay.onBatch],
      topics: ['water'],
      maxAgeMs: 0,
      load: async () => {
        if (fail) {
          fail = false;
          throw new Error('database away');
        }
        return ++reads;
      },
    });
    await expect(cache.get()).rejects.toThrow('database away');
    expect(await cache.get()).toBe(1);
    expect(await cache.get()).toBe(2);
  });
});
