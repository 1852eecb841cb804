/**
 * The log of one session: every line carries the session id, the listener
 * and the addresses of the peer and the client. A pino child logger costs
 * tens of microseconds to make — more than the rest of a session's
 * bookkeeping — and at the warn level most sessions never write a line, so
 * the child is made at the first line the level lets through, with the
 * bindings known by then.
 */
import type { Logger } from '@mail/telemetry';

/** Fields every line of the session carries. */
type Bindings = Record<string, unknown>;

/** What sessions and handlers log through. */
export type SessionLog = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

type Level = keyof SessionLog;

/** A session's log whose pino child is made on its first written line. */
export class LazySessionLog implements SessionLog {
  #bindings: Bindings;
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    bindings: Bindings,
  ) {
    this.#bindings = bindings;
  }

  /** Adds bindings to the lines from now on (the client's address once it is known). */
  bind(more: Bindings): void {
    if (this.#child === undefined) this.#bindings = { ...this.#bindings, ...more };
    else this.#child = this.#child.child(more);
  }

  debug(obj: unknown, msg?: string, ...args: unknown[]): void {
    this.#write('debug', obj, msg, args);
  }

  info(obj: unknown, msg?: string, ...args: unknown[]): void {
    this.#write('info', obj, msg, args);
  }

  warn(obj: unknown, msg?: string, ...args: unknown[]): void {
    this.#write('warn', obj, msg, args);
  }

  error(obj: unknown, msg?: string, ...args: unknown[]): void {
    this.#write('error', obj, msg, args);
  }

  #write(level: Level, obj: unknown, msg: string | undefined, args: unknown[]): void {
    if (!this.parent.isLevelEnabled(level)) return;
    this.#child ??= this.parent.child(this.#bindings);
    if (msg === undefined) this.#child[level](obj);
    else this.#child[level](obj, msg, ...args);
  }
}
