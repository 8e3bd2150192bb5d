/**
 * npm run simulate -- [--url http://127.0.0.1:3000] [--members 30] [--rate 1000] [--hazards-per-hour 20]
 *                     [--seed N] [--duration S] [--prefix sim]
 *
 * Drives simulated grid members against a running server through its public API. Without --rate each
 * member sends a fix every 10 s (realistic); --rate N sends N fixes per second across the members (load).
 * Signs in as `admin` with ADMIN_PASSWORD (or DEMO_PASSWORD, or the embedded demo's default).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_PASSWORD } from '../../server/src/server.ts';
import { Simulator } from '../../server/src/simulator/simulator.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    members: { type: 'string', default: '30' },
    rate: { type: 'string' },
    'hazards-per-hour': { type: 'string', default: '20' },
    seed: { type: 'string', default: '20231130' },
    duration: { type: 'string' },
    prefix: { type: 'string', default: 'sim' },
    admin: { type: 'string', default: 'admin' },
  },
});

function positive(name: string, raw: string | undefined, integer = true): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    console.error(`--${name} must be a ${integer ? 'whole ' : ''}number ≥ 0 (got ${raw})`);
    process.exit(2);
  }
  return n;
}

const simulator = new Simulator({
  url: values.url.replace(/\/$/, ''),
  admin: {
    username: values.admin,
    password: process.env.ADMIN_PASSWORD ?? process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD,
  },
  members: positive('members', values.members) ?? 30,
  ratePerS: positive('rate', values.rate, false),
  hazardsPerHour: positive('hazards-per-hour', values['hazards-per-hour'], false) ?? 20,
  seed: positive('seed', values.seed) ?? 20231130,
  prefix: values.prefix,
  log: (msg) => console.log(`[simulate] ${msg}`),
});

const report = () => {
  const s = simulator.stats;
  console.log(
    `[simulate] fixes ${s.fixesAcknowledged}/${s.fixesSent} acknowledged, ${s.hazardsReported} hazards reported, ` +
      `${s.requestsFailed} failed requests`,
  );
};

await simulator.start();
const every = setInterval(report, 10_000);
const stop = async () => {
  clearInterval(every);
  await simulator.stop();
  report();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
const duration = positive('duration', values.duration, false);
if (duration !== undefined) setTimeout(() => void stop(), duration * 1000);
