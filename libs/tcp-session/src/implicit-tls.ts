/**
 * The server side of implicit TLS (RFC 8314 §3.3: POP3S on 995, IMAPS on
 * 993): the TLS handshake runs before the first protocol byte, and the
 * session then starts on the secure socket. A client that does not finish
 * the handshake within the deadline is dropped.
 */
import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';

/** Resolves with the secure socket once the handshake succeeds; rejects (and destroys the socket) otherwise. */
export function acceptImplicitTls(socket: Socket, secureContext: SecureContext, timeoutMs: number): Promise<TLSSocket> {
  // node:tls is taken when first needed, not imported: it is 3 MiB of idle RSS (libs/runtime/src/tls-on-demand.ts).
  const secure = new (process.getBuiltinModule('node:tls').TLSSocket)(socket, { isServer: true, secureContext });
  return new Promise<TLSSocket>((resolve, reject) => {
    const timer = setTimeout(() => settle(new Error(`TLS handshake not finished within ${timeoutMs} ms`)), timeoutMs);
    const settle = (error?: Error): void => {
      clearTimeout(timer);
      secure.off('secure', onSecure);
      secure.off('error', onFailure);
      secure.off('close', onFailure);
      if (error === undefined) return resolve(secure);
      // A late error after destroy must not become an uncaught exception.
      secure.on('error', () => undefined);
      secure.destroy();
      reject(error);
    };
    const onSecure = (): void => settle();
    const onFailure = (error?: Error | boolean): void => settle(error instanceof Error ? error : new Error('connection closed during the TLS handshake'));
    secure.once('secure', onSecure);
    secure.once('error', onFailure);
    secure.once('close', onFailure);
  });
}
