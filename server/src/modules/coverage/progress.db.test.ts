/**
 * Progress of the planner's long computations (README "Progress of long computations"): a request with
 * a Progress-Token header has its stages reported over Socket.IO to the caller's sockets only, in order,
 * ending with `finished`; meanwhile the server goes on answering. Backend-independent (the computation
 * runs in the server), so on PostgreSQL only.
 */
import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageSiting } from '../../../../shared/src/schemas/coverage.ts';
import type {
  ClientToServerEvents,
  LiveProgress,
  ServerToClientEvents,
} from '../../../../shared/src/schemas/live.ts';
import { authHeader, buildTestApp } from '../../../../test/support/app.ts';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/databases.ts';
import { until } from '../../../../test/support/wait.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('progress of the planner’s computations', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  const sockets: Client[] = [];
  const auth: Record<string, string> = {};

  /** A signed-in user's socket that keeps every progress report it is sent. */
  async function listen(role: string): Promise<LiveProgress[]> {
    const token = auth[role]!.slice('Bearer '.length);
    const socket: Client = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const seen: LiveProgress[] = [];
    socket.on('progress', (p) => seen.push(p));
    await new Promise((resolve, reject) => {
      socket.once('subscribed', resolve);
      socket.once('connect_error', reject);
    });
    return seen;
  }

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    app = await buildTestApp(db, { RATE_LIMIT_PER_MIN: 100_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    for (const role of ['planner', 'dispatcher']) auth[role] = (await authHeader(app, role)).authorization;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app?.close();
    await db?.destroy();
  });

  it('reports a siting run stage by stage to the caller alone, and answers other requests meanwhile', async () => {
    const mine = await listen('planner');
    const others = await listen('dispatcher');
    const token = 'siting-progress-1';
    const siting = app.inject({
      method: 'POST',
      url: '/api/coverage/siting',
      headers: { authorization: auth.planner!, 'progress-token': token },
      payload: { tier: 'joint_station', k: 3, spacingM: 1000 },
    });
    let answered = false;
    void siting.then(() => (answered = true));
    // while the candidates are tried, the server still answers
    await until(() => mine.some((p) => p.stage === 'candidates'), 120_000, 'the candidates stage');
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(answered).toBe(false);
    expect(mine.some((p) => p.finished)).toBe(false);

    const res = await siting;
    expect(res.statusCode).toBe(200);
    const body = res.json<CoverageSiting>();
    await until(() => mine.some((p) => p.finished), 10_000, 'the last report');
    const reports = mine.filter((p) => p.token === token);
    expect(reports).toEqual(mine);
    expect(reports.every((p) => p.task === 'siting' && p.stages === 4)).toBe(true);
    // stages in order, the share done never going back
    const order = ['land', 'reach', 'candidates', 'greedy'];
    for (let i = 1; i < reports.length; i++) {
      expect(order.indexOf(reports[i]!.stage)).toBeGreaterThanOrEqual(order.indexOf(reports[i - 1]!.stage));
      expect(reports[i]!.fraction).toBeGreaterThanOrEqual(reports[i - 1]!.fraction);
    }
    expect(reports[0]).toMatchObject({ stage: 'land', stageIndex: 1 });
    const candidates = reports.filter((p) => p.stage === 'candidates');
    expect(candidates.every((p) => p.total === body.candidatesTried && p.stageIndex === 3)).toBe(true);
    const last = reports.at(-1)!;
    expect(last).toMatchObject({ finished: true, ok: true, fraction: 1, stage: 'greedy', total: 3 });
    expect(reports.filter((p) => p.finished)).toHaveLength(1);
    expect(body.steps.length).toBeGreaterThan(0);
    // another user's sockets hear nothing of it
    expect(others).toEqual([]);
  });

  it('reports the printable report’s parts in order, and a failed request as finished but not ok', async () => {
    const mine = await listen('planner');
    const res = await app.inject({
      method: 'GET',
      url: '/api/coverage/report.html',
      headers: { authorization: auth.planner!, 'progress-token': 'report-progress-1' },
    });
    expect(res.statusCode).toBe(200);
    await until(() => mine.some((p) => p.token === 'report-progress-1' && p.finished), 10_000, 'the report');
    const reports = mine.filter((p) => p.token === 'report-progress-1');
    expect(reports.every((p) => p.task === 'report' && p.stages === 7)).toBe(true);
    expect(reports.at(-1)).toMatchObject({ finished: true, ok: true, stage: 'render', stageIndex: 7 });

    const missing = await app.inject({
      method: 'POST',
      url: '/api/coverage/what-if',
      headers: { authorization: auth.planner!, 'progress-token': 'whatif-fail-1' },
      payload: { add: [], remove: ['NO-SUCH-STATION'] },
    });
    expect(missing.statusCode).toBe(404);
    await until(() => mine.some((p) => p.token === 'whatif-fail-1' && p.finished), 10_000, 'the failure');
    expect(mine.filter((p) => p.token === 'whatif-fail-1').at(-1)).toMatchObject({
      finished: true,
      ok: false,
    });
  });

  it('answers a malformed Progress-Token with a 400 naming the header', async () => {
    for (const bad of ['short', 'has space in it', 'x'.repeat(65), 'semi;colon-token']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/coverage/siting',
        headers: { authorization: auth.planner!, 'progress-token': bad },
        payload: { k: 1 },
      });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json()).toMatchObject({ field: 'headers.progress-token' });
    }
  });
});
