/**
 * kill -9 during the simulator's load: the simulator drives grid members (patrol fixes through
 * POST /api/positions, hazard reports with Idempotency-Keys) at a real server in a child process, which
 * is SIGKILLed mid-stream and started again on the same database and port; the simulator carries on.
 * Every fix and report the server acknowledged must be in the database afterwards, and a wall client
 * that resumes by `afterSeq` after the restart must hold exactly the event log: no gap, no repeat.
 */
import net from 'node:net';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../shared/src/domain.ts';
import type { LiveEvent } from '../../../shared/src/schemas/live.ts';
import { follow, signIn, startChild, type Child } from '../../../test/support/child-server.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { TEST_PASSWORD } from '../../../test/support/paths.ts';
import { openDatabase } from '../db/database.ts';
import { Simulator, type SimulatorAck } from './simulator.ts';

/** fixes a second across the members, and hazard reports an hour (about two a second) */
const RATE = 150;
const HAZARDS_PER_HOUR = 7_200;
/** SIGKILL once this many fixes were acknowledged; stop after this many more on the restarted server */
const KILL_AFTER_FIXES = 400;
const AFTER_RESTART_FIXES = 300;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each<Backend>(['embedded', 'postgres'])('kill -9 during the simulator’s load on %s', (backend) => {
  let db: TestDatabase | undefined;
  const children: Child[] = [];
  let simulator: Simulator | undefined;

  afterAll(async () => {
    await simulator?.stop();
    for (const c of children) {
      if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
      await c.exited;
    }
    await db?.destroy();
  });

  it('loses no acknowledged fix or report, and the wall resumes by seq', async () => {
    db = await openTestDatabase(backend);
    await db.close(); // the child owns the database (an embedded directory admits one process)
    const port = String(await freePort());
    const env = { PORT: port, PATROL_CLOCK_SKEW_S: '600' };

    const fixes: { username: string; fixAt: string }[] = [];
    const hazards: { username: string; id: number }[] = [];
    const onAcknowledged = (ack: SimulatorAck) => {
      if (ack.kind === 'positions')
        for (const f of ack.fixes) fixes.push({ username: ack.username, fixAt: f.fixAt });
      else hazards.push({ username: ack.username, id: ack.id });
    };

    let child = await startChild(db.configOverrides, env);
    children.push(child);
    const received: LiveEvent[] = [];
    const lastSeq = () => received.at(-1)?.seq ?? 0;
    let wall: Socket = await follow(child.url, await signIn(child.url, 'county_operator'), 0, received);

    simulator = new Simulator({
      url: child.url,
      admin: { username: 'admin', password: TEST_PASSWORD },
      members: 6,
      ratePerS: RATE,
      hazardsPerHour: HAZARDS_PER_HOUR,
      seed: 11,
      prefix: `crash${backend[0]}`,
      onAcknowledged,
    });
    await simulator.start();
    await until(() => fixes.length >= KILL_AFTER_FIXES, 120_000, `${KILL_AFTER_FIXES} acknowledged fixes`);
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    wall.close();
    const ackedAtKill = fixes.length;
    const failedAtKill = simulator.stats.requestsFailed;

    // the simulator keeps sending into the void meanwhile; the server comes back on the same port
    child = await startChild(db.configOverrides, env);
    children.push(child);
    wall = await follow(child.url, await signIn(child.url, 'county_operator'), lastSeq(), received);
    await until(() => fixes.length >= ackedAtKill + AFTER_RESTART_FIXES, 120_000, 'fixes after the restart');
    await simulator.stop();
    const failedWhileDown = simulator.stats.requestsFailed - failedAtKill;

    // the wall catches up with everything committed, then the server stops cleanly
    const token = await signIn(child.url, 'county_operator');
    const snapshot = await fetch(`${child.url}/api/live/snapshot`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const head = ((await snapshot.json()) as { seq: number }).seq;
    await until(() => lastSeq() >= head, 60_000, `the wall to reach seq ${head}`);
    wall.close();
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);

    const check =
      backend === 'embedded'
        ? await openDatabase({ pgliteDataDir: db.configOverrides.PGLITE_DATA_DIR, poolMax: 1 })
        : undefined;
    const pool = check?.pool ?? new pg.Pool({ connectionString: db.configOverrides.DATABASE_URL, max: 1 });
    let stored: Set<string>;
    let storedHazards: Set<number>;
    let logged: number[];
    try {
      stored = new Set(
        (
          await pool.query<{ key: string }>(
            `SELECT u.username || ' ' || to_char(p.fix_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS key
               FROM patrol_position p JOIN device_token d ON d.id = p.device_id JOIN app_user u ON u.id = d.user_id`,
          )
        ).rows.map((r) => r.key),
      );
      storedHazards = new Set(
        (await pool.query<{ id: string }>(`SELECT id FROM hazard`)).rows.map((r) => Number(r.id)),
      );
      logged = (await pool.query<{ seq: string }>(`SELECT seq FROM event_log ORDER BY seq`)).rows.map((r) =>
        Number(r.seq),
      );
    } finally {
      if (check) await check.close();
      else await pool.end();
    }

    const missingFixes = fixes.filter((f) => !stored.has(`${f.username} ${f.fixAt}`));
    expect(missingFixes).toEqual([]);
    expect(hazards.length).toBeGreaterThan(0);
    expect(hazards.filter((h) => !storedHazards.has(h.id))).toEqual([]);
    // the wall holds exactly the log, across the kill and the restart
    expect(received.map((e) => e.seq)).toEqual(logged);
    expect(logged).toEqual(logged.map((_, i) => i + 1));
    console.log(
      `[kill -9 simulator ${backend}] ${fixes.length} fixes and ${hazards.length} hazard reports acknowledged, ` +
        `all found after the restart (${ackedAtKill} before the kill, ${failedWhileDown} requests failed while it ` +
        `was down); the wall received ${received.length} events over two servers, none missing or repeated`,
    );
  }, 400_000);
});
