/**
 * Database outage: the app talks to the database through a TCP proxy the test cuts and restores (the
 * shared PostgreSQL cluster is never stopped). While cut, every database-backed request answers 503 with
 * Retry-After and `field: 'database'`, health says degraded, nothing crashes; once restored, requests
 * succeed again by themselves, without restarting anything.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../shared/src/domain.ts';
import { authHeader, buildTestApp } from '../../../test/support/app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { TEST_PASSWORD } from '../../../test/support/paths.ts';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.ts';
import { openDatabase, type Database } from './database.ts';
import { startEmbeddedPostgis, type EmbeddedPostgis } from './embedded.ts';
import { DATABASE_RETRY_AFTER_S, databaseUnavailable } from './errors.ts';

/**
 * How long the database stays unreachable. The issue asks for 30 s; the behaviour does not depend on the
 * length (every request during the cut fails fast on a refused or timed-out connection, and recovery
 * starts from the first request after the restore), so the suite uses a shorter outage. Raise it here or
 * with OUTAGE_MS=30000 in the environment.
 */
const OUTAGE_MS = Number(process.env.OUTAGE_MS) || 6_000;
/** A black-holed network (connections accepted, never answered): only the connect timeout notices. */
const HANG_MS = 3_000;
/** Pool connect timeout for the app under test (production default: database.ts). */
const CONNECT_TIMEOUT_MS = 1_000;
/** Requests in flight at any moment during the outage. */
const WORKERS = 3;
/** How soon after the restore requests must succeed again. */
const RECOVERY_BUDGET_MS = 5_000;

interface Sample {
  label: string;
  startedAt: number;
  endedAt: number;
  res: LightMyRequestResponse;
}

describe.each<Backend>(['postgres', 'embedded'])(
  'database outage on %s (through a cuttable proxy)',
  (backend) => {
    let testDb: TestDatabase;
    let embedded: EmbeddedPostgis | undefined;
    let proxy: TcpProxy;
    let db: Database;
    let app: FastifyInstance;
    let headers: { authorization: string };
    let stationCodes: string[];
    const crashes: unknown[] = [];
    const onCrash = (err: unknown) => crashes.push(err);

    beforeAll(async () => {
      process.on('uncaughtException', onCrash);
      process.on('unhandledRejection', onCrash);
      testDb = await openTestDatabase(backend);
      stationCodes = (
        await testDb.pool.query<{ code: string }>('SELECT code FROM fire_station ORDER BY code LIMIT 12')
      ).rows.map((r) => r.code);
      let target: string;
      if (backend === 'postgres') {
        target = testDb.configOverrides.DATABASE_URL!;
      } else {
        // The embedded backend is an in-process PGlite behind a loopback wire-protocol server; putting the
        // proxy in front of that server exercises the same pool paths plus pglite-socket's clean-up of
        // connections that die mid-transaction (it must roll them back, or PGlite stays blocked).
        await testDb.close();
        embedded = await startEmbeddedPostgis(testDb.configOverrides.PGLITE_DATA_DIR);
        target = embedded.url;
      }
      const { hostname, port } = new URL(target);
      proxy = await startTcpProxy({ host: hostname, port: Number(port) });
      const opened = await openDatabase({
        databaseUrl: proxy.urlFor(target),
        pgliteDataDir: '',
        poolMax: backend === 'embedded' ? 1 : 4,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
      });
      db = { ...opened, backend };
      app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000, LOGIN_RATE_LIMIT_PER_MIN: 10_000 });
      headers = await authHeader(app, 'dispatcher');
    });

    afterAll(async () => {
      await app?.close();
      await db?.close();
      await proxy?.close();
      await embedded?.stop();
      await testDb?.destroy();
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    });

    let n = 0;
    /** One database-backed request of each kind in turn: a read, an audited write, a sign-in. */
    const nextRequest = (): Promise<Sample> => {
      const i = n++;
      const startedAt = Date.now();
      const kinds = [
        () => app.inject({ method: 'GET', url: '/api/district', headers }),
        () =>
          app.inject({
            method: 'PATCH',
            url: `/api/stations/${stationCodes[i % stationCodes.length]}/status`,
            headers,
            payload: { status: i % 2 ? 'busy' : 'available', reason: `outage test ${i}` },
          }),
        () =>
          app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'dispatcher', password: TEST_PASSWORD },
          }),
      ] as const;
      const kind = i % kinds.length;
      return kinds[kind]!().then((res) => ({
        label: ['GET /api/district', 'PATCH station status', 'POST /api/auth/login'][kind]!,
        startedAt,
        endedAt: Date.now(),
        res,
      }));
    };

    /** Keeps WORKERS requests in flight until `until()` says stop. */
    async function load(until: () => boolean): Promise<Sample[]> {
      const samples: Sample[] = [];
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          while (!until()) {
            samples.push(await nextRequest());
            await new Promise((r) => setTimeout(r, 20));
          }
        }),
      );
      return samples;
    }

    function expectUnavailable(s: Sample) {
      expect(s.res.statusCode, `${s.label}: ${s.res.body}`).toBe(503);
      expect(s.res.headers['retry-after'], s.label).toBe(String(DATABASE_RETRY_AFTER_S));
      expect(s.res.json(), s.label).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        field: 'database',
        message: expect.stringMatching(/^database unavailable: /),
      });
    }

    async function expectRecovery(restoredAt: number): Promise<number> {
      let recoveredAt: number | undefined;
      while (Date.now() - restoredAt < RECOVERY_BUDGET_MS + 2_000) {
        const s = await nextRequest();
        if (s.res.statusCode === 200) {
          recoveredAt = s.endedAt;
          break;
        }
        expectUnavailable(s);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(recoveredAt, 'no successful request after the restore').toBeDefined();
      const recoveryMs = recoveredAt! - restoredAt;
      expect(recoveryMs).toBeLessThan(RECOVERY_BUDGET_MS);
      // and it stays up: every kind of request works again
      for (let i = 0; i < 6; i++) {
        const s = await nextRequest();
        expect(s.res.statusCode, `${s.label} after recovery: ${s.res.body}`).toBe(200);
      }
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'ok', backend });
      return recoveryMs;
    }

    function summarise(samples: Sample[]): string {
      const counts = new Map<string, number>();
      for (const s of samples) {
        const key = `${s.res.statusCode}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts].map(([k, v]) => `${v}×${k}`).join(', ');
    }

    it('works before the outage', async () => {
      for (let i = 0; i < 3; i++) expect((await nextRequest()).res.statusCode).toBe(200);
    });

    it('survives a connection that drops while checked out in a transaction', async () => {
      const client = await db.pool.connect();
      await client.query('BEGIN');
      await proxy.cut('refuse');
      await new Promise((r) => setTimeout(r, 200)); // the client's socket closes while no query is running
      const err = await client.query('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(databaseUnavailable(err)).toBeDefined();
      client.release();
      await proxy.restore();
      expect((await db.pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
      expect(crashes).toEqual([]);
    });

    it(`answers 503 + Retry-After while the database refuses connections (${OUTAGE_MS} ms), then recovers by itself`, async () => {
      const t0 = Date.now();
      let restoredAt = Infinity;
      const samplesPromise = load(() => Date.now() >= restoredAt);
      await new Promise((r) => setTimeout(r, 300)); // requests in flight when the cut lands
      await proxy.cut('refuse');
      const cutAt = Date.now();
      // health, about once a second through the outage
      const healthDuring: LightMyRequestResponse[] = [];
      while (Date.now() - cutAt < OUTAGE_MS) {
        await new Promise((r) =>
          setTimeout(r, Math.min(1_000, Math.max(0, OUTAGE_MS - (Date.now() - cutAt)))),
        );
        if (Date.now() - cutAt < OUTAGE_MS) {
          healthDuring.push(await app.inject({ method: 'GET', url: '/api/health' }));
        }
      }
      const restoringAt = Date.now();
      await proxy.restore();
      restoredAt = Date.now();
      const samples = await samplesPromise;

      // never anything but success or "come back later"
      for (const s of samples) expect([200, 503], `${s.label}: ${s.res.body}`).toContain(s.res.statusCode);
      const during = samples.filter((s) => s.startedAt >= cutAt && s.endedAt <= restoringAt);
      expect(during.length).toBeGreaterThan(10);
      for (const s of during) expectUnavailable(s);
      const slowest = Math.max(...during.map((s) => s.endedAt - s.startedAt));
      expect(slowest, 'requests must not hang while the database refuses connections').toBeLessThan(
        CONNECT_TIMEOUT_MS,
      );

      expect(healthDuring.length).toBeGreaterThan(2);
      for (const health of healthDuring) {
        expect(health.statusCode).toBe(503);
        expect(health.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_S));
        expect(health.json()).toMatchObject({ status: 'degraded', backend });
      }

      const recoveryMs = await expectRecovery(restoredAt);
      console.log(
        `[outage ${backend}] refuse: ${during.length} requests during ${restoringAt - cutAt} ms cut: ${summarise(during)}; ` +
          `all ${samples.length} requests: ${summarise(samples)}; slowest during cut ${slowest} ms; ` +
          `${healthDuring.length}× health 503 degraded; recovered ${recoveryMs} ms after restore (test ${Date.now() - t0} ms)`,
      );
      expect(crashes).toEqual([]);
    });

    it(`answers 503 within the connect timeout while the network swallows connections (${HANG_MS} ms), then recovers`, async () => {
      let restoredAt = Infinity;
      const samplesPromise = load(() => Date.now() >= restoredAt);
      await new Promise((r) => setTimeout(r, 300));
      await proxy.cut('hang');
      const cutAt = Date.now();
      await new Promise((r) => setTimeout(r, HANG_MS));
      const restoringAt = Date.now();
      await proxy.restore();
      restoredAt = Date.now();
      const samples = await samplesPromise;

      for (const s of samples) expect([200, 503], `${s.label}: ${s.res.body}`).toContain(s.res.statusCode);
      const during = samples.filter((s) => s.startedAt >= cutAt && s.endedAt <= restoringAt);
      expect(during.length).toBeGreaterThan(2);
      for (const s of during) expectUnavailable(s);
      // a request may wait for a pool slot and then for its own connection attempt
      const slowest = Math.max(...during.map((s) => s.endedAt - s.startedAt));
      expect(slowest).toBeLessThan(2 * CONNECT_TIMEOUT_MS + 1_000);

      const recoveryMs = await expectRecovery(restoredAt);
      console.log(
        `[outage ${backend}] hang: ${during.length} requests during ${restoringAt - cutAt} ms: ${summarise(during)}; ` +
          `slowest ${slowest} ms; recovered ${recoveryMs} ms after restore`,
      );
      expect(crashes).toEqual([]);
    });
  },
);
