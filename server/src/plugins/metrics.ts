/**
 * `/metrics` in the Prometheus text format (prom-client): request latency by route, connected wall
 * clients, live events and the relay's lag, the database pool, and the time the expensive computations
 * take. One registry per app (tests build several apps in one process). Scraping needs an administrator's
 * access token, or `METRICS_TOKEN` as a static bearer token for Prometheus (`authorization.credentials`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HttpError } from '../errors.ts';
import type { EventRelay } from '../modules/events/relay.ts';
import { verifyAccessToken } from './authenticate.ts';

export interface AppMetrics {
  registry: Registry;
  /** seconds a named computation took (dispatch search, coverage recompute …) */
  computation: Histogram<'name'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

export interface MetricsOptions {
  pool: pg.Pool;
  relay: EventRelay;
  /** sockets connected to this instance */
  wallClients: () => number;
  /** a static bearer token Prometheus may scrape with; unset: administrators only */
  token: string | undefined;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export async function registerMetrics(app: FastifyInstance, options: MetricsOptions): Promise<AppMetrics> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gridwatch_' });

  const requests = new Histogram({
    name: 'gridwatch_http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const computation = new Histogram({
    name: 'gridwatch_computation_duration_seconds',
    help: 'Time taken by expensive computations, by name (dispatch search, coverage recompute)',
    labelNames: ['name'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const events = new Counter({
    name: 'gridwatch_live_events_total',
    help: 'Live events delivered by this instance’s relay (rate() gives events per second)',
    registers: [registry],
  });
  new Gauge({
    name: 'gridwatch_live_relay_lag_ms',
    help: 'Milliseconds from the newest event’s commit to its delivery, last batch',
    registers: [registry],
    collect() {
      this.set(options.relay.lagMs);
    },
  });
  new Gauge({
    name: 'gridwatch_live_relay_seq',
    help: 'The last event sequence the relay delivered',
    registers: [registry],
    collect() {
      this.set(options.relay.seq);
    },
  });
  new Gauge({
    name: 'gridwatch_wall_clients',
    help: 'Socket.IO clients connected to this instance',
    registers: [registry],
    collect() {
      this.set(options.wallClients());
    },
  });
  new Gauge({
    name: 'gridwatch_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const { totalCount, idleCount, waitingCount } = options.pool;
      this.set({ state: 'total' }, totalCount);
      this.set({ state: 'idle' }, idleCount);
      this.set({ state: 'busy' }, totalCount - idleCount);
      this.set({ state: 'waiting' }, waitingCount);
    },
  });
  const stop = options.relay.onBatch((batch) => events.inc(batch.length));
  app.addHook('onClose', async () => stop());

  app.addHook('onResponse', async (request, reply) => {
    // the route template keeps the label set small; unknown URLs are one label
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    requests.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const authorize = async (request: FastifyRequest) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new HttpError(
        401,
        'missing bearer token: an administrator’s, or METRICS_TOKEN',
        'headers.authorization',
      );
    }
    if (options.token && sameSecret(match[1]!, options.token)) return;
    const principal = verifyAccessToken(app, match[1]!);
    if (principal.role !== 'admin') {
      throw new HttpError(403, 'metrics are for administrators (or METRICS_TOKEN)', 'headers.authorization');
    }
  };

  app.get(
    '/metrics',
    {
      config: { auth: 'public' },
      onRequest: authorize,
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (administrators, or the METRICS_TOKEN bearer token)',
        response: {
          200: {
            description: 'Prometheus text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );

  const metrics = { registry, computation };
  app.decorate('metrics', metrics);
  return metrics;
}
