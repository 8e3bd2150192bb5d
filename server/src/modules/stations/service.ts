import type { Principal } from '../../../../shared/src/auth.ts';
import type {
  StationStatusBody,
  StationStatusView,
  StationStreamBody,
  StationStreamView,
} from '../../../../shared/src/schemas/stations.ts';
import { notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import type { EventWriter } from '../events/with-events.ts';
import { stationRepository as repo, type StationStatusRow } from './repo.ts';

const view = (r: StationStatusRow): StationStatusView => ({
  code: r.code,
  name: r.name,
  tier: r.tier,
  status: r.status,
  updatedAt: r.updated_at.toISOString(),
});

export function createStationService(events: EventWriter) {
  return {
    /** Sets a force's availability (available / busy / out_of_service), audited and streamed, inside the caller's area. */
    async setStatus(
      principal: Principal,
      code: string,
      body: StationStatusBody,
      actor: AuditActor,
    ): Promise<StationStatusView> {
      return events.transaction(async (client, emit) => {
        const before = await repo.statusForUpdate(client, code, principal.scope);
        if (!before) throw notFound(`station ${code} does not exist`, 'params.code');
        const after = await repo.setStatus(client, code, body.status);
        await recordAudit(client, actor, {
          action: 'station.status',
          target: `station:${code}`,
          before: { status: before.status },
          after: { status: after.status, reason: body.reason ?? null },
        });
        if (after.status !== before.status) {
          emit({
            type: 'station.status_changed',
            area: after.village_code,
            subject: `station:${code}`,
            data: {
              code,
              name: after.name,
              tier: after.tier,
              from: before.status,
              to: after.status,
              reason: body.reason ?? null,
            },
          });
        }
        return view(after);
      });
    },

    /** Sets a station's video stream address (the roll-call's), audited. */
    async setStream(
      principal: Principal,
      code: string,
      body: StationStreamBody,
      actor: AuditActor,
    ): Promise<StationStreamView> {
      return events.transaction(async (client) => {
        const changed = await repo.setStream(client, code, principal.scope, body.url);
        if (!changed) throw notFound(`station ${code} does not exist`, 'params.code');
        await recordAudit(client, actor, {
          action: 'station.stream',
          target: `station:${code}`,
          before: { url: changed.before },
          after: { url: body.url },
        });
        return { code, name: changed.name, streamUrl: body.url };
      });
    },
  };
}
export type StationService = ReturnType<typeof createStationService>;
