import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import type { AreaGeometryBody } from '../../../../shared/src/schemas/geometry-input.ts';
import type { GridGeometryView } from '../../../../shared/src/schemas/grids.ts';
import { withTransaction } from '../../db/transaction.ts';
import { badRequest, notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import { acceptAreaGeometry } from '../geometry/service.ts';
import { gridRepository as repo, type GridShapeRow } from './repo.ts';

const view = (r: GridShapeRow): GridGeometryView => ({
  code: r.code,
  name: r.name,
  level: r.level,
  areaKm2: Math.round(r.area_km2 * 1e4) / 1e4,
});

export function createGridService(pool: pg.Pool) {
  return {
    /** Redraws a unit grid (单元网格) inside its village grid; audited with both shapes. */
    async redrawUnitGrid(principal: Principal, code: string, body: AreaGeometryBody, actor: AuditActor) {
      return withTransaction(pool, async (client) => {
        const before = await repo.forUpdate(client, code, principal.scope);
        if (!before) throw notFound(`grid ${code} does not exist`, 'params.code');
        if (before.level !== 'unit')
          throw badRequest('params.code', `${code} is a ${before.level} grid; only unit grids are redrawn`);
        const geometry = await acceptAreaGeometry(client, body);
        if (before.parent_code && !(await repo.insideParent(client, before.parent_code, geometry))) {
          throw badRequest(
            'body.geometry',
            `the new shape reaches outside its village grid ${before.parent_code}`,
          );
        }
        const after = await repo.setGeometry(client, code, geometry);
        await recordAudit(client, actor, {
          action: 'grid.geometry',
          target: `grid:${code}`,
          before: { areaKm2: view(before).areaKm2, geometry: before.geometry },
          after: { areaKm2: view(after).areaKm2, geometry: after.geometry, crs: body.crs },
        });
        return view(after);
      });
    },
  };
}
export type GridService = ReturnType<typeof createGridService>;
