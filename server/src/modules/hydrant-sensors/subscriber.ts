import os from 'node:os';
import { randomBytes } from 'node:crypto';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { parseReading, readingTopicFilter } from './reading.ts';
import type { HydrantSensorService, ReadingOutcome } from './service.ts';

export interface SubscriberOptions {
  url: string;
  /** first topic level (MQTT_TOPIC_PREFIX) */
  prefix: string;
  /** shared-subscription group (MQTT_SHARE_GROUP) */
  shareGroup: string;
  service: HydrantSensorService;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** wait between reconnection attempts, ms */
  reconnectMs?: number;
}

/** Counters since start; every message ends in exactly one of recorded, ignored, rejected or failed. */
export interface SubscriberStats {
  connected: boolean;
  received: number;
  recorded: number;
  statusChanges: number;
  ignored: Record<string, number>;
  rejected: Record<string, number>;
  /** the database refused or was unreachable; the reading is lost (the sensor's next one follows) */
  failed: number;
}

export interface HydrantSensorSubscriber {
  /** `$share/<group>/<prefix>/+/hydrants/+/pressure` */
  readonly subscription: string;
  readonly stats: SubscriberStats;
  /** resolves once the broker has granted the subscription (again after a reconnect) */
  subscribed(): Promise<void>;
  /** listeners see every handled message's outcome (tests wait on them; no message is lost to them) */
  onOutcome(listener: (outcome: ReadingOutcome | { kind: 'failed'; detail: string }) => void): () => void;
  close(): Promise<void>;
}

/** The same problem from the same topic is logged at most once per this many ms (a broken sensor repeats itself). */
const LOG_REPEAT_MS = 60_000;

/**
 * Subscribes to the hydrants' pressure readings (QoS 1, MQTT 5 shared subscription, so that several
 * server instances handle each reading once) and applies each one through the service. Messages are
 * handled one at a time, in arrival order: mqtt.js reads the next packet, and acknowledges this one,
 * only when handleMessage calls back. The client connects in the background and reconnects by itself;
 * a broker that is down does not hold up the server.
 */
export function startHydrantSensorSubscriber(options: SubscriberOptions): HydrantSensorSubscriber {
  const { prefix, service, log } = options;
  const subscription = `$share/${options.shareGroup}/${readingTopicFilter(prefix)}`;
  const stats: SubscriberStats = {
    connected: false,
    received: 0,
    recorded: 0,
    statusChanges: 0,
    ignored: {},
    rejected: {},
    failed: 0,
  };
  const listeners = new Set<Parameters<HydrantSensorSubscriber['onOutcome']>[0]>();
  const lastLogged = new Map<string, number>();
  let grant: { promise: Promise<void>; resolve: () => void } = deferred();
  let closing = false;
  let handling: Promise<void> = Promise.resolve();
  let downSince: number | null = null;

  const limitedWarn = (key: string, msg: string) => {
    const now = Date.now();
    if (now - (lastLogged.get(key) ?? 0) < LOG_REPEAT_MS) return;
    if (lastLogged.size > 10_000) lastLogged.clear();
    lastLogged.set(key, now);
    log('warn', msg);
  };

  const client: MqttClient = mqtt.connect(options.url, {
    protocolVersion: 5,
    clientId: `gridwatch-${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    clean: true,
    // subscribed again on every connect (below), also when the first attempt failed
    resubscribe: false,
    reconnectPeriod: options.reconnectMs ?? 2_000,
    connectTimeout: 10_000,
  });

  async function handle(topic: string, payload: Buffer): Promise<void> {
    stats.received += 1;
    const parsed = parseReading(topic, payload, prefix, new Date());
    let outcome: ReadingOutcome | { kind: 'failed'; detail: string };
    if (!parsed.ok) {
      outcome = { kind: 'rejected', reason: parsed.reason, detail: parsed.detail };
    } else {
      try {
        outcome = await service.applyReading(parsed.reading);
      } catch (err) {
        outcome = { kind: 'failed', detail: (err as Error).message };
      }
    }
    switch (outcome.kind) {
      case 'recorded':
        stats.recorded += 1;
        if (outcome.change) {
          stats.statusChanges += 1;
          log('info', `hydrant sensor ${topic}: ${outcome.change.from} → ${outcome.change.to}`);
        }
        break;
      case 'ignored':
        stats.ignored[outcome.reason] = (stats.ignored[outcome.reason] ?? 0) + 1;
        break;
      case 'rejected':
        stats.rejected[outcome.reason] = (stats.rejected[outcome.reason] ?? 0) + 1;
        limitedWarn(
          `${topic}\n${outcome.reason}`,
          `hydrant reading refused (${outcome.reason}) on ${topic}: ${outcome.detail}`,
        );
        break;
      case 'failed':
        stats.failed += 1;
        limitedWarn(`failed\n${topic}`, `hydrant reading on ${topic} not applied: ${outcome.detail}`);
        break;
    }
    for (const listener of listeners) listener(outcome);
  }

  client.handleMessage = (packet: IPublishPacket, done) => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    handling = handle(packet.topic, payload).catch((err: unknown) => {
      log('error', `hydrant reading handler failed: ${(err as Error).message}`);
    });
    // acknowledged (QoS 1 PUBACK) after handling, whatever became of it: a refused reading stays refused
    void handling.then(() => done());
  };

  client.on('connect', () => {
    stats.connected = true;
    log(
      'info',
      `hydrant sensors: connected to ${redact(options.url)}${downSince ? ` after ${Math.round((Date.now() - downSince) / 1000)} s` : ''}`,
    );
    downSince = null;
    client.subscribe(subscription, { qos: 1 }, (err, granted) => {
      const refused = granted?.find((g) => g.qos > 2);
      if (err || refused) {
        log(
          'error',
          `hydrant sensors: subscription ${subscription} refused: ${err?.message ?? `reason code ${refused!.qos}`}`,
        );
        return;
      }
      grant.resolve();
    });
  });
  const down = (why: string) => {
    if (closing) return;
    if (downSince === null) {
      log(
        'warn',
        `hydrant sensors: broker ${redact(options.url)} unreachable (${why}); retrying every ${(options.reconnectMs ?? 2_000) / 1000} s`,
      );
      downSince ??= Date.now();
    }
    if (stats.connected) grant = deferred();
    stats.connected = false;
  };
  client.on('error', (err) => down(err.message));
  client.on('offline', () => down('offline'));
  client.on('close', () => {
    if (stats.connected) down('connection closed');
  });

  return {
    subscription,
    stats,
    subscribed: () => grant.promise,
    onOutcome(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closing = true;
      await client.endAsync(true);
      // a reading being applied finishes before the database closes
      await handling;
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The URL without its password, for the log. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the broker';
  }
}
