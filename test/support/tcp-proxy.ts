/**
 * A TCP proxy between the app and a database that a test can cut and restore, to simulate an outage
 * without touching the shared server. `cut('refuse')` destroys every open connection and closes the
 * listening socket (new connections get ECONNREFUSED); `cut('hang')` destroys every open connection and
 * then accepts new ones without ever answering (a black-holed network: only timeouts notice).
 * `restore()` listens again on the same port, so URLs handed out before stay valid.
 */
import net from 'node:net';

export type CutMode = 'refuse' | 'hang';

export interface TcpProxy {
  /** the proxy's port on 127.0.0.1 */
  port: number;
  /** `url` with host and port replaced by the proxy's */
  urlFor(url: string): string;
  cut(mode?: CutMode): Promise<void>;
  restore(): Promise<void>;
  /** connections accepted so far (forwarded or not) */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let mode: 'open' | CutMode = 'open';
  let accepted = 0;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // a peer reset is what this proxy exists to cause; never let it surface as an unhandled error
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    accepted++;
    track(client);
    if (mode !== 'open') return; // 'hang': hold the socket, say nothing
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const destroyAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    get accepted() {
      return accepted;
    },
    async cut(cutMode: CutMode = 'refuse') {
      mode = cutMode;
      if (cutMode === 'refuse') {
        // server.close() waits for open connections, so destroy them in the same tick
        const closed = stopListening();
        destroyAll();
        await closed;
      } else {
        destroyAll();
      }
    },
    async restore() {
      destroyAll(); // drop any sockets held while hanging
      mode = 'open';
      if (!server.listening) await listen(port);
    },
    async close() {
      mode = 'refuse';
      const closed = stopListening();
      destroyAll();
      await closed;
    },
  };
}
