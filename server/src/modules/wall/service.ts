/**
 * The wall's figures for the caller's area, read in one snapshot with the event log's head: hazards
 * reported today and this month by category and state with their rectification rate, open and overdue
 * cases by the level holding them, patrols on duty, forces by tier and status; and the people within
 * their tier's minutes of an available force by road, from the live coverage computation.
 */
import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import { beijingDay, beijingMonth } from '../../../../shared/src/beijing-time.ts';
import { SAFETY_CATEGORIES, STATION_STATUSES, STATION_TIERS } from '../../../../shared/src/domain.ts';
import { HAZARD_LEVELS } from '../../../../shared/src/hazard-workflow.ts';
import { HAZARD_STATES } from '../../../../shared/src/schemas/hazards.ts';
import type { WallHazardPeriod, WallSummary } from '../../../../shared/src/schemas/wall.ts';
import { withSnapshot } from '../../db/transaction.ts';
import type { CoverageService } from '../coverage/service.ts';
import { eventRepository } from '../events/repo.ts';
import { hazardScope } from '../hazards/service.ts';
import { wallRepository as repo, type HazardGroupRow } from './repo.ts';

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

function period(rows: readonly HazardGroupRow[], from: Date): WallHazardPeriod {
  const out: WallHazardPeriod = {
    from: from.toISOString(),
    found: 0,
    rectified: 0,
    rate: null,
    byCategory: zeros(SAFETY_CATEGORIES),
    byState: zeros(HAZARD_STATES),
  };
  for (const row of rows) {
    out.found += row.n;
    if (row.state === 'closed') out.rectified += row.n;
    out.byCategory[row.category] += row.n;
    out.byState[row.state] += row.n;
  }
  out.rate = out.found === 0 ? null : out.rectified / out.found;
  return out;
}

export function createWallService(pool: pg.Pool, coverage: Pick<CoverageService, 'live'>) {
  return {
    async summary(principal: Principal, now = new Date()): Promise<WallSummary> {
      const day = beijingDay(now);
      const month = beijingMonth(now);
      const dayStart = new Date(`${day}T00:00:00+08:00`);
      const monthStart = new Date(`${month}-01T00:00:00+08:00`);
      const scope = hazardScope(principal);
      const read = await withSnapshot(pool, async (client) => ({
        seq: await eventRepository.head(client),
        hazards: await repo.hazardGroups(client, scope, { dayStart, monthStart, now }),
        patrols: await repo.patrolsByTown(client, principal.scope),
        forces: await repo.forces(client, principal.scope),
      }));
      const live = await coverage.live(principal);

      const overdueByLevel = zeros(HAZARD_LEVELS);
      let open = 0;
      for (const row of read.hazards) {
        if (row.state !== 'closed') open += row.n;
        if (row.overdue) overdueByLevel[row.level] += row.n;
      }
      const forces = Object.fromEntries(
        STATION_TIERS.map((tier) => [tier, zeros(STATION_STATUSES)]),
      ) as WallSummary['forces'];
      for (const row of read.forces) forces[row.tier][row.status] += row.n;

      return {
        scope: principal.scope,
        seq: read.seq,
        at: now.toISOString(),
        day,
        month,
        today: period(
          read.hazards.filter((row) => row.today),
          dayStart,
        ),
        thisMonth: period(
          read.hazards.filter((row) => row.this_month),
          monthStart,
        ),
        open,
        overdueByLevel,
        patrols: {
          onDuty: read.patrols.reduce((n, town) => n + town.on_duty, 0),
          outsideGrid: read.patrols.reduce((n, town) => n + town.outside_grid, 0),
          byTown: read.patrols.map((town) => ({
            code: town.code,
            name: town.name,
            onDuty: town.on_duty,
            outsideGrid: town.outside_grid,
          })),
        },
        forces,
        coverage: {
          population: live.population,
          nowPopulation: live.nowPopulation,
          plannedPopulation: live.plannedPopulation,
          share: live.population > 0 ? live.nowPopulation / live.population : null,
        },
      };
    },
  };
}
export type WallService = ReturnType<typeof createWallService>;
