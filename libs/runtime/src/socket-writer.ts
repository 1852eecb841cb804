/**
 * Writes to a client connection that respect its backpressure, shared by
 * the SMTP and POP3 listeners: a slow reader pauses the writer instead of
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
