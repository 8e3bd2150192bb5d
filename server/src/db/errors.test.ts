import net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseUnavailable } from './errors.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const sqlError = (message: string, code: string) =>
  Object.assign(new pg.DatabaseError(message, 0, 'error'), { code });

describe('databaseUnavailable', () => {
  it.each([
    ['ECONNREFUSED', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'refused'],
    ['ECONNRESET', withCode('read ECONNRESET', 'ECONNRESET'), 'reset'],
    ['EPIPE', withCode('write EPIPE', 'EPIPE'), 'lost'],
    ['ETIMEDOUT', withCode('connect ETIMEDOUT', 'ETIMEDOUT'), 'in time'],
    ['57P01', sqlError('terminating connection due to administrator command', '57P01'), 'shutting down'],
    [
      '57P02',
      sqlError('terminating connection because of crash of another server process', '57P02'),
      'crash',
    ],
    ['57P03', sqlError('the database system is starting up', '57P03'), 'not accepting'],
    ['08006', sqlError('connection failure', '08006'), 'SQLSTATE 08006'],
    ['08P01', sqlError('protocol violation', '08P01'), 'SQLSTATE 08P01'],
  ])('recognises %s', (_name, err, reason) => {
    const found = databaseUnavailable(err);
    expect(found?.reason).toContain(reason);
    expect(found?.reason).toMatch(/^database unavailable: /);
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Cannot use a pool after calling end on the pool',
  ])('recognises pg/pg-pool message %j', (message) => {
    expect(databaseUnavailable(new Error(message))).toBeDefined();
  });

  it('looks through cause chains and AggregateError members', () => {
    const refused = withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED');
    expect(databaseUnavailable(new AggregateError([new Error('x'), refused]))?.code).toBe('ECONNREFUSED');
    expect(databaseUnavailable(new Error('wrapped', { cause: refused }))?.code).toBe('ECONNREFUSED');
  });

  it.each([
    ['a unique violation', sqlError('duplicate key value', '23505')],
    ['a statement timeout', sqlError('canceling statement due to statement timeout', '57014')],
    ['a syntax error', sqlError('syntax error at or near "SELEC"', '42601')],
    ['a permission error', sqlError('audit_log is append-only (UPDATE refused)', '42501')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a non-error', 'ECONNREFUSED'],
    ['null', null],
  ])('leaves %s alone', (_name, err) => {
    expect(databaseUnavailable(err)).toBeUndefined();
  });

  describe('errors pg really raises', () => {
    const servers: net.Server[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    });
    const listen = async (onConnection: (socket: net.Socket) => void): Promise<number> => {
      const server = net.createServer(onConnection);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as net.AddressInfo).port;
    };
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => {
          throw new Error('expected a failure');
        },
        (err: unknown) => err,
      );

    it('nothing listening: connection refused', async () => {
      const port = await listen(() => {});
      await new Promise((resolve) => servers.pop()!.close(resolve));
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'x', database: 'x' });
      expect(databaseUnavailable(await failure(client.connect()))?.code).toBe('ECONNREFUSED');
    });

    it('the server hangs up during the handshake: connection terminated', async () => {
      const port = await listen((socket) => socket.destroy());
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'x', database: 'x' });
      expect(databaseUnavailable(await failure(client.connect()))).toBeDefined();
    });

    it('the server never answers: pool connect timeout', async () => {
      const sockets: net.Socket[] = [];
      const port = await listen((socket) => sockets.push(socket));
      const pool = new pg.Pool({
        host: '127.0.0.1',
        port,
        user: 'x',
        database: 'x',
        max: 1,
        connectionTimeoutMillis: 200,
      });
      const [first, queued] = await Promise.all([
        failure(pool.query('SELECT 1')),
        failure(pool.query('SELECT 1')),
      ]);
      expect(databaseUnavailable(first)).toBeDefined();
      expect(databaseUnavailable(queued)).toBeDefined();
      await pool.end();
      for (const s of sockets) s.destroy();
    });
  });
});
