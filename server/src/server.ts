import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo } from './db/seed/seed-demo.ts';
import { ensureDemoAccounts } from './modules/auth/demo-accounts.ts';
import { Simulator } from './simulator/simulator.ts';

/** The embedded demo's shared password when DEMO_PASSWORD is unset (README lists the accounts). */
export const DEFAULT_DEMO_PASSWORD = 'gridwatch-demo';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  config: Config;
  close(): Promise<void>;
}

const say = (msg: string) => console.log(`[gridwatch] ${msg}`);

/**
 * Opens the database (embedded PGlite + PostGIS unless DATABASE_URL is set), applies migrations, seeds
 * the demo dataset into an empty database where configured, and listens.
 */
export async function startServer(
  overrides: Partial<Config> = {},
  log: (msg: string) => void = say,
): Promise<RunningServer> {
  const config = loadConfig(process.env, overrides);
  const t0 = Date.now();
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDataDir: config.PGLITE_DATA_DIR,
    poolMax: config.PG_POOL_MAX,
    log,
  });
  try {
    const version = await migrate(db.pool, log);
    log(`database ready (${db.backend}, migration ${version}) in ${Date.now() - t0} ms`);
    const shouldSeed = config.SEED_DEMO ?? db.backend === 'embedded';
    if (shouldSeed) {
      const seeded = await seedDemo(db.pool, config.DEMO_DISTRICT, { log });
      if (seeded.seeded) log(`demo dataset ${config.DEMO_DISTRICT} seeded in ${seeded.ms} ms`);
    }
    const app = await buildApp({ config, db });
    const demoPassword =
      config.DEMO_PASSWORD ?? (db.backend === 'embedded' && shouldSeed ? DEFAULT_DEMO_PASSWORD : undefined);
    if (demoPassword) {
      const created = await ensureDemoAccounts(db.pool, app.authService, demoPassword);
      if (created.length > 0)
        log(`demo accounts created: ${created.join(', ')} (password from DEMO_PASSWORD)`);
    }
    const simulate = (config.SIMULATE ?? (db.backend === 'embedded' && shouldSeed)) && demoPassword;
    let simulator: Simulator | undefined;
    app.addHook('preClose', async () => simulator?.stop());
    app.addHook('onClose', async () => db.close());
    const address = await app.listen({ port: config.PORT, host: config.HOST });
    const url = address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1');
    log(
      `wall map at ${url}/  ·  API docs ${url}/docs  ·  OGC API ${url}/ogc  (started in ${Date.now() - t0} ms)`,
    );
    if (simulate && demoPassword) {
      simulator = new Simulator({
        url,
        admin: { username: 'admin', password: demoPassword },
        members: config.SIMULATE_MEMBERS,
        hazardsPerHour: config.SIMULATE_HAZARDS_PER_HOUR,
        seed: 20_231_130,
        log,
      });
      app.simulation.running = true;
      // in the background: the server is up while the simulated members enrol
      simulator.start().catch((err: unknown) => {
        app.simulation.running = false;
        log(`simulator stopped: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
    return { url, app, config, close: () => app.close() };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  startServer()
    .then((server) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          say(`${signal}: closing`);
          server.close().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        });
      }
    })
    .catch((err: unknown) => {
      console.error('[gridwatch] failed to start:', err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
