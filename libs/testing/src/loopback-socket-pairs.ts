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

export interface ClientPlay {
  /** Everything the client received. */
  readonly output: Buffer;
  /** The session and the connection both ended within the deadline. */
  readonly closed: boolean;
}

/**
 * Plays a client on `client` against a session already running on the
 * other end (`session` settles when it ends): writes `chunks` a turn of the
 * event loop apart, then `trailer` with a half-close, and waits up to
 * `deadlineMs` for the session to end and the connection to close.
 */
export async function playClient(client: Socket, session: Promise<unknown>, chunks: readonly Buffer[], trailer: string, deadlineMs: number): Promise<ClientPlay> {
  const received: Buffer[] = [];
  client.on('data', (chunk: Buffer) => received.push(chunk));
  client.on('error', () => undefined); // the server may close first (QUIT, too many errors)
  const ended = new Promise<void>((resolve) => client.on('close', () => resolve()));
  for (const chunk of chunks) {
    if (client.destroyed || client.writableEnded) break;
    client.write(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!client.destroyed) client.end(trailer);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)));
  const outcome = await Promise.race([Promise.all([session, ended]).then(() => 'closed' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'late') client.destroy();
  return { output: Buffer.concat(received), closed: outcome === 'closed' };
}
