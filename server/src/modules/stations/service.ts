import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import type { StationStatusBody, StationStatusView } from '../../../../shared/src/schemas/stations.ts';
import { withTransaction } from '../../db/transaction.ts';
import { notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import { stationRepository as repo, type StationStatusRow } from './repo.ts';

const view = (r: StationStatusRow): StationStatusView => ({
  code: r.code,
  name: r.name,
  tier: r.tier,
  status: r.status,
  updatedAt: r.updated_at.toISOString(),
});

export function createStationService(pool: pg.Pool) {
  return {
    /** Sets a force's availability (available / busy / out_of_service), audited, inside the caller's area. */
    async setStatus(
      principal: Principal,
      code: string,
      body: StationStatusBody,
      actor: AuditActor,
    ): Promise<StationStatusView> {
      return withTransaction(pool, async (client) => {
        const before = await repo.statusForUpdate(client, code, principal.scope);
        if (!before) throw notFound(`station ${code} does not exist`, 'params.code');
        const after = await repo.setStatus(client, code, body.status);
        await recordAudit(client, actor, {
          action: 'station.status',
          target: `station:${code}`,
          before: { status: before.status },
          after: { status: after.status, reason: body.reason ?? null },
        });
        return view(after);
      });
    },
  };
}
export type StationService = ReturnType<typeof createStationService>;
