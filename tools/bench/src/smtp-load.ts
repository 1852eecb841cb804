/**
 * The bench's own load generator: `total` messages over `sessions`
 * concurrent SMTP sessions, as fast as the server answers (closed loop).
 * Like Postfix's smtp-source without -d, each message gets its own
 * connection unless `reuseConnections` is set. Used when smtp-source is not
 * installed, and for submission (AUTH) where smtp-source cannot go.
 */
import { SmtpConnection } from './smtp-client';

export interface SmtpLoadMessage {
  readonly from: string;
  readonly to: readonly string[];
  /** Dot-stuffed and terminated (see wireMessage). */
  readonly wire: Buffer;
}

export interface SmtpLoadOptions {
  readonly port: number;
  readonly sessions: number;
  readonly total: number;
  readonly message: (index: number) => SmtpLoadMessage;
  readonly reuseConnections?: boolean;
  readonly auth?: { readonly user: string; readonly password: string };
  readonly onProgress?: (accepted: number) => void;
}

export interface SmtpLoadResult {
  /** performance.now() at the first connection and at the last 250. */
  readonly startedAt: number;
  readonly lastAcceptedAt: number;
  readonly accepted: number;
  readonly failed: number;
  readonly firstError: string | undefined;
  /** Milliseconds from the end of data to the 250, per accepted message. */
  readonly endOfDataLatencies: number[];
}

export async function runSmtpLoad(options: SmtpLoadOptions): Promise<SmtpLoadResult> {
  let next = 0;
  let accepted = 0;
  let failed = 0;
  let firstError: string | undefined;
  let lastAcceptedAt = 0;
  const latencies: number[] = [];
  const startedAt = performance.now();

  const open = async () => {
    const connection = await SmtpConnection.greeted(options.port);
    if (options.auth) await connection.authPlain(options.auth.user, options.auth.password);
    return connection;
  };

  const worker = async () => {
    let connection: SmtpConnection | undefined;
    while (next < options.total) {
      const index = next++;
      try {
        connection ??= await open();
        const { from, to, wire } = options.message(index);
        latencies.push(await connection.send(from, to, wire));
        accepted++;
        lastAcceptedAt = performance.now();
        options.onProgress?.(accepted);
        if (!options.reuseConnections) {
          await connection.quit();
          connection = undefined;
        }
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message;
        connection?.close();
        connection = undefined;
      }
    }
    await connection?.quit();
  };

  await Promise.all(Array.from({ length: Math.min(options.sessions, options.total) }, worker));
  return { startedAt, lastAcceptedAt, accepted, failed, firstError, endOfDataLatencies: latencies };
}
