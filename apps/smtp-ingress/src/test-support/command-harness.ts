/**
 * In-memory stand-ins for unit tests of the state gate, the dispatcher and
 * the command handlers: a channel that records replies and serves scripted
 * input through the real framing classes, a directory in a map, a queue
 * that records bodies and events, and metrics that count. Integration tests
 * (test/) use the real services instead.
 */
import type { SecureContext } from 'node:tls';
import type { BodyReference, MailReceived, ResolveRecipientResponse } from '@mail/contracts';
import { BdatReader, DotUnstuffer, LineReader, MAX_COMMAND_LINE, formatReply, type LineEvent } from '@mail/smtp';
import { createLogger } from '@mail/telemetry';
import { temporaryAuthFailure } from '../auth/credential-verifier';
import { directoryFailure, type RecipientDirectory } from '../directory/recipient-directory';
import type { MailQueue } from '../message/mail-queue';
import type { AuthResult, ConnectionRefusalReason, IngressMetrics } from '../metrics';
import type { CredentialVerifier } from '../auth/credential-verifier';
import type { AuthFailureGuard, AuthLock } from '../limits/auth-failures';
import type { ScreenOutcome } from '../screening/client-screening';
import type { CommandContext, SessionSettings } from '../session/command-context';
import { CommandDispatcher } from '../session/dispatcher';
import { newSessionState, type ListenerKind } from '../session/session-state';
import type { DataOutcome, SmtpChannel } from '../session/smtp-channel';

/** A channel whose output is recorded and whose input is a byte string. */
export class RecordingChannel implements SmtpChannel {
  tlsActive = false;
  readonly replies: string[] = [];
  #lines = new LineReader();

  /** Queue raw client bytes. */
  feed(input: string | Buffer): void {
    this.#lines.push(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  }

  async reply(code: number, enhanced: string | undefined, text: string | string[]): Promise<void> {
    this.replies.push(formatReply(code, enhanced, text));
  }

  async nextLine(maxLineLength = MAX_COMMAND_LINE): Promise<LineEvent | undefined> {
    this.#lines.maxLineLength = maxLineLength;
    return this.#lines.next();
  }

  async readData(sink: (chunk: Buffer) => void): Promise<DataOutcome> {
    const decoder = new DotUnstuffer();
    const result = decoder.push(this.#lines.takeRest());
    result.body.forEach(sink);
    if (!result.ended) throw new Error('test input lacks the end of data');
    if (result.rest) this.#lines.push(result.rest);
    return { size: result.size, bareLineEndings: result.bareLineEndings, longestLine: decoder.longestLine };
  }

  async readChunk(size: number, sink: (chunk: Buffer) => void): Promise<void> {
    const result = new BdatReader(size).push(this.#lines.takeRest());
    result.data.forEach(sink);
    if (!result.done) throw new Error('test input lacks the end of the chunk');
    if (result.rest) this.#lines.push(result.rest);
  }

  async startTls(_context: SecureContext, announce: () => Promise<void>): Promise<void> {
    this.#lines.takeRest();
    await announce();
    this.tlsActive = true;
  }

  /** Replies written since the last call, joined. */
  take(): string {
    return this.replies.splice(0).join('');
  }
}

/** A directory answering from a map of lower-cased addresses; unknown domains are not local. */
export class InMemoryDirectory implements RecipientDirectory {
  readonly domains = new Set<string>(['example.test']);
  readonly users = new Set<string>(['bob@example.test', 'carol@example.test', 'postmaster@example.test']);
  /** Fail every lookup as the bus directory does when mailbox-store does not answer. */
  down = false;

  async resolve(address: string): Promise<ResolveRecipientResponse> {
    if (this.down) throw directoryFailure(new Error('request timed out'));
    const lower = address.toLowerCase();
    if (!this.domains.has(lower.slice(lower.lastIndexOf('@') + 1))) return { result: 'not-local-domain' };
    return this.users.has(lower) ? { result: 'local', mailboxes: [lower] } : { result: 'unknown-user' };
  }
}

/** A queue that keeps bodies and events; `failPut`/`failPublish` simulate an unreachable bus. */
export class InMemoryQueue implements MailQueue {
  readonly bodies = new Map<string, Buffer>();
  readonly events: MailReceived[] = [];
  failPut = false;
  failPublish = false;

  async putBody(key: string, chunks: readonly Uint8Array[], maxSize: number): Promise<BodyReference> {
    if (this.failPut) throw new Error('object store unavailable');
    const body = Buffer.concat(chunks);
    if (body.length > maxSize) throw new Error('body too large');
    this.bodies.set(key, body);
    return { bucket: 'test_bodies', key, size: body.length, sha256: 'a'.repeat(64) };
  }

  async publish(event: MailReceived): Promise<void> {
    if (this.failPublish) throw new Error('no JetStream ack');
    this.events.push(event);
  }

  async deleteBody(key: string): Promise<void> {
    this.bodies.delete(key);
  }
}

/** Metrics that count into a map, keyed like `replies:2xx`. */
export class CountingMetrics implements IngressMetrics {
  readonly counts = new Map<string, number>();
  #add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  connectionOpened(listener: ListenerKind): void {
    this.#add(`connections:${listener}`);
  }
  sessionOpened(listener: ListenerKind): void {
    this.#add(`sessions:${listener}`);
  }
  sessionClosed(listener: ListenerKind): void {
    this.counts.set(`sessions:${listener}`, (this.counts.get(`sessions:${listener}`) ?? 0) - 1);
  }
  replySent(code: number): void {
    this.#add(`replies:${Math.floor(code / 100)}xx`);
  }
  messageAccepted(listener: ListenerKind): void {
    this.#add(`accepted:${listener}`);
  }
  messageRejected(reason: string): void {
    this.#add(`rejected:${reason}`);
  }
  connectionRefused(listener: ListenerKind, reason: ConnectionRefusalReason): void {
    this.#add(`refused:${listener}:${reason}`);
  }
  authAttempt(mechanism: string, result: AuthResult): void {
    this.#add(`auth:${mechanism}:${result}`);
  }
  authLockout(scope: string): void {
    this.#add(`lockout:${scope}`);
  }
  clientScreened(action: string): void {
    this.#add(`screened:${action}`);
  }
}

/** Accounts in a map of lower-cased user → password; `down` fails like an unreachable mailbox-store. */
export class InMemoryCredentials implements CredentialVerifier {
  readonly accounts = new Map<string, string>([
    ['bob@example.test', 'hungry'],
    ['carol@example.test', 'pickles'],
  ]);
  down = false;

  async verify(username: string, password: string): Promise<string | undefined> {
    if (this.down) throw temporaryAuthFailure(new Error('request timed out'));
    const user = username.toLowerCase();
    return this.accounts.get(user) === password ? user : undefined;
  }
}

/** Failure counts in memory, with the production limits' shape. */
export class InMemoryAuthFailures implements AuthFailureGuard {
  readonly byIp = new Map<string, number>();
  readonly byUser = new Map<string, number>();
  constructor(readonly limits = { maxPerIp: 5, maxPerUser: 3 }) {}

  async lockOf(ip: string, user: string): Promise<AuthLock> {
    if ((this.byIp.get(ip) ?? 0) >= this.limits.maxPerIp) return 'ip';
    return (this.byUser.get(user.toLowerCase()) ?? 0) >= this.limits.maxPerUser ? 'user' : undefined;
  }
  async recordFailure(ip: string, user: string): Promise<void> {
    this.byIp.set(ip, (this.byIp.get(ip) ?? 0) + 1);
    this.byUser.set(user.toLowerCase(), (this.byUser.get(user.toLowerCase()) ?? 0) + 1);
  }
  async recordSuccess(user: string): Promise<void> {
    this.byUser.delete(user.toLowerCase());
  }
}

/** A handler context over the fakes above. */
export interface Harness {
  readonly ctx: CommandContext;
  readonly channel: RecordingChannel;
  readonly directory: InMemoryDirectory;
  readonly queue: InMemoryQueue;
  readonly metrics: CountingMetrics;
  readonly credentials: InMemoryCredentials;
  readonly authFailures: InMemoryAuthFailures;
}

/** Settings as in production but small. */
export const testSettings: SessionSettings = {
  hostname: 'mx.example.test',
  maxMessageSize: 1000,
  maxLineLength: 200,
  maxRecipients: 3,
  maxErrors: 3,
  maxMessagesPerConnection: 100,
  allowPlaintextAuth: false,
  authFailureDelayMs: 0,
  tls: undefined,
};

/** What a harness may differ in. */
export interface HarnessOptions {
  readonly listener?: ListenerKind;
  readonly clientIp?: string;
  readonly settings?: Partial<SessionSettings>;
  readonly screening?: ScreenOutcome;
}

/** A fresh session context; `settings` overrides the test settings. */
export function createHarness(options: HarnessOptions = {}): Harness {
  const channel = new RecordingChannel();
  const directory = new InMemoryDirectory();
  const queue = new InMemoryQueue();
  const metrics = new CountingMetrics();
  const credentials = new InMemoryCredentials();
  const authFailures = new InMemoryAuthFailures();
  const ctx: CommandContext = {
    state: newSessionState('test-session', options.listener ?? 'inbound', options.clientIp ?? '192.0.2.1', 40000),
    channel,
    settings: { ...testSettings, ...options.settings },
    services: { directory, queue, metrics, credentials, authFailures },
    log: createLogger('smtp-ingress-test', 'silent'),
    clientHostname: Promise.resolve('client.example.test'),
    screening: Promise.resolve(options.screening ?? { action: 'accept' }),
  };
  return { ctx, channel, directory, queue, metrics, credentials, authFailures };
}

/**
 * Feed `input` and run every complete command through a dispatcher (the real
 * parser, gate and handlers), as the session would; returns the replies.
 */
export async function converse(harness: Harness, input: string | Buffer, dispatcher?: CommandDispatcher): Promise<string> {
  const run = dispatcher ?? new CommandDispatcher(harness.ctx);
  harness.channel.feed(input);
  for (;;) {
    const line = await harness.channel.nextLine();
    if (line === undefined) break;
    if ((await run.dispatch(line)) === 'close') break;
  }
  return harness.channel.take();
}
