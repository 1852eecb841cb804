// Tests of session-listener.ts: a connection reset before its session listens.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SessionListener } from './session-listener';

const log = { error: () => undefined, debug: () => undefined };

describe('SessionListener', () => {
  it('takes a reset that comes while the admission waits (before any session listens) without an uncaught error', async () => {
    let admit: (socket: Socket) => void = () => undefined;
    const waiting = new Promise<Socket>((resolve) => (admit = resolve));
    const listener = new SessionListener({ protocol: 'TEST', implicitTlsProtocol: 'TESTS', log, onConnection: (socket) => admit(socket) });
    const { port } = await listener.listen(0, '127.0.0.1');
    const client = connect(port, '127.0.0.1');
    await once(client, 'connect');
    // The server side reads from the accept on: an RST now is an 'error' on a socket no session listens to yet
    const accepted = await waiting;
    const closed = new Promise<void>((resolve) => accepted.on('close', () => resolve()));
    client.resetAndDestroy();
    await closed;
    expect(accepted.destroyed).toBe(true);
    await listener.stop(1_000);
  });
});
