/**
 * The POP3 listener: accepts connections, runs one Pop3Session per
 * connection, and on shutdown stops accepting, lets each session finish its
 * current command, and drops what is left after a grace period.
 */
import { Server, type AddressInfo } from 'node:net';
import { Pop3Session, type SessionDependencies } from './session/session';

/** A listening POP3 server. */
export class Pop3Server {
  readonly #server: Server;
  readonly #sessions = new Map<Pop3Session, Promise<void>>();

  constructor(private readonly deps: SessionDependencies) {
    // Half-open: a client may send its last commands and shut down its side;
    // the replies are still written before the connection is closed.
    this.#server = new Server({ allowHalfOpen: true }, (socket) => {
      socket.setNoDelay(true);
      const session = new Pop3Session(socket, this.deps);
      this.#sessions.set(session, session.run().finally(() => this.#sessions.delete(session)));
    });
    this.#server.on('error', (error) => deps.log.error({ err: error }, 'POP3 listener error'));
  }

  /** Open sessions right now. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /** Whether the listener is accepting connections (readiness). */
  get listening(): boolean {
    return this.#server.listening;
  }

  /**
   * Stops accepting, asks every session to end after its current command,
   * and drops the connections still open after `graceMs`. Maildrop locks are
   * released either way; nothing is deleted without QUIT.
   */
  async stop(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const session of this.#sessions.keys()) session.drain();
    const finished = Promise.all(this.#sessions.values());
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    if ((await Promise.race([finished, deadline])) === 'late') {
      for (const session of this.#sessions.keys()) session.abort();
    }
    clearTimeout(timer);
    await finished;
    await closed;
  }
}
