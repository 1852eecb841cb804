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
