/**
 * Writing to and closing a client connection, shared by the SMTP and POP3
 * listeners. Writes respect backpressure: a slow reader pauses the writer instead of
 * growing the socket's buffer without bound.
 */
import type { Socket } from 'node:net';

/**
 * Writes `data`; resolves once the socket can take more. Rejects with
 * `closedError()` when the socket is (or becomes) closed before that.
 */
export function writeWithBackpressure(socket: Socket, data: string | Uint8Array, closedError: (detail?: string) => Error): Promise<void> {
  if (socket.destroyed || !socket.writable) return Promise.reject(closedError());
  if (socket.write(data)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error): void => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => settle();
    const onClose = (): void => settle(closedError('connection closed while writing'));
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
