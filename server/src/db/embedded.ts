import { mkdir, access } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgis {
  /** postgres:// URL of the in-process wire-protocol server */
  url: string;
  /** true when the data directory was created by this call */
  created: boolean;
  stop(): Promise<void>;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * PGlite (PostgreSQL in WASM) with PostGIS, persisted in `dataDir`, served on a loopback port over the
 * PostgreSQL wire protocol so the rest of the server talks to it with `pg` exactly as to a real server.
 *
 * Durability: on Node, PGlite's NodeFS passes every write straight to the data directory (fs.writeSync;
 * its syncToFs is a no-op, so `relaxedDurability` changes nothing here), and PostgreSQL keeps its default
 * synchronous_commit=on, so a COMMIT is in the operating system's hands before the client hears of it:
 * acknowledged writes survive kill -9 of this process (durability.db.test.ts proves it; with
 * synchronous_commit=off it loses them). PGlite starts PostgreSQL with fsync=off (`-F`) and its file
 * layer has no fsync, so an operating-system crash or power cut can still lose recent commits; use
 * DATABASE_URL (real PostgreSQL) where that matters.
 */
export async function startEmbeddedPostgis(
  dataDir: string,
  log: (msg: string) => void = () => {},
): Promise<EmbeddedPostgis> {
  const absolute = path.resolve(dataDir);
  const created = !(await exists(path.join(absolute, 'PG_VERSION')));
  await mkdir(absolute, { recursive: true });
  log(created ? `creating embedded PostGIS in ${absolute}` : `opening embedded PostGIS in ${absolute}`);
  const db = await PGlite.create({ dataDir: absolute, extensions: { postgis } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    created,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
