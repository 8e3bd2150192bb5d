import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import { INSPECTION_CADENCE_DAYS } from '../../../../shared/src/domain.ts';
import type { InputCrs } from '../../../../shared/src/schemas/geometry-input.ts';
import type {
  EnterpriseDetail,
  EnterpriseImportResult,
  EnterpriseList,
  EnterpriseListQuery,
  EnterpriseSummary,
  InspectionBody,
  ResponsibilityBoardBody,
  ResponsibilityBoardView,
} from '../../../../shared/src/schemas/enterprises.ts';
import { BOARD_CHECK_INTERVAL_DAYS } from '../../../../shared/src/standards.ts';
import { withTransaction, type Queryable } from '../../db/transaction.ts';
import { badRequest, HttpError, notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import { pointToWgs84 } from '../geometry/service.ts';
import { parseEnterpriseCsv, writeEnterpriseCsv, type CellError } from './csv.ts';
import { enterpriseRepository as repo, type BoardRow, type Cadence, type EnterpriseRow } from './repo.ts';

const DAY_MS = 86_400_000;
const CADENCE: Cadence = { inspectionDays: INSPECTION_CADENCE_DAYS, boardDays: BOARD_CHECK_INTERVAL_DAYS };

/** 422 listing every bad row of an import; nothing was written. */
export class ImportRejected extends HttpError {
  constructor(errors: CellError[]) {
    super(422, `${errors.length} problem(s) in the file; nothing was imported`, 'body', { errors });
  }
}

const boardDue = (checkedAt: Date) => new Date(checkedAt.getTime() + BOARD_CHECK_INTERVAL_DAYS * DAY_MS);

function summary(r: EnterpriseRow, now = Date.now()): EnterpriseSummary {
  return {
    code: r.code,
    name: r.name,
    category: r.category,
    risk: r.risk,
    gridCode: r.grid_code,
    villageCode: r.village_code,
    employees: r.employees,
    address: r.address,
    lon: r.lon,
    lat: r.lat,
    lastInspectedAt: r.last_inspected_at?.toISOString() ?? null,
    inspectionDue: r.inspection_due.toISOString(),
    inspectionOverdue: r.inspection_due.getTime() < now,
    board: r.board_checked_at
      ? { checkedAt: r.board_checked_at.toISOString(), overdue: boardDue(r.board_checked_at).getTime() < now }
      : null,
  };
}

function boardView(b: BoardRow): ResponsibilityBoardView {
  const due = boardDue(b.checked_at);
  return {
    firstResponsible: b.first_responsible,
    firstResponsiblePhone: b.first_responsible_phone,
    actualController: b.actual_controller,
    safetyManager: b.safety_manager,
    safetyManagerPhone: b.safety_manager_phone,
    townSupervisor: b.town_supervisor,
    villageSupervisor: b.village_supervisor,
    supervisorPhone: b.supervisor_phone,
    postedAt: b.posted_at.toISOString(),
    checkedAt: b.checked_at.toISOString(),
    checkDue: due.toISOString(),
    overdue: due.getTime() < Date.now(),
  };
}

export function createEnterpriseService(pool: pg.Pool) {
  async function detailOf(db: Queryable, principal: Principal, code: string): Promise<EnterpriseDetail> {
    const row = await repo.detail(db, code, principal.scope, CADENCE);
    if (!row) throw notFound(`enterprise ${code} does not exist`, 'params.code');
    const board = await repo.board(db, code);
    return {
      ...summary(row),
      board: board ? boardView(board) : null,
      inspections: (await repo.inspections(db, code)).map((i) => ({
        id: Number(i.id),
        inspectedAt: i.inspected_at.toISOString(),
        inspector: i.inspector,
        result: i.result,
        findings: i.findings,
        hazardsFound: i.hazards_found,
      })),
    };
  }

  /** Locks the enterprise (in scope) for a write, or 404. */
  async function lock(db: Queryable, principal: Principal, code: string): Promise<EnterpriseRow> {
    const row = await repo.detail(db, code, principal.scope, CADENCE, true);
    if (!row) throw notFound(`enterprise ${code} does not exist`, 'params.code');
    return row;
  }

  return {
    async list(principal: Principal, q: EnterpriseListQuery): Promise<EnterpriseList> {
      const { rows, total } = await repo.list(
        pool,
        principal.scope,
        {
          risk: q.risk ?? null,
          category: q.category ?? null,
          inspectionOverdue: q.inspectionOverdue ?? false,
          boardOverdue: q.boardOverdue ?? false,
          q: q.q ?? null,
          limit: q.limit,
          offset: q.offset,
        },
        CADENCE,
      );
      const now = Date.now();
      return { items: rows.map((r) => summary(r, now)), total, limit: q.limit, offset: q.offset };
    },

    detail: (principal: Principal, code: string) => detailOf(pool, principal, code),

    async postBoard(principal: Principal, code: string, body: ResponsibilityBoardBody, actor: AuditActor) {
      return withTransaction(pool, async (client) => {
        await lock(client, principal, code);
        const before = await repo.board(client, code);
        await repo.upsertBoard(client, code, body);
        await recordAudit(client, actor, {
          action: 'enterprise.board',
          target: `enterprise:${code}`,
          before: before ? boardView(before) : null,
          after: body,
        });
        return detailOf(client, principal, code);
      });
    },

    async checkBoard(principal: Principal, code: string, actor: AuditActor) {
      return withTransaction(pool, async (client) => {
        await lock(client, principal, code);
        const before = await repo.board(client, code);
        if (!before || !(await repo.checkBoard(client, code))) {
          throw new HttpError(
            409,
            `enterprise ${code} has no responsibility board to check; post one first`,
            'params.code',
          );
        }
        await recordAudit(client, actor, {
          action: 'enterprise.board_check',
          target: `enterprise:${code}`,
          before: { checkedAt: before.checked_at.toISOString() },
          after: { checkedAt: new Date().toISOString() },
        });
        return detailOf(client, principal, code);
      });
    },

    async inspect(principal: Principal, code: string, body: InspectionBody, actor: AuditActor) {
      if (body.result === 'hazards_found' && (body.findings === undefined || !body.hazardsFound)) {
        throw badRequest(
          body.findings === undefined ? 'body.findings' : 'body.hazardsFound',
          'an inspection that found hazards says what (findings) and how many (hazardsFound ≥ 1)',
        );
      }
      if (body.result === 'passed' && body.hazardsFound) {
        throw badRequest('body.hazardsFound', 'a passed inspection found no hazards');
      }
      if (body.inspectedAt !== undefined && Date.parse(body.inspectedAt) > Date.now() + 60_000) {
        throw badRequest('body.inspectedAt', 'an inspection cannot be recorded in the future');
      }
      return withTransaction(pool, async (client) => {
        await lock(client, principal, code);
        const id = await repo.insertInspection(client, code, principal.userId, body);
        await recordAudit(client, actor, {
          action: 'enterprise.inspect',
          target: `enterprise:${code}`,
          after: { inspection: Number(id), result: body.result, hazardsFound: body.hazardsFound ?? 0 },
        });
        return detailOf(client, principal, code);
      });
    },

    /**
     * Imports a CSV: every row is checked (cells, duplicate codes, the point inside the caller's area, a
     * code not taken outside it) before anything is written; then all rows are written in one transaction.
     */
    async importCsv(
      principal: Principal,
      bytes: Buffer,
      crs: InputCrs,
      actor: AuditActor,
    ): Promise<EnterpriseImportResult> {
      const { rows, errors } = parseEnterpriseCsv(bytes);
      if (errors.length) throw new ImportRejected(errors);
      if (rows.length === 0)
        throw new ImportRejected([{ row: 2, column: '', message: 'the file has no rows' }]);
      for (const r of rows) [r.lon, r.lat] = pointToWgs84(r.lon, r.lat, crs);
      return withTransaction(pool, async (client) => {
        const { villages, existing } = await repo.placeRows(
          client,
          rows.map((r) => [r.lon, r.lat]),
          rows.map((r) => r.code),
        );
        rows.forEach((r, i) => {
          const village = villages[i];
          if (!village || !village.startsWith(principal.scope)) {
            errors.push({
              row: r.row,
              column: 'lon',
              message: village
                ? `the point lies in village ${village}, outside your area ${principal.scope}`
                : 'the point lies outside every village of the district',
            });
          }
          const owner = existing.get(r.code);
          if (owner !== undefined && !(owner ?? '').startsWith(principal.scope)) {
            errors.push({ row: r.row, column: 'code', message: `the code "${r.code}" cannot be used` });
          }
        });
        if (errors.length) throw new ImportRejected(errors.sort((a, b) => a.row - b.row));
        const result = { rows: rows.length, created: 0, updated: 0, boards: 0 };
        let boardsCreated = 0;
        for (const r of rows) {
          result[await repo.upsert(client, r)] += 1;
          if (r.board) {
            if (await repo.upsertBoard(client, r.code, r.board)) boardsCreated += 1;
            result.boards += 1;
          }
        }
        await recordAudit(client, actor, {
          action: 'enterprise.import',
          target: `enterprises:${principal.scope}`,
          after: { ...result, boardsCreated, crs, codes: rows.map((r) => r.code) },
        });
        return result;
      });
    },

    async exportCsv(principal: Principal): Promise<string> {
      const rows = await repo.exportRows(pool, principal.scope);
      return writeEnterpriseCsv(rows as unknown as Record<string, unknown>[]);
    },
  };
}
export type EnterpriseService = ReturnType<typeof createEnterpriseService>;
