/**
 * Connected TCP socket pairs on loopback, for driving a protocol session
 * (the server's socket) from a test client (the other end) without a real
 * listener: the server side allows half-open connections, as the real
 * listeners do, so a client's half-close does not end the replies.
 */
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

export interface LoopbackSocketPairs {
  /** A connected pair: [the client's socket, the server's socket]. */
  next(): Promise<[Socket, Socket]>;
  close(): Promise<void>;
}

export async function startLoopbackSocketPairs(): Promise<LoopbackSocketPairs> {
  const accepted: Socket[] = [];
  let onAccept: (() => void) | undefined;
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    accepted.push(socket);
    onAccept?.();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('loopback server not listening');
  return {
    async next() {
      const arrived = new Promise<void>((resolve) => (onAccept = resolve));
      const client = connect(address.port, '127.0.0.1');
      await Promise.all([once(client, 'connect'), accepted.length > 0 ? Promise.resolve() : arrived]);
      const serverSide = accepted.shift();
      if (serverSide === undefined) throw new Error('no server socket');
      return [client, serverSide];
    },
    async close() {
      server.close();
    },
  };
}
