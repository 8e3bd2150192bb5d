/**
 * Video roll-call: the day's draw for the caller's area with what was recorded, a result recorded once
 * per station and day (audited and streamed as `rollcall.recorded`, in one transaction), and the month's figures per station. The draw is
 * made over the county's skid-mounted stations (so a town sees the same draw as the county centre),
 * then narrowed to the caller's area.
 */
import type pg from 'pg';
import type { Principal } from '../../../../shared/src/auth.ts';
import { beijingDay, beijingMonth } from '../../../../shared/src/beijing-time.ts';
import type { RollcallRecordedLive } from '../../../../shared/src/schemas/live.ts';
import type {
  RollcallDay,
  RollcallDayQuery,
  RollcallMonth,
  RollcallMonthQuery,
  RollcallResultBody,
} from '../../../../shared/src/schemas/rollcall.ts';
import { badRequest, HttpError, notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import type { EventWriter } from '../events/with-events.ts';
import { dayNumber, drawnOn, ROLLCALL_CYCLE_DAYS } from './draw.ts';
import { rollcallRepository as repo, type JointStationRow, type ResultRow } from './repo.ts';

/** The county code of any division code (the draw is the county's). */
const countyOf = (scope: string) => scope.slice(0, 6);
const DAY_MS = 86_400_000;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** A real calendar day (the pattern lets 2026-02-31 through). */
function checkDay(date: string, field: string): void {
  if (dayOf(dayNumber(date)) !== date) throw badRequest(field, `${date} is not a calendar day`);
}

export function createRollcallService(pool: pg.Pool, events: EventWriter) {
  const inScope = (principal: Principal) => (s: JointStationRow) =>
    (s.village_code ?? '').startsWith(principal.scope);

  return {
    async day(principal: Principal, query: RollcallDayQuery, now = new Date()): Promise<RollcallDay> {
      const date = query.date ?? beijingDay(now);
      checkDay(date, 'query.date');
      const county = countyOf(principal.scope);
      const stations = await repo.jointStations(pool, county);
      const byCode = new Map(stations.map((s) => [s.code, s]));
      const drawn = drawnOn(
        stations.map((s) => s.code),
        date,
        county,
      )
        .map((code) => byCode.get(code)!)
        .filter(inScope(principal));
      const results = new Map(
        (
          await repo.results(
            pool,
            drawn.map((s) => s.code),
            date,
            date,
          )
        ).map((r) => [r.station_code, r]),
      );
      const day = dayNumber(date);
      return {
        date,
        cycleDay: (day % ROLLCALL_CYCLE_DAYS) + 1,
        cycleStart: dayOf(day - (day % ROLLCALL_CYCLE_DAYS)),
        stations: stations.length,
        drawn: drawn.map((s) => {
          const r = results.get(s.code);
          return {
            code: s.code,
            name: s.name,
            status: s.status,
            streamUrl: s.stream_url,
            result: r
              ? { outcome: r.outcome, note: r.note, by: r.by, at: r.recorded_at.toISOString() }
              : null,
          };
        }),
      };
    },

    /** Records what the roll-call of a station drawn that day found; once per station and day. */
    async record(
      principal: Principal,
      body: RollcallResultBody,
      actor: AuditActor,
      now = new Date(),
    ): Promise<RollcallDay> {
      checkDay(body.date, 'body.date');
      if (body.date > beijingDay(now))
        throw badRequest('body.date', `${body.date} has not come yet (today is ${beijingDay(now)})`);
      const county = countyOf(principal.scope);
      await events.transaction(async (client, emit) => {
        const stations = await repo.jointStations(client, county);
        const station = stations.find((s) => s.code === body.station);
        if (!station || !inScope(principal)(station))
          throw notFound(`no skid-mounted station ${body.station} in your area`, 'body.station');
        if (
          !drawnOn(
            stations.map((s) => s.code),
            body.date,
            county,
          ).includes(station.code)
        )
          throw badRequest('body.station', `${station.code} was not drawn for the roll-call of ${body.date}`);
        const note = body.note?.trim() ?? null;
        const recorded = await repo.record(client, {
          day: body.date,
          station: station.code,
          outcome: body.outcome,
          note,
          userId: principal.userId,
        });
        if (!recorded)
          throw new HttpError(
            409,
            `the roll-call of ${station.code} on ${body.date} is already recorded`,
            'body.station',
          );
        await recordAudit(client, actor, {
          action: 'rollcall.record',
          target: `station:${station.code}`,
          after: { date: body.date, outcome: body.outcome, note },
        });
        const data: RollcallRecordedLive = {
          date: body.date,
          code: station.code,
          name: station.name,
          outcome: body.outcome,
          note,
          by: recorded.by,
        };
        emit({
          type: 'rollcall.recorded',
          area: station.village_code ?? county,
          subject: `station:${station.code}`,
          data: { ...data },
        });
      });
      return this.day(principal, { date: body.date }, now);
    },

    /** Each station's month: days drawn (up to today), what was recorded, the share present. */
    async month(principal: Principal, query: RollcallMonthQuery, now = new Date()): Promise<RollcallMonth> {
      const month = query.month ?? beijingMonth(now);
      const county = countyOf(principal.scope);
      const stations = await repo.jointStations(pool, county);
      const codes = stations.map((s) => s.code);
      const first = dayNumber(`${month}-01`);
      const [y, m] = month.split('-').map(Number) as [number, number];
      const nextMonth = Math.round(Date.UTC(y, m, 1) / DAY_MS);
      const last = Math.min(nextMonth - 1, dayNumber(beijingDay(now)));
      const drawnDays = new Map<string, number>(codes.map((c) => [c, 0]));
      for (let d = first; d <= last; d++)
        for (const code of drawnOn(codes, dayOf(d), county)) drawnDays.set(code, drawnDays.get(code)! + 1);
      const mine = stations.filter(inScope(principal));
      const results: ResultRow[] =
        last < first
          ? []
          : await repo.results(
              pool,
              mine.map((s) => s.code),
              dayOf(first),
              dayOf(last),
            );
      const figures = (drawn: number, rs: ResultRow[]) => {
        const count = (o: string) => rs.filter((r) => r.outcome === o).length;
        return {
          drawn,
          present: count('present'),
          absent: count('absent'),
          equipment: count('equipment'),
          unrecorded: Math.max(0, drawn - rs.length),
          presentPct: rs.length ? Math.round((1000 * count('present')) / rs.length) / 10 : null,
        };
      };
      const rows = mine.map((s) => ({
        code: s.code,
        name: s.name,
        ...figures(
          drawnDays.get(s.code)!,
          results.filter((r) => r.station_code === s.code),
        ),
      }));
      return {
        month,
        days: Math.max(0, last - first + 1),
        stations: rows,
        total: figures(
          rows.reduce((n, r) => n + r.drawn, 0),
          results,
        ),
      };
    },
  };
}
export type RollcallService = ReturnType<typeof createRollcallService>;
