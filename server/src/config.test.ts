import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded database on 127.0.0.1:3000 with the 淮安区 demo', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DEMO_DISTRICT: '320803',
      PGLITE_DATA_DIR: '.data/pglite',
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('honours PORT, HOST and DATABASE_URL from the environment', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@h/db',
      SEED_DEMO: 'true',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@h/db',
      SEED_DEMO: true,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DEMO_DISTRICT: '3208' }, /DEMO_DISTRICT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ MQTT_URL: '127.0.0.1:1883' }, /MQTT_URL/],
    [{ MQTT_TOPIC_PREFIX: 'a/+/b' }, /MQTT_TOPIC_PREFIX/],
    [{ MQTT_SHARE_GROUP: 'a/b' }, /MQTT_SHARE_GROUP/],
    [{ STREAM_ORIGINS: 'video.example.cn' }, /STREAM_ORIGINS/],
    [{ STREAM_ORIGINS: 'http://10.20.0.5:8080/live' }, /STREAM_ORIGINS/],
    [{ STREAM_ORIGINS: "http://a.cn, 'unsafe-inline'" }, /STREAM_ORIGINS/],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
