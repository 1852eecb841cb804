/**
 * The output side of a connection: writes that respect the socket's
 * backpressure, and a close that flushes what was written first.
 */
import type { Socket } from 'node:net';
import { ConnectionClosedError } from './session-errors';

/** Writes `data`; resolves once the socket can take more. Rejects with ConnectionClosedError. */
export function writeToSocket(socket: Socket, data: string): Promise<void> {
  if (socket.destroyed || !socket.writable) return Promise.reject(new ConnectionClosedError());
  if (socket.write(data)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error): void => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => settle();
    const onClose = (): void => settle(new ConnectionClosedError('connection closed while writing'));
    socket.on('drain', onDrain);
    socket.on('close', onClose);
  });
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
