/**
 * kill -9 during writes: the real server runs as a child process, takes a stream of audited station
 * status writes (several in flight), is SIGKILLed mid-stream and restarted on the same database. Every
 * write it acknowledged (200) must be there afterwards: the station's status and exactly one
 * `station.status` audit row per acknowledged write. Writes in flight at the kill may or may not have
 * committed; each station's writes are sequential, so at most one per station is in doubt.
 *
 * A wall client stays connected through it all: after each kill it reconnects to the restarted server
 * with `afterSeq` = the last event it received, and must end up with exactly the event log (no gap, no
 * duplicate), whose events are exactly the committed status changes.
 */
import pg from 'pg';
import type { LiveEvent } from '../../../shared/src/schemas/live.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { STATION_STATUSES, type Backend, type StationStatus } from '../../../shared/src/domain.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { follow, signIn, startChild, type Child } from '../../../test/support/child-server.ts';
import { openDatabase } from './database.ts';

/** Stations written to, each by one writer in turn. */
const STATIONS = 24;
/** Writes in flight at once. */
const WRITERS = 6;
/** Crash-restart cycles before the final check (each cycle's writes go to the database recovered from the last). */
const KILLS = 3;
/** SIGKILL once this many more writes have been acknowledged in a cycle (the rest are still streaming). */
const KILL_AFTER_ACKS = [150, 240, 90];

interface Write {
  seq: number;
  station: string;
  status: StationStatus;
  reason: string;
}

describe.each<Backend>(['embedded', 'postgres'])('kill -9 during writes on %s', (backend) => {
  let db: TestDatabase | undefined;
  const children: Child[] = [];

  afterAll(async () => {
    for (const c of children) {
      if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
      await c.exited;
    }
    await db?.destroy();
  });

  it('keeps every acknowledged write', async () => {
    db = await openTestDatabase(backend);
    const stations = (
      await db.pool.query<{ code: string }>(`SELECT code FROM fire_station ORDER BY code LIMIT ${STATIONS}`)
    ).rows.map((r) => r.code);
    expect(stations).toHaveLength(STATIONS);
    // the child owns the database from here (an embedded data directory admits one process)
    await db.close();

    const acked: Write[] = [];
    const sent: Write[] = [];
    const inDoubt: Write[] = [];
    const refused: string[] = [];
    const cycles: string[] = [];
    let seq = 0;
    const received: LiveEvent[] = [];
    const lastReceived = () => received.at(-1)?.seq ?? 0;
    for (let cycle = 0; cycle < KILLS; cycle++) {
      const child = await startChild(db.configOverrides);
      children.push(child);
      const token = await signIn(child.url);
      const wall = await follow(child.url, token, lastReceived(), received);
      const killAfter = acked.length + KILL_AFTER_ACKS[cycle % KILL_AFTER_ACKS.length]!;
      const ackedBefore = acked.length;
      const inFlight = new Set<Write>();
      let killed = false;
      const t0 = Date.now();
      const writer = async (w: number) => {
        const mine = stations.filter((_, i) => i % WRITERS === w);
        for (let round = cycle; !killed; round++) {
          for (const station of mine) {
            if (killed) return;
            const n = seq++;
            const write: Write = {
              seq: n,
              station,
              status: STATION_STATUSES[round % STATION_STATUSES.length]!,
              reason: `kill9 ${backend} #${n}`,
            };
            sent.push(write);
            inFlight.add(write);
            let res: Response;
            try {
              res = await fetch(`${child.url}/api/stations/${station}/status`, {
                method: 'PATCH',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ status: write.status, reason: write.reason }),
              });
            } catch {
              return; // the server is gone: this write stays in doubt, and this writer stops
            }
            // the server answers only after COMMIT: a 200 is an acknowledgement
            inFlight.delete(write);
            if (res.status === 200) acked.push(write);
            else refused.push(`${res.status} ${await res.text()}`);
            await res.arrayBuffer().catch(() => {});
            if (acked.length >= killAfter && !killed) {
              killed = true;
              child.process.kill('SIGKILL');
            }
          }
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      expect(await child.exited).toBe('SIGKILL');
      wall.close();
      expect(refused).toEqual([]);
      inDoubt.push(...inFlight);
      cycles.push(
        `${acked.length - ackedBefore} acked + ${inFlight.size} in flight in ${Date.now() - t0} ms`,
      );
    }

    expect(inDoubt.length, 'writes should still be in flight at the kills').toBeGreaterThan(0);

    // restart on the same database: it must open (crash recovery) and serve the acknowledged state
    const tRestart = Date.now();
    const restarted = await startChild(db.configOverrides);
    children.push(restarted);
    const restartMs = Date.now() - tRestart;
    const health = await fetch(`${restarted.url}/api/health`);
    expect(health.status).toBe(200);
    const token2 = await signIn(restarted.url);
    const wall = await follow(restarted.url, token2, lastReceived(), received);
    const served = new Map<string, string>();
    for (const station of stations) {
      const res = await fetch(`${restarted.url}/ogc/collections/stations/items/${station}`, {
        headers: { authorization: `Bearer ${token2}` },
      });
      expect(res.status).toBe(200);
      served.set(station, ((await res.json()) as { properties: { status: string } }).properties.status);
    }
    wall.close();
    // stop it cleanly and read the audit log directly (an embedded directory admits one process)
    restarted.process.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    const check =
      backend === 'embedded'
        ? await openDatabase({ pgliteDataDir: db.configOverrides.PGLITE_DATA_DIR, poolMax: 1 })
        : undefined;
    const pool = check?.pool ?? new pg.Pool({ connectionString: db.configOverrides.DATABASE_URL, max: 1 });
    let rows: { target: string; status: string; reason: string; before: string }[];
    let statuses: Map<string, string>;
    let logged: { seq: number; reason: string }[];
    try {
      logged = (
        await pool.query<{ seq: string; reason: string }>(
          `SELECT seq, data->>'reason' AS reason FROM event_log WHERE type = 'station.status_changed' ORDER BY seq`,
        )
      ).rows.map((r) => ({ seq: Number(r.seq), reason: r.reason }));
      rows = (
        await pool.query<{ target: string; status: string; reason: string; before: string }>(
          `SELECT target, after->>'status' AS status, after->>'reason' AS reason, before->>'status' AS before
             FROM audit_log
            WHERE action = 'station.status' AND after->>'reason' LIKE $1 ORDER BY id`,
          [`kill9 ${backend} #%`],
        )
      ).rows;
      statuses = new Map(
        (
          await pool.query<{ code: string; status: string }>(
            'SELECT code, status FROM fire_station WHERE code = ANY($1)',
            [stations],
          )
        ).rows.map((r) => [r.code, r.status]),
      );
    } finally {
      if (check) await check.close();
      else await pool.end();
    }

    // one audit row per acknowledged write, with the station and status it acknowledged
    const byReason = new Map<string, typeof rows>();
    for (const r of rows) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r]);
    const lost = acked.filter((w) => byReason.get(w.reason)?.length !== 1);
    expect(lost.map((w) => w.reason)).toEqual([]);
    for (const w of acked) {
      expect(byReason.get(w.reason)![0]).toMatchObject({ target: `station:${w.station}`, status: w.status });
    }
    // nothing recorded that was never sent, and of the in-doubt writes only whole ones
    const sentReasons = new Set(sent.map((w) => w.reason));
    expect(rows.filter((r) => !sentReasons.has(r.reason))).toEqual([]);
    const committedInDoubt = inDoubt.filter((w) => byReason.has(w.reason));

    // each station holds the status of its last committed write (the last acknowledged one, or the one
    // in flight at the kill if that committed)
    for (const station of stations) {
      const committed = sent.filter((w) => w.station === station && byReason.has(w.reason));
      const last = committed.at(-1);
      if (!last) continue;
      expect(statuses.get(station), station).toBe(last.status);
      expect(served.get(station), station).toBe(last.status);
      const lastAcked = acked.filter((w) => w.station === station).at(-1);
      if (lastAcked && last !== lastAcked) expect(inDoubt).toContain(last);
    }

    // the wall saw exactly the log, across every kill and restart
    expect(received.map((e) => e.seq)).toEqual(logged.map((e) => e.seq));
    expect(logged.map((e) => e.seq)).toEqual(logged.map((_, i) => i + 1));
    // and the log holds exactly the committed changes (a write to the same status changes nothing)
    expect(logged.map((e) => e.reason).sort()).toEqual(
      rows
        .filter((r) => r.before !== r.status)
        .map((r) => r.reason)
        .sort(),
    );

    console.log(
      `[kill -9 ${backend}] wall client received ${received.length} events over ${KILLS + 1} servers, none missing or repeated; ` +
        `${KILLS} kills (${cycles.join('; ')}): ${sent.length} writes sent, ` +
        `${acked.length} acknowledged, ${acked.length - lost.length}/${acked.length} found after restart; ` +
        `${inDoubt.length} in flight at the kills, ${committedInDoubt.length} of them committed; ` +
        `final restart took ${restartMs} ms`,
    );
  }, 400_000);
});
