import { connect, createServer, type Socket } from 'node:net';

/**
 * How a cut network behaves for new connections: 'refuse' resets each one at once (a peer that is down);
 * 'hang' accepts it and never forwards a byte (a black hole: the client waits until its own timeout).
 */
export type CutMode = 'refuse' | 'hang';

export interface TcpProxy {
  host: string;
  port: number;
  /** Ends every open connection (reset) and treats new ones as `mode` says, until restore(). */
  cut(mode?: CutMode): void;
  /** Forwards new connections again; connections held by a 'hang' cut are reset now (their clients reconnect). */
  restore(): void;
  /** Open connections: forwarded pairs and held ones. */
  connections(): number;
  /** Stops listening and ends every connection. */
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 (a free port) to targetHost:targetPort, for outage tests. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let cutMode: CutMode | null = null;
  const forwarded = new Set<Socket[]>();
  const held = new Set<Socket>();

  const server = createServer((client) => {
    client.on('error', () => {});
    if (cutMode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (cutMode === 'hang') {
      held.add(client);
      client.once('close', () => held.delete(client));
      return; // never read, never answer
    }
    const upstream = connect(targetPort, targetHost);
    upstream.on('error', () => {});
    const pair = [client, upstream];
    forwarded.add(pair);
    for (const socket of pair) {
      socket.once('close', () => {
        forwarded.delete(pair);
        // One side gone ends the other.
        for (const other of pair) if (!other.destroyed) other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };

  const reset = (socket: Socket) => {
    if (!socket.destroyed) socket.resetAndDestroy();
  };
  const resetAll = (sockets: Set<Socket> | Set<Socket[]>) => {
    for (const entry of [...sockets]) for (const socket of [entry].flat()) reset(socket);
    sockets.clear();
  };

  return {
    host: '127.0.0.1',
    port,
    cut(mode: CutMode = 'refuse') {
      cutMode = mode;
      resetAll(forwarded);
      resetAll(held);
    },
    restore() {
      cutMode = null;
      resetAll(held);
    },
    connections: () => forwarded.size + held.size,
    async close() {
      cutMode = 'refuse';
      resetAll(forwarded);
      resetAll(held);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
