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

/** Flushes and ends the socket; destroys it if the peer has not closed within `graceMs`. */
export async function endSocket(socket: Socket, graceMs: number): Promise<void> {
  if (socket.destroyed) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => socket.destroy(), graceMs);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.end();
  });
}
