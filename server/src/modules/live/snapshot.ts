import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import type { LiveSnapshot } from '../../../../shared/src/schemas/live.ts';
import { withSnapshot } from '../../db/transaction.ts';
import { eventRepository } from '../events/repo.ts';
import { liveRepository } from './repo.ts';

/**
 * One feature's current state inside an area, read inside the snapshot's transaction. `area` is a
 * division code or a grid code (`G…`) already checked against the principal's scope.
 */
export type SnapshotPart = (client: pg.PoolClient, area: string, principal: Principal) => Promise<unknown>;

export function createSnapshotService(pool: pg.Pool) {
  const parts = new Map<string, SnapshotPart>([['stations', liveRepository.stations]]);
  return {
    /** Features add their part (hazards, patrols, ...) when they register. */
    addPart(name: string, part: SnapshotPart): void {
      if (parts.has(name)) throw new Error(`snapshot part ${name} is registered twice`);
      parts.set(name, part);
    },
    /**
     * Every part read in one REPEATABLE READ transaction together with the log's head: since a change
     * and its event commit together, the state is exactly the log up to `seq`.
     */
    async read(area: string, principal: Principal): Promise<LiveSnapshot> {
      return withSnapshot(pool, async (client) => {
        const seq = await eventRepository.head(client);
        const out: Record<string, unknown> = {};
        for (const [name, part] of parts) out[name] = await part(client, area, principal);
        return { seq, at: new Date().toISOString(), area, parts: out };
      });
    },
  };
}
export type SnapshotService = ReturnType<typeof createSnapshotService>;
