/**
 * Property-based bad input against every route in ROUTES: at least FUZZ_RUNS (300) generated bad
 * requests each on PostgreSQL, and the first FUZZ_RUNS_EMBEDDED (75) of the same sequence again on the
 * embedded backend (the validation is the same code; what differs is the database under it, and the
 * embedded one is several times slower per write), seeded (FUZZ_SEED) so a failure replays. Each answer must be below 500, every 4xx must
 * be `{ statusCode, error, message, field }` naming the input, and no rejected request may change the
 * accounts, sessions, devices, station statuses, grids or audit log beyond what its audit row accounts
 * for (failed sign-ins are audited and counted; nothing else a rejected request does may stick).
 */
import { hash as argon2Hash } from '@node-rs/argon2';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp } from '../support/app.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_PASSWORD } from '../support/paths.ts';
import {
  ROUTES,
  answerProblem,
  badRequestArb,
  buildBadRequest,
  callerHeaders,
  describeRequest,
  documentedRoutes,
  exampleRole,
  prepareFixtures,
  routeId,
  routeInputs,
  withTelemetry,
  writeProblem,
  writeState,
  type Fixtures,
  type OpenApiDocument,
  type RouteRow,
} from './bad-input.ts';

/**
 * Argon2 at the product's cost (19 MiB, t=2) takes ~30 ms a hash, and about a third of the bad sign-ins
 * reach the password check: hashes made during this file use the lowest cost instead (still argon2id;
 * verification reads the cost from the hash). The accounts are re-hashed below.
 */
const LOW_COST = vi.hoisted(() => ({ memoryCost: 1024, timeCost: 1, parallelism: 1 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  const hash: typeof real.hash = (password, options, signal) =>
    real.hash(password, { ...options, ...LOW_COST }, signal);
  return { ...real, hash };
});

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const RUNS: Record<(typeof BACKENDS)[number], number> = {
  // each route's fields and callers come up again and again within the CI budget (25 min for the whole
  // run); a deeper run: FUZZ_RUNS=1000 FUZZ_RUNS_EMBEDDED=250, or another FUZZ_SEED
  postgres: Number(process.env.FUZZ_RUNS ?? 300),
  embedded: Number(process.env.FUZZ_RUNS_EMBEDDED ?? 75),
};
/** Limits high enough that no fuzzed request is answered 429 instead of being looked at. */
const NO_LIMITS = { RATE_LIMIT_PER_MIN: 10_000_000, LOGIN_RATE_LIMIT_PER_MIN: 10_000_000 };

interface Tally {
  requests: number;
  statuses: Map<number, number>;
  ms: number;
}

describe.each(BACKENDS)('bad input on %s', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let doc: OpenApiDocument;
  const tallies = new Map<string, Tally>();
  let started = 0;

  beforeAll(async () => {
    started = Date.now();
    db = await openTestDatabase(backend);
    await db.pool.query('UPDATE app_user SET password_hash = $1', [
      await argon2Hash(TEST_PASSWORD, LOW_COST),
    ]);
    app = await buildTestApp(db, NO_LIMITS);
    fx = await prepareFixtures(app, db);
    doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
  });
  afterAll(async () => {
    if (tallies.size) {
      const lines = [...tallies].map(([id, t]) => {
        const statuses = [...t.statuses]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ');
        return `  ${String(t.requests).padStart(6)}  ${id.padEnd(52)} ${String(Math.round(t.ms / 100) / 10).padStart(5)} s  ${statuses}`;
      });
      const total = [...tallies.values()].reduce((n, t) => n + t.requests, 0);
      console.log(
        `[bad-input] ${backend}: ${total} bad requests over ${tallies.size} routes in ${Math.round((Date.now() - started) / 1000)} s (seed ${SEED})\n${lines.join('\n')}`,
      );
    }
    await app?.close();
    await db?.destroy();
  });

  it('has a row for every documented route, and only those', () => {
    expect(ROUTES.map(routeId).sort()).toEqual(documentedRoutes(doc).sort());
  });

  it('notices a write no audit row accounts for, and accounts for a failed sign-in', async () => {
    const code = fx.stations.county!;
    const { state: before } = await writeState(db);
    await db.pool.query(
      `UPDATE fire_station SET status = CASE status WHEN 'busy' THEN 'available' ELSE 'busy' END WHERE code = $1`,
      [code],
    );
    const unaudited = await writeState(db, before.auditMax);
    expect(writeProblem(before, unaudited.state, unaudited.audits, [])).toMatch(/^stations: /);
    await db.pool.query(`UPDATE fire_station SET status = $2 WHERE code = $1`, [code, before.stations[code]]);

    const failed = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'planner', password: 'not-the-password' },
    });
    expect(failed.statusCode).toBe(401);
    const { state: after, audits } = await writeState(db, before.auditMax);
    expect(audits.map((a) => a.action)).toEqual(['auth.login_failed']);
    expect(after.logins.planner).toEqual([before.logins.planner![0] + 1, false]);
    expect(writeProblem(before, after, audits, ['auth.login_failed'])).toBe(undefined);
    expect(writeProblem(before, after, audits, [])).toMatch(/auth\.login_failed/);
    expect(writeProblem(before, after, [], [])).toMatch(/^logins: .*auditRows/);
  });

  it.each(ROUTES.map((row) => [routeId(row), row] as [string, RouteRow]))(
    '%s: no 5xx, errors name the input, nothing partially written',
    async (id, row) => {
      const role = exampleRole(row.as);
      const writes = row.method !== 'GET' || row.telemetry === true;
      const headers = await callerHeaders(fx, row.as);
      const first = await row.example(fx, role);
      const arb = badRequestArb(row, routeInputs(doc, row), first);
      const tally: Tally = { requests: 0, statuses: new Map(), ms: 0 };
      const t0 = Date.now();
      tallies.set(id, tally);
      const fail = (problem: string, req: InjectOptions) => {
        throw new Error(`${id}: ${problem}\n  request: ${describeRequest(req)}`);
      };
      const { state: stateAtStart } = await writeState(db);

      const outcome = await fc.check(
        fc.asyncProperty(arb, async (mutations) => {
          // write routes get a fresh example each time (a refresh token is single-use, a device revoked once)
          const example = writes ? await row.example(fx, role) : first;
          const req = buildBadRequest(row, example, mutations, headers);
          const before = writes ? (await writeState(db)).state : undefined;
          const res = await app.inject(req);
          tally.requests += 1;
          tally.statuses.set(res.statusCode, (tally.statuses.get(res.statusCode) ?? 0) + 1);
          const problem = answerProblem(res);
          if (problem) fail(problem, req);
          if (!before) return;
          const { state: after, audits } = await writeState(db, before.auditMax);
          const accepted = res.statusCode < 300;
          const partial = writeProblem(
            accepted && row.telemetry ? withTelemetry(before, after) : before,
            after,
            audits,
            accepted ? (row.audits ?? []) : (row.auditsWhenRejected ?? []),
          );
          if (partial) fail(`answered ${res.statusCode} ${res.body.slice(0, 200)} but ${partial}`, req);
          if (accepted && row.audits?.length && audits.length !== 1)
            fail(`accepted (${res.statusCode}) without an audit row`, req);
        }),
        { seed: SEED, numRuns: RUNS[backend] },
      );
      tally.ms = Date.now() - t0;
      if (outcome.failed) {
        throw new Error(
          `${String((outcome.errorInstance as Error | undefined)?.message ?? outcome.errorInstance)}\n${fc.defaultReportMessage(outcome)}\nreplay: FUZZ_SEED=${String(outcome.seed)} npx vitest run --project db test/harness/bad-input -t '${id}'`,
        );
      }
      expect(tally.requests).toBeGreaterThanOrEqual(RUNS[backend]);
      if (!writes) {
        // reads write nothing at all
        const { state: after, audits } = await writeState(db, stateAtStart.auditMax);
        expect(writeProblem(stateAtStart, after, audits, [])).toBe(undefined);
      }
    },
  );

  it('answers 429 with the error shape once a rate limit is reached', async () => {
    const limited = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 3, LOGIN_RATE_LIMIT_PER_MIN: 2 });
    try {
      const headers = { authorization: await fx.bearer('planner') };
      const district = [];
      for (let i = 0; i < 4; i += 1)
        district.push(await limited.inject({ method: 'GET', url: '/api/district', headers }));
      expect(district.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
      expect(answerProblem(district[3]!)).toBe(undefined);
      expect(district[3]!.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests', field: 'ip' });
      expect(district[3]!.headers['retry-after']).toBeDefined();

      const login = [];
      for (let i = 0; i < 3; i += 1) {
        login.push(
          await limited.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'nobody.here', password: 'not-the-password' },
          }),
        );
      }
      expect(login.map((r) => r.statusCode)).toEqual([401, 401, 429]);
      expect(answerProblem(login[2]!)).toBe(undefined);
      expect(login[2]!.json()).toMatchObject({ statusCode: 429, field: 'body.username' });
    } finally {
      await limited.close();
    }
  });
});
