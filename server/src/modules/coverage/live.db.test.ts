/**
 * Live coverage loss on both backends: with every force available nothing is lost; a busy rescue
 * station loses road cover (people, area, roads) that an idle force moved into its station wins back;
 * freeing it restores the cover. A town operator sees only its town's figures.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageLive } from '../../../../shared/src/schemas/coverage.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';

describe.each(BACKENDS)('live coverage loss on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let county: { authorization: string };

  const live = async (who = county) => {
    const res = await app.inject({ method: 'GET', url: '/api/coverage/live', headers: who });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CoverageLive;
  };
  const setStatus = (code: string, status: string) =>
    app.inject({
      method: 'PATCH',
      url: `/api/stations/${code}/status`,
      headers: county,
      payload: { status, reason: 'test' },
    });

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000 });
    county = await authHeader(app, 'county_operator');
    await db.pool.query(`UPDATE fire_station SET status = 'available'`);
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('loses nothing while every force is available', async () => {
    const all = await live();
    expect(all.unavailable).toEqual([]);
    expect(all.lost).toMatchObject({ population: 0, areaKm2: 0, highRiskEnterprises: 0, roadNodes: 0 });
    expect(all.lost.roads.coordinates).toEqual([]);
    expect(all.moveUp).toBeNull();
    expect(all.nowPopulation).toBe(all.plannedPopulation);
    expect(all.plannedPopulation).toBeGreaterThan(0);
    expect(all.plannedPopulation).toBeLessThanOrEqual(all.population);
  });

  it('shows what a busy station leaves uncovered and which idle force to move up, and restores it when freed', async () => {
    const before = await live();
    // the rescue station whose absence loses the most: try each (there are a handful)
    const { rows } = await db.pool.query<{ code: string }>(
      `SELECT code FROM fire_station WHERE tier = 'rescue_station' ORDER BY code`,
    );
    let worst: { code: string; answer: CoverageLive } | undefined;
    for (const { code } of rows) {
      expect((await setStatus(code, 'busy')).statusCode).toBe(200);
      const answer = await live();
      if (!worst || answer.lost.population > worst.answer.lost.population) worst = { code, answer };
      expect((await setStatus(code, 'available')).statusCode).toBe(200);
    }
    const { code, answer } = worst!;
    const m = answer.moveUp;
    console.log(
      `[coverage ${backend}] ${code} busy: lost ${answer.lost.population} people, ${answer.lost.areaKm2} km², ` +
        `${answer.lost.highRiskEnterprises} high-risk enterprises, ${answer.lost.roadNodes} road nodes; ` +
        `move ${m?.force.id} (${m?.force.tier}) to ${m?.to.id}: +${m?.regainedPopulation} −${m?.uncoveredByLeaving}; ` +
        `${answer.computeMs} ms; 5-minute cover ${answer.plannedPopulation} of ${answer.population} people`,
    );
    expect(answer.unavailable.map((f) => f.id)).toEqual([code]);
    expect(answer.lost.population).toBeGreaterThan(0);
    expect(answer.lost.areaKm2).toBeGreaterThan(0);
    expect(answer.lost.roadNodes).toBeGreaterThan(0);
    expect(answer.lost.roads.coordinates.length).toBeGreaterThan(0);
    // planned cover does not depend on status; what is covered now falls by exactly the loss
    expect(answer.plannedPopulation).toBeCloseTo(before.plannedPopulation, 0);
    // (each figure is rounded to whole people on its own)
    expect(
      Math.abs(answer.nowPopulation - (answer.plannedPopulation - answer.lost.population)),
    ).toBeLessThanOrEqual(1);
    expect(answer.moveUp).not.toBeNull();
    expect(answer.moveUp!.to.id).toBe(code);
    expect(answer.moveUp!.force.tier).not.toBe('micro_station');
    expect(answer.moveUp!.netPopulation).toBeGreaterThan(0);
    expect(answer.moveUp!.regainedPopulation).toBeLessThanOrEqual(answer.lost.population + 1);

    // freeing it brings the cover back
    const after = await live();
    expect(after.lost.population).toBe(0);
    expect(after.nowPopulation).toBeCloseTo(before.nowPopulation, 0);
  });

  it('counts only the caller’s own area for a town operator', async () => {
    const town = await authHeader(app, 'town_operator');
    const mine = await live(town);
    const all = await live();
    expect(mine.scope.length).toBeGreaterThan(all.scope.length);
    expect(mine.population).toBeGreaterThan(0);
    expect(mine.population).toBeLessThan(all.population);
  });
});
