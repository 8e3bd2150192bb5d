/**
 * Dispatch records (出警): the dispatcher confirms which forces go to an incident. In one transaction
 * the forces turn busy, the record and each force's route are written, the change is audited and its
 * events (`station.status_changed` per force, `dispatch.created`) join the live log; closing the
 * dispatch frees the forces the same way. A force already committed elsewhere is a 409 naming it.
 */
import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import { divisionOf, type NewLiveEvent } from '../../../../shared/src/schemas/live.ts';
import type {
  DispatchCloseBody,
  DispatchCreateBody,
  DispatchList,
  DispatchListQuery,
  DispatchRecord,
} from '../../../../shared/src/schemas/dispatch.ts';
import { HttpError, notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import type { EventWriter } from '../events/with-events.ts';
import { pointToWgs84 } from '../geometry/service.ts';
import type { Snap } from '../routing/engine.ts';
import type { RoutingService } from '../routing/service.ts';
import { stationRepository } from '../stations/repo.ts';
import {
  dispatchRepository as repo,
  type ChosenForceRow,
  type DispatchRow,
  type NewDispatchForce,
} from './repo.ts';

const round1 = (x: number) => Math.round(x * 10) / 10;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function dispatchView(r: DispatchRow): DispatchRecord {
  return {
    id: Number(r.id),
    status: r.status,
    lon: r.lon,
    lat: r.lat,
    village: r.village_code,
    hazardId: r.hazard_id === null ? null : Number(r.hazard_id),
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    closedBy: r.closed_by,
    closedAt: iso(r.closed_at),
    closeReason: r.close_reason,
    version: r.version,
    forces: r.forces,
  };
}

/** The live event of a dispatch: the record itself (the wall draws the routes from it). */
function dispatchEvent(type: 'dispatch.created' | 'dispatch.closed', record: DispatchRecord): NewLiveEvent {
  return {
    type,
    area: record.village,
    subject: `dispatch:${record.id}`,
    data: { ...record },
  };
}

function statusEvent(force: ChosenForceRow, from: string, to: string, reason: string): NewLiveEvent {
  return {
    type: 'station.status_changed',
    area: force.village_code,
    subject: `station:${force.code}`,
    data: { code: force.code, name: force.name, tier: force.tier, from, to, reason },
  };
}

export interface DispatchRecordOptions {
  snapMaxM: number;
}

export function createDispatchRecords(
  pool: pg.Pool,
  events: EventWriter,
  routing: RoutingService,
  options: DispatchRecordOptions,
) {
  return {
    async create(principal: Principal, body: DispatchCreateBody, actor: AuditActor, now = new Date()) {
      const codes = body.stations;
      codes.forEach((code, i) => {
        if (codes.indexOf(code) !== i)
          throw new HttpError(400, `station ${code} is listed twice`, `body.stations.${i}`);
      });
      const [lon, lat] = pointToWgs84(body.lon, body.lat, body.crs);
      const engine = await routing.engine();
      const incident = engine.snap(lon, lat, options.snapMaxM);
      if (!incident)
        throw new HttpError(
          422,
          `no passable road within ${options.snapMaxM} m of the incident: the forces cannot be routed there`,
          'body.lon',
        );

      return events.transaction(async (client, emit) => {
        const village = await repo.villageAt(client, lon, lat);
        if (!village?.startsWith(principal.scope))
          throw notFound('the incident lies outside your area', 'body.lon');
        if (body.hazardId !== undefined) {
          const hazardVillage = await repo.hazardVillage(client, body.hazardId);
          if (!hazardVillage?.startsWith(principal.scope))
            throw notFound(`hazard ${body.hazardId} does not exist`, 'body.hazardId');
        }
        const inScope = new Map(
          (await repo.chosenForces(client, codes, principal.scope)).map((f) => [f.code, f]),
        );
        codes.forEach((code, i) => {
          if (!inScope.has(code)) throw notFound(`station ${code} does not exist`, `body.stations.${i}`);
        });
        // lock, then decide on what the lock shows (a concurrent dispatch of the same force waits here)
        const locked = new Map((await repo.lockForces(client, codes)).map((f) => [f.code, f]));
        codes.forEach((code, i) => {
          const force = locked.get(code)!;
          if (force.committed_to !== null)
            throw new HttpError(
              409,
              `station ${code} is committed to dispatch ${force.committed_to}`,
              `body.stations.${i}`,
            );
          if (force.status !== 'available')
            throw new HttpError(
              409,
              `station ${code} is ${force.status.replaceAll('_', ' ')}`,
              `body.stations.${i}`,
            );
        });

        // routes as the dispatcher saw them: each force driving to the snapped incident
        const forces = codes.map((code) => locked.get(code)!);
        const snaps = forces.map((f) => engine.snap(f.lon, f.lat, options.snapMaxM));
        const placed = snaps.flatMap((s, i) => (s ? [{ i, snap: s }] : []));
        const answer = engine.travelToIncident(
          incident,
          placed.map((p) => p.snap as Snap),
          { wanted: placed.length, eligible: () => true, classFactor: routing.classFactors(now) },
        );
        const routed: NewDispatchForce[] = forces.map((force, i) => {
          const k = placed.findIndex((p) => p.i === i);
          if (k < 0 || !(answer.timeS[k]! < Infinity))
            throw new HttpError(
              422,
              `station ${force.code} cannot reach the incident by road`,
              `body.stations.${i}`,
            );
          const coordinates = answer.route(k);
          while (coordinates.length < 2) coordinates.push([incident.lon, incident.lat]);
          return {
            code: force.code,
            travelTimeS: round1(answer.timeS[k]!),
            distanceM: round1(answer.metres[k]!),
            route: JSON.stringify({ type: 'LineString', coordinates }),
          };
        });

        const id = await repo.insertDispatch(
          client,
          {
            lon,
            lat,
            village,
            hazardId: body.hazardId ?? null,
            note: body.note ?? null,
            userId: principal.userId,
          },
          routed,
        );
        for (const force of forces) {
          await stationRepository.setStatus(client, force.code, 'busy');
          emit(statusEvent(force, force.status, 'busy', `出警 dispatch ${id}`));
        }
        const record = dispatchView((await repo.dispatchById(client, id))!);
        await recordAudit(client, actor, {
          action: 'dispatch.create',
          target: `dispatch:${id}`,
          after: { stations: codes, lon, lat, village, hazardId: record.hazardId },
        });
        emit(dispatchEvent('dispatch.created', record));
        return record;
      });
    },

    async close(principal: Principal, id: number, body: DispatchCloseBody, actor: AuditActor) {
      return events.transaction(async (client, emit) => {
        const current = await repo.lockDispatch(client, id, principal.scope);
        if (!current) throw notFound(`dispatch ${id} does not exist`, 'params.id');
        if (current.status === 'closed')
          throw new HttpError(409, `dispatch ${id} is already closed`, 'params.id');
        const released = await repo.closeDispatch(client, id, principal.userId, body.reason ?? null);
        const forces = await repo.lockForces(client, released);
        const freed: string[] = [];
        for (const force of forces) {
          // a force someone took out of service meanwhile stays out of service
          if (force.status !== 'busy') continue;
          freed.push(force.code);
          await stationRepository.setStatus(client, force.code, 'available');
          emit(statusEvent(force, 'busy', 'available', `归队 dispatch ${id} closed`));
        }
        const record = dispatchView((await repo.dispatchById(client, id))!);
        await recordAudit(client, actor, {
          action: 'dispatch.close',
          target: `dispatch:${id}`,
          before: { status: 'open' },
          after: { status: 'closed', released, freed, reason: body.reason ?? null },
        });
        emit(dispatchEvent('dispatch.closed', record));
        return record;
      });
    },

    /** The live snapshot's part: open dispatches in the area (grid areas: their division's). */
    async openIn(client: pg.PoolClient, area: string): Promise<DispatchRecord[]> {
      return (await repo.openDispatchesIn(client, divisionOf(area))).map(dispatchView);
    },

    async list(principal: Principal, query: DispatchListQuery): Promise<DispatchList> {
      const rows = await repo.listDispatches(pool, principal.scope, query.status, query.limit);
      return { dispatches: rows.map(dispatchView) };
    },
  };
}
export type DispatchRecords = ReturnType<typeof createDispatchRecords>;
