/**
 * JetStream publishes pipelined across callers. Every caller still waits
 * for its own message's ack, but the publishes of everyone who asked in the
 * same turn of the event loop leave in one socket write (nats.js flushes its
 * outbound buffer once per microtask checkpoint, so publishes issued from
 * separate I/O callbacks — one SMTP session each — were each a write of
 * their own), and their acks come back on one subscription, without the
 * per-request timer and stack-capturing error object of `js.publish`.
 *
 * No answer within `attemptTimeoutMs`, or a reconnection, re-sends the
 * message with the same `Nats-Msg-Id`: JetStream stores it once (a copy
 * within its duplicate window is acknowledged as a duplicate), so a message
 * whose ack was lost in a NATS restart is acknowledged rather than
 * refused — the caller's 250 and the one stored copy agree. Nothing is sent
 * while the connection is down (a publish waiting for it fails at its
 * deadline without ever having left). A publish whose deadline passes while
 * a copy is on its way is the one unavoidable doubt: it is refused although
 * the server may have stored that copy.
 */
import { createInbox, headers as createHeaders, type MsgHdrs, type NatsConnection, type Msg, type Subscription } from '@nats-io/nats-core';
import type { PubAck } from '@nats-io/jetstream';

/** One publish and what JetStream must check about it. */
export interface PipelinedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** De-duplication id (`Nats-Msg-Id`): the same for every copy sent. */
  readonly msgId: string;
  /** The stream that must store it (`Nats-Expected-Stream`). */
  readonly stream: string;
  /** Extra headers (trace context); the pipeline adds its own to this object. */
  readonly headers?: MsgHdrs;
}

/** The server refused the message (its JetStream error), or no ack came before the deadline. */
export class PublishFailedError extends Error {
  override name = 'PublishFailedError';
  constructor(
    readonly subject: string,
    message: string,
    /** True when a copy may have been stored although the publish failed (deadline with a copy sent). */
    readonly uncertain: boolean,
  ) {
    super(`publish to ${subject}: ${message}`);
  }
}

interface Pending {
  readonly message: PipelinedMessage;
  readonly headers: MsgHdrs;
  readonly token: string;
  readonly deadline: number;
  /** When the latest copy was sent; undefined before the first. */
  sentAt: number | undefined;
  /** In the unsent list. */
  queued: boolean;
  settled: boolean;
  resolve(ack: PubAck): void;
  reject(error: Error): void;
}

/** JetStream's answer to a publish. */
interface AckBody {
  stream?: string;
  seq?: number;
  duplicate?: boolean;
  domain?: string;
  error?: { code?: number; description?: string };
}

export class PublishPipeline {
  readonly #inbox: string;
  readonly #subscription: Subscription;
  /** To be sent (again) at the next flush. */
  #unsent: Pending[] = [];
  /** Not settled yet, by reply token (an ack of any copy settles). */
  readonly #pending = new Map<string, Pending>();
  #nextToken = 0;
  #flushScheduled = false;
  #connected = true;
  #sweeper: NodeJS.Timeout | undefined;
  #idle: (() => void)[] = [];

  constructor(
    private readonly nc: NatsConnection,
    /** How long a copy waits for its ack before another is sent. */
    private readonly attemptTimeoutMs = 2_000,
    /** The connection's inbox prefix (nats.js `inboxPrefix`; a service may subscribe only under its own). */
    inboxPrefix?: string,
  ) {
    this.#inbox = createInbox(inboxPrefix);
    this.#subscription = nc.subscribe(`${this.#inbox}.*`, { callback: (error, msg) => (error ? undefined : this.#onAck(msg)) });
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') this.#connected = false;
        if (status.type === 'reconnect') this.#resendAll();
      }
    })().catch(() => undefined);
  }

  /** Publish and wait for JetStream's ack, for at most `timeoutMs` in all. */
  publish(message: PipelinedMessage, timeoutMs: number): Promise<PubAck> {
    return new Promise((resolve, reject) => {
      const hdrs = message.headers ?? createHeaders();
      hdrs.set('Nats-Msg-Id', message.msgId);
      hdrs.set('Nats-Expected-Stream', message.stream);
      const pending: Pending = {
        message,
        headers: hdrs,
        token: (this.#nextToken++).toString(36),
        deadline: performance.now() + timeoutMs,
        sentAt: undefined,
        queued: false,
        settled: false,
        resolve,
        reject,
      };
      this.#pending.set(pending.token, pending);
      this.#queue(pending);
      this.#sweeper ??= setInterval(() => this.#sweep(), Math.max(10, Math.min(250, this.attemptTimeoutMs / 4))).unref();
    });
  }

  /** Resolves once nothing is waiting to be sent or acknowledged. */
  settled(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  close(): void {
    this.#subscription.unsubscribe();
    clearInterval(this.#sweeper);
  }

  // After the I/O callbacks of this turn: everything published meanwhile goes in one write
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (!this.#connected || this.nc.isClosed()) return; // sent at the reconnection, or failed at the deadline
    const now = performance.now();
    for (const pending of this.#unsent.splice(0)) {
      pending.queued = false;
      if (pending.settled) continue;
      const { message } = pending;
      pending.sentAt = now;
      try {
        this.nc.publish(message.subject, message.data, { reply: `${this.#inbox}.${pending.token}`, headers: pending.headers });
      } catch (error) {
        this.#settle(pending, new PublishFailedError(message.subject, (error as Error).message, false));
      }
    }
  }

  #onAck(msg: Msg): void {
    const pending = this.#pending.get(msg.subject.slice(this.#inbox.length + 1));
    if (pending === undefined) return; // an ack of an earlier copy, already answered
    // 503: no JetStream responder (the stream not back yet after a restart): not stored; the next attempt asks again
    if (msg.headers?.code === 503) return;
    let body: AckBody;
    try {
      body = msg.json<AckBody>();
    } catch (error) {
      return this.#settle(pending, new PublishFailedError(pending.message.subject, `invalid ack: ${(error as Error).message}`, true));
    }
    if (body.error !== undefined || typeof body.stream !== 'string' || typeof body.seq !== 'number') {
      return this.#settle(pending, new PublishFailedError(pending.message.subject, body.error?.description ?? 'invalid ack', false));
    }
    this.#settle(pending, { stream: body.stream, seq: body.seq, duplicate: body.duplicate === true, ...(body.domain ? { domain: body.domain } : {}) });
  }

  #settle(pending: Pending, outcome: PubAck | Error): void {
    if (pending.settled) return;
    pending.settled = true;
    this.#pending.delete(pending.token);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
    if (this.#pending.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Deadlines passed fail; copies unanswered for an attempt's time are sent again. */
  #sweep(): void {
    const now = performance.now();
    for (const pending of this.#pending.values()) {
      if (now >= pending.deadline) {
        const sent = pending.sentAt !== undefined;
        this.#settle(pending, new PublishFailedError(pending.message.subject, sent ? 'no ack before the deadline' : 'NATS unreachable until the deadline; nothing sent', sent));
      } else if (pending.sentAt !== undefined && now - pending.sentAt >= this.attemptTimeoutMs) this.#queue(pending);
    }
    if (this.#pending.size === 0) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }

  /** Send at the next flush (again, for a copy already sent). */
  #queue(pending: Pending): void {
    if (pending.queued) return;
    pending.queued = true;
    this.#unsent.push(pending);
    this.#scheduleFlush();
  }

  /** Connected again: every copy in flight may have been lost with the old connection. */
  #resendAll(): void {
    this.#connected = true;
    for (const pending of this.#pending.values()) if (pending.sentAt !== undefined) this.#queue(pending);
    this.#scheduleFlush();
  }
}
