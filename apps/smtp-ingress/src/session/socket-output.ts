/**
 * The output side of a connection: writes that respect the socket's
 * backpressure, and a close that flushes what was written first.
 */
import type { Socket } from 'node:net';
import { writeWithBackpressure } from '@mail/runtime';
import { ConnectionClosedError } from './session-errors';

/** Writes `data`; resolves once the socket can take more. Rejects with ConnectionClosedError. */
export function writeToSocket(socket: Socket, data: string): Promise<void> {
  return writeWithBackpressure(socket, data, (detail) => new ConnectionClosedError(detail));
}

export { endSocket } from '@mail/runtime';

/**
 * Flushes what was written, sends FIN, and releases the socket as soon as
 * the FIN is out (RFC 5321 §4.1.1.10: after the last reply the server
 * closes the channel; nothing the client sends after it matters). Waiting
 * for the client's own close instead meant that a client closing without
 * reading its 221 — smtp-source does, as do many senders — reset a socket
 * still open here, a ECONNRESET error object with its stack trace per
 * connection. The kernel still delivers the queued replies when the socket
 * is closed with nothing unread, which holds for a session's socket: the
 * transport reads whatever arrives (a client sending after QUIT, against
 * RFC 5321 §4.1.1.10, may instead get a reset). A socket nobody reads
 * (the refusal over capacity) keeps endSocket, which waits for the
 * client's close. Destroyed after `graceMs` if the replies cannot be
 * flushed (a client that stopped reading).
 */
export function closeSocket(socket: Socket, graceMs: number): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), graceMs);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.end(() => socket.destroy());
  });
}
