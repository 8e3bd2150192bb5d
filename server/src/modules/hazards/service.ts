import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import {
  HAZARD_TITLE_MAX,
  type HazardDetail,
  type HazardList,
  type HazardListQuery,
  type HazardReportBody,
  type HazardAssignee,
  type HazardStats,
  type HazardStatsQuery,
  type HazardStepView,
  type HazardSummary,
} from '../../../../shared/src/schemas/hazards.ts';
import type { HazardLive } from '../../../../shared/src/schemas/live.ts';
import type { HazardActionBody } from '../../../../shared/src/schemas/hazards.ts';
import {
  allowedActions,
  HAZARD_PHOTOS_PER_CASE,
  PHOTO_ACTIONS,
  type HazardTimers,
} from '../../../../shared/src/hazard-workflow.ts';
import type { Queryable } from '../../db/transaction.ts';
import { badRequest, HttpError, notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import type { EventWriter } from '../events/with-events.ts';
import { pointToWgs84 } from '../geometry/service.ts';
import { idempotency, type StoredAnswer } from '../idempotency/service.ts';
import { parseBbox } from '../ogc/service.ts';
import { checkPhoto, sha256Hex, type CheckedPhoto, type UploadedPhoto } from './photos.ts';
import {
  hazardRepository as repo,
  type HazardDetailRow,
  type HazardRow,
  type HazardScope,
  type PhotoRow,
  type StatsRow,
  type StepRow,
} from './repo.ts';
import { planStep, stepEventType, workflowView } from './workflow.ts';

export const REPORT_ROUTE = 'POST /api/hazards';

export interface HazardServiceOptions {
  thumbnailPx: number;
  timers: HazardTimers;
}

/** What the caller may see: its area, and for a department handler only its department's cases. */
export function hazardScope(principal: Principal): HazardScope {
  return {
    area: principal.scope,
    department: principal.role === 'department_handler' ? principal.department : null,
  };
}

/** A report's answer: the stored hazard, or the first answer again for a retried Idempotency-Key. */
export interface ReportAnswer extends StoredAnswer<HazardDetail> {
  replayed: boolean;
}

/** The description's first line-ish, cut to HAZARD_TITLE_MAX characters (whole code points). */
export function hazardTitle(description: string): string {
  const flat = description.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= HAZARD_TITLE_MAX ? flat : `${chars.slice(0, HAZARD_TITLE_MAX - 1).join('')}…`;
}

export function hazardLive(r: HazardRow): HazardLive {
  return {
    id: Number(r.id),
    category: r.category,
    state: r.state,
    severity: r.severity,
    lon: r.lon,
    lat: r.lat,
    title: hazardTitle(r.description),
    reportedAt: r.reported_at.toISOString(),
    reporter: r.reporter,
    photos: r.photos,
    deadline: r.deadline?.toISOString() ?? null,
    yellowAt: r.yellow_at?.toISOString() ?? null,
    level: r.level,
    department: r.department,
    supervised: r.supervised_at !== null,
    version: r.version,
  };
}

const summary = (r: HazardRow): HazardSummary => ({
  ...hazardLive(r),
  category: r.category,
  villageCode: r.village_code,
  gridCode: r.grid_code,
});

const photoUrl = (id: number | string, n: number) => `/api/hazards/${id}/photos/${n}`;

const stepView = (s: StepRow): HazardStepView => ({
  n: s.n,
  action: s.action,
  fromState: s.from_state,
  toState: s.to_state,
  fromLevel: s.from_level,
  toLevel: s.to_level,
  department: s.department,
  actor: s.actor,
  actorRole: s.actor_role,
  note: s.note,
  deadline: s.deadline?.toISOString() ?? null,
  data: s.data,
  at: s.at.toISOString(),
});

function detailView(
  r: HazardDetailRow,
  photos: PhotoRow[],
  steps: StepRow[],
  viewer: Principal,
): HazardDetail {
  return {
    ...summary(r),
    description: r.description,
    villageName: r.village_name,
    gridName: r.grid_name,
    locationCrs: r.location_crs,
    responsible: r.responsible,
    assignee: r.assignee_id === null ? null : { id: Number(r.assignee_id), name: r.assignee_name ?? '' },
    steps: steps.map(stepView),
    actions: allowedActions(viewer, workflowView(r), new Date()),
    photoList: photos.map((p) => ({
      n: p.n,
      step: p.step_n,
      mime: p.mime,
      bytes: p.bytes,
      width: p.width,
      height: p.height,
      sha256: p.sha256,
      exif:
        p.exif_lon === null && p.exif_taken_at === null
          ? null
          : { lon: p.exif_lon, lat: p.exif_lat, takenAt: p.exif_taken_at?.toISOString() ?? null },
      url: photoUrl(r.id, p.n),
      thumbnailUrl: `${photoUrl(r.id, p.n)}/thumbnail`,
    })),
  };
}

/** What makes two reports the same request: every field and every photo's bytes, in order. */
function requestHash(body: HazardReportBody, photos: UploadedPhoto[]): string {
  const { category, description, location } = body;
  return sha256Hex(
    JSON.stringify({
      category,
      description,
      location: { lon: location.lon, lat: location.lat, crs: location.crs },
      photos: photos.map((p) => sha256Hex(p.content)),
    }),
  );
}

export function createHazardService(pool: pg.Pool, events: EventWriter, options: HazardServiceOptions) {
  async function detailOf(
    db: Queryable,
    id: number | string,
    viewer: Principal,
  ): Promise<HazardDetail | undefined> {
    const row = await repo.detail(db, id, hazardScope(viewer));
    return row && detailView(row, await repo.photos(db, id), await repo.steps(db, id), viewer);
  }

  return {
    /**
     * Stores a hazard report with its photos (checked by content, thumbnailed, EXIF read) in the unit
     * grid that contains it, audited, with its `hazard.reported` event, all in one transaction. With an
     * Idempotency-Key, a retry of the same request from the same account answers as the first did.
     */
    async report(
      principal: Principal,
      body: HazardReportBody,
      uploads: UploadedPhoto[],
      key: string | undefined,
      actor: AuditActor,
    ): Promise<ReportAnswer> {
      const keyScope = key ? { userId: principal.userId, route: REPORT_ROUTE, key } : undefined;
      const hash = requestHash(body, uploads);
      if (keyScope) {
        const first = await idempotency.lookup<HazardDetail>(pool, keyScope, hash);
        if (first) return { ...first, replayed: true };
      }
      // decoding and thumbnailing are the slow part: done before the transaction opens
      const photos: CheckedPhoto[] = [];
      for (const upload of uploads) photos.push(await checkPhoto(upload, options.thumbnailPx));
      const [lon, lat] = pointToWgs84(body.location.lon, body.location.lat, body.location.crs);

      return events.transaction(async (client, emit) => {
        if (keyScope) {
          const first = await idempotency.claim<HazardDetail>(client, keyScope, hash);
          if (first) return { ...first, replayed: true };
        }
        const place = await repo.place(client, lon, lat);
        if (!place.village_code) {
          throw badRequest(
            'body.location',
            `the location (${lon}, ${lat} WGS84) lies outside every village of the district`,
          );
        }
        if (!place.village_code.startsWith(principal.scope)) {
          throw badRequest(
            'body.location',
            `the location lies in village ${place.village_code}, outside your area ${principal.scope}`,
          );
        }
        const id = await repo.insert(client, {
          category: body.category,
          description: body.description.trim(),
          lon,
          lat,
          crs: body.location.crs,
          villageCode: place.village_code,
          gridCode: place.grid_code,
          reporterId: principal.userId,
          reporterDeviceId: principal.deviceId ?? null,
        });
        for (const [i, photo] of photos.entries()) await repo.insertPhoto(client, id, i + 1, 1, photo);
        await repo.insertStep(client, id, {
          action: 'report',
          fromState: null,
          toState: 'reported',
          fromLevel: null,
          toLevel: 'village',
          department: null,
          actorId: principal.userId,
          actorRole: principal.role,
          note: null,
          deadline: null,
          data: { photos: photos.length },
        });
        const detail = (await detailOf(client, id, principal))!;
        const row = await repo.detail(client, id, hazardScope(principal));
        await recordAudit(client, actor, {
          action: 'hazard.report',
          target: `hazard:${id}`,
          after: {
            category: detail.category,
            villageCode: detail.villageCode,
            gridCode: detail.gridCode,
            lon,
            lat,
            crs: body.location.crs,
            photos: photos.length,
            idempotencyKey: key ?? null,
          },
        });
        emit({
          type: 'hazard.reported',
          area: detail.villageCode,
          grid: detail.gridCode,
          subject: `hazard:${id}`,
          data: { ...hazardLive(row!) },
        });
        const answer = { status: 201, body: detail };
        if (keyScope) await idempotency.complete(client, keyScope, answer);
        return { ...answer, replayed: false };
      });
    },

    /** A hazard inside the caller's area (outside it, it does not exist: 404). */
    async detail(principal: Principal, id: number): Promise<HazardDetail> {
      const found = await detailOf(pool, id, principal);
      if (!found) throw notFound(`hazard ${id} does not exist`, 'params.id');
      return found;
    },

    /** Open hazards in the caller's area, newest first. */
    async list(principal: Principal, query: HazardListQuery): Promise<HazardList> {
      const bbox = query.bbox !== undefined ? parseBbox(query.bbox) : undefined;
      const { rows, total } = await repo.list(pool, hazardScope(principal), {
        bbox,
        state: query.state,
        level: query.level,
        overdue: query.overdue ?? false,
        limit: query.limit,
        offset: query.offset,
      });
      return { items: rows.map(summary), total, limit: query.limit, offset: query.offset };
    },

    /** Who may follow the case up: the grid members of its village (for the assign form). */
    async assignees(principal: Principal, id: number): Promise<HazardAssignee[]> {
      const row = await repo.detail(pool, id, hazardScope(principal));
      if (!row) throw notFound(`hazard ${id} does not exist`, 'params.id');
      return (await repo.assignees(pool, row.village_code)).map((r) => ({ ...r, id: Number(r.id) }));
    },

    /** The ledger statistics (台账) of the caller's area: found, rectified and the rectification rate. */
    async stats(principal: Principal, query: HazardStatsQuery): Promise<HazardStats> {
      const from = query.from ?? null;
      const to = query.to ?? null;
      if (from && to && Date.parse(from) >= Date.parse(to)) {
        throw badRequest('querystring.to', `the period ends (${to}) before it starts (${from})`);
      }
      const rows = await repo.stats(pool, hazardScope(principal), query.by, {
        from,
        to,
        category: query.category ?? null,
      });
      const figures = (r: Omit<StatsRow, 'key' | 'name'>) => ({
        found: r.found,
        rectified: r.rectified,
        rate: r.found === 0 ? null : r.rectified / r.found,
        overdue: r.overdue,
        closedLate: r.closed_late,
        avgCloseH: r.avg_close_h === null ? null : Math.round(r.avg_close_h * 10) / 10,
      });
      const sum = (k: 'found' | 'rectified' | 'overdue' | 'closed_late') =>
        rows.reduce((n, r) => n + r[k], 0);
      const closedHours = rows.reduce((n, r) => n + (r.avg_close_h ?? 0) * r.rectified, 0);
      return {
        by: query.by,
        from,
        to,
        rows: rows.map((r) => ({ key: r.key, name: r.name, ...figures(r) })),
        total: figures({
          found: sum('found'),
          rectified: sum('rectified'),
          overdue: sum('overdue'),
          closed_late: sum('closed_late'),
          avg_close_h: sum('rectified') === 0 ? null : closedHours / sum('rectified'),
        }),
      };
    },

    /** A photo's bytes or its thumbnail, if its hazard lies in the caller's area. */
    async photo(principal: Principal, id: number, n: number, which: 'content' | 'thumbnail') {
      const found = await repo.photoContent(pool, id, n, hazardScope(principal), which);
      if (found) return { ...found, mime: which === 'thumbnail' ? 'image/webp' : found.mime };
      if (await repo.detail(pool, id, hazardScope(principal)))
        throw notFound(`hazard ${id} has no photo ${n}`, 'params.n');
      throw notFound(`hazard ${id} does not exist`, 'params.id');
    },

    /** The live snapshot's `hazards` part: open hazards in the area. */
    async snapshotPart(client: Queryable, area: string, viewer: Principal): Promise<HazardLive[]> {
      return (await repo.openInArea(client, area, hazardScope(viewer).department)).map(hazardLive);
    },

    /**
     * One step of the closed loop, exactly once: the row is locked, the version the client saw must be
     * the current one (409 otherwise), the rules of hazard-workflow.ts decide whether the caller may take
     * it; the change, its timeline step, the audit record and the live event commit together.
     */
    async act(
      principal: Principal,
      id: number,
      body: HazardActionBody,
      uploads: UploadedPhoto[],
      actor: AuditActor,
    ): Promise<HazardDetail> {
      if (uploads.length > 0 && !(PHOTO_ACTIONS as readonly string[]).includes(body.action)) {
        throw badRequest(
          'body.photos',
          `photos come with ${PHOTO_ACTIONS.join(', ')}, not with ${body.action}`,
        );
      }
      // decoding and thumbnailing are the slow part: done before the transaction opens
      const photos: CheckedPhoto[] = [];
      for (const upload of uploads) photos.push(await checkPhoto(upload, options.thumbnailPx));
      return events.transaction(async (client, emit) => {
        const scope = hazardScope(principal);
        const row = await repo.detail(client, id, scope, true);
        if (!row) throw notFound(`hazard ${id} does not exist`, 'params.id');
        const now = new Date();
        const plan = planStep(principal, row, body, now, options.timers);
        if (
          body.assigneeId !== undefined &&
          !(await repo.assignable(client, body.assigneeId, row.village_code))
        ) {
          throw badRequest(
            'body.assigneeId',
            `user ${body.assigneeId} is not an active grid member working in village ${row.village_code}`,
          );
        }
        const held = row.photos;
        if (held + photos.length > HAZARD_PHOTOS_PER_CASE) {
          throw new HttpError(
            413,
            `hazard ${id} holds ${held} photos: ${photos.length} more would pass the ${HAZARD_PHOTOS_PER_CASE} a case keeps`,
            'body.photos',
          );
        }
        await repo.update(client, id, plan.change);
        const stepN = await repo.insertStep(client, id, {
          ...plan.step,
          data: photos.length ? { ...plan.step.data, photos: photos.length } : plan.step.data,
        });
        for (const [i, photo] of photos.entries())
          await repo.insertPhoto(client, id, held + i + 1, stepN, photo);
        const after = (await repo.detail(client, id, { area: scope.area, department: null }))!;
        await recordAudit(client, actor, {
          action: `hazard.${body.action}`,
          target: `hazard:${id}`,
          before: plan.before,
          after: { ...plan.after, version: after.version, photos: photos.length },
        });
        emit({
          type: stepEventType(body.action),
          area: after.village_code,
          grid: after.grid_code,
          // department handlers follow their department's cases, also the one leaving them
          department: after.department ?? row.department,
          subject: `hazard:${id}`,
          data: { ...hazardLive(after), action: body.action, note: body.note ?? null },
        });
        // a case escalated away from a department handler is no longer theirs to see
        return (await detailOf(client, id, principal)) ?? detailView(after, [], [], principal);
      });
    },
  };
}
export type HazardService = ReturnType<typeof createHazardService>;
