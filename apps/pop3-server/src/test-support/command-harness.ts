/**
 * In-memory stand-ins for unit tests of the command handlers and the
 * dispatcher: a channel that records what is written, a mailbox-store with
 * users and messages in maps, locks in a map, and metrics that count.
 * Integration tests (test/) use the real services instead.
 */
import type { SecureContext } from 'node:tls';
import type { LoginThrottle, ThrottleVerdict } from '@mail/login-limits';
import { Pop3ResponseCode, Pop3ResponseError, apopDigest, type Pop3InputLine } from '@mail/pop3';
import { createLogger } from '@mail/telemetry';
import type { MailboxEntry } from '@mail/contracts';
import type { MailboxStoreClient } from '../maildrop/mailbox-store-client';
import type { MaildropLock, MaildropLocks } from '../maildrop/maildrop-lock';
import { noLoginDelay, type LoginDelay } from '../auth/login-delay';
import type { AuthMechanism, LoginResult, Pop3Metrics } from '../metrics';
import type { CommandContext, SessionSettings } from '../session/command-context';
import { newSessionState } from '../session/session-state';
import type { Pop3Channel } from '../session/transport';

/** A channel whose output is a string and whose input is a list of lines. */
export class RecordingChannel implements Pop3Channel {
  tlsActive = false;
  maxLineOctets = 255;
  readonly input: Pop3InputLine[] = [];
  #output = '';

  async write(data: string | Uint8Array): Promise<void> {
    this.#output += typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
  }

  async nextLine(): Promise<Pop3InputLine | undefined> {
    return this.input.shift();
  }

  async startTls(_context: SecureContext, announce: () => Promise<void>): Promise<void> {
    await announce();
    this.tlsActive = true;
  }

  /** What was written since the last call. */
  take(): string {
    const output = this.#output;
    this.#output = '';
    return output;
  }
}

/** A mailbox-store in maps; `down` makes every request fail like an unreachable service. */
export class InMemoryMailbox implements MailboxStoreClient {
  readonly passwords = new Map<string, string>();
  /** APOP secrets by user (mailbox-store keeps them sealed; here in clear). */
  readonly apopSecrets = new Map<string, string>();
  readonly messages = new Map<string, { uid: string; folder: string; body: Buffer }[]>();
  readonly expunged: string[][] = [];
  chunkOctets = 4;
  chunksRead = 0;
  /** readMessages calls (RETR prefetch). */
  prefetchRequests = 0;
  down = false;
  /** Fail the fetch of this chunk index (0-based) of every message. */
  failChunk: number | undefined;

  addUser(user: string, password: string, bodies: readonly string[] = []): void {
    this.passwords.set(user, password);
    this.messages.set(
      user,
      bodies.map((body, index) => ({ uid: `uid-${index + 1}`, folder: 'INBOX', body: Buffer.from(body, 'latin1') })),
    );
  }

  async verifyCredentials(username: string, password: string): Promise<string | undefined> {
    this.#check();
    return this.passwords.get(username) === password ? username : undefined;
  }

  async verifyApop(username: string, timestamp: string, digest: string): Promise<string | undefined> {
    this.#check();
    const secret = this.apopSecrets.get(username);
    return secret !== undefined && apopDigest(timestamp, secret) === digest.toLowerCase() ? username : undefined;
  }

  async listMaildrop(user: string, folders: readonly string[]): Promise<MailboxEntry[]> {
    this.#check();
    return (this.messages.get(user) ?? [])
      .filter((message) => folders.includes(message.folder))
      .map((message) => ({ uid: message.uid, size: message.body.length, folder: message.folder, receivedAt: '2024-01-01T00:00:00Z' }));
  }

  async *readMessage(user: string, uid: string): AsyncGenerator<Buffer> {
    const body = this.messages.get(user)?.find((message) => message.uid === uid)?.body ?? Buffer.alloc(0);
    for (let offset = 0, index = 0; offset < body.length; offset += this.chunkOctets, index += 1) {
      this.#check();
      if (index === this.failChunk) throw new Pop3ResponseError('cannot read', { responseCode: Pop3ResponseCode.SysTemp });
      this.chunksRead += 1;
      yield body.subarray(offset, offset + this.chunkOctets);
    }
  }

  async readMessages(user: string, uids: readonly string[], maxOctets: number): Promise<Map<string, Buffer>> {
    this.#check();
    this.prefetchRequests += 1;
    // A chunk set to fail makes the prefetch fail too, so RETR falls back to the chunks.
    if (this.failChunk !== undefined) throw new Pop3ResponseError('cannot read', { responseCode: Pop3ResponseCode.SysTemp });
    const found = new Map<string, Buffer>();
    let octets = 0;
    for (const uid of uids) {
      const body = this.messages.get(user)?.find((message) => message.uid === uid)?.body;
      if (body === undefined) continue;
      if (octets + body.length > maxOctets) break;
      octets += body.length;
      found.set(uid, body);
    }
    return found;
  }

  async expunge(user: string, uids: readonly string[]): Promise<number> {
    this.#check();
    this.expunged.push([...uids]);
    const messages = this.messages.get(user) ?? [];
    this.messages.set(
      user,
      messages.filter((message) => !uids.includes(message.uid)),
    );
    return messages.length - (this.messages.get(user)?.length ?? 0);
  }

  #check(): void {
    if (this.down) throw new Pop3ResponseError('cannot reach mailbox-store', { responseCode: Pop3ResponseCode.SysTemp });
  }
}

/** Locks in a map, like Redis SET NX. */
export class InMemoryLocks implements MaildropLocks {
  readonly held = new Map<string, string>();

  async acquire(user: string, owner: string): Promise<MaildropLock | undefined> {
    if (this.held.has(user)) return undefined;
    this.held.set(user, owner);
    const held = this.held;
    return {
      lost: false,
      async release() {
        if (held.get(user) === owner) held.delete(user);
      },
    };
  }
}

/** Failure counters in a map, blocking at `limit` failures per user or network. */
export class InMemoryThrottle implements LoginThrottle {
  readonly failures = new Map<string, number>();
  constructor(private readonly limit = 3) {}

  async check(user: string, network: string): Promise<ThrottleVerdict> {
    if ((this.failures.get(`user:${user}`) ?? 0) >= this.limit) return { blocked: true, scope: 'user', retryAfterMs: 1000 };
    if ((this.failures.get(`net:${network}`) ?? 0) >= this.limit) return { blocked: true, scope: 'network', retryAfterMs: 1000 };
    return { blocked: false };
  }

  async recordFailure(user: string, network: string): Promise<void> {
    for (const key of [`user:${user}`, `net:${network}`]) this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }

  async recordSuccess(user: string): Promise<void> {
    this.failures.delete(`user:${user}`);
  }
}

/** A LOGIN-DELAY that admits each user once until `reset()`. */
export class OncePerUserDelay implements LoginDelay {
  readonly seen = new Set<string>();
  constructor(readonly seconds: number) {}
  async admit(user: string): Promise<boolean> {
    if (this.seen.has(user)) return false;
    this.seen.add(user);
    return true;
  }
}

/** Metrics that remember the login results. */
export class CountingMetrics implements Pop3Metrics {
  readonly logins: LoginResult[] = [];
  readonly authFailures: AuthMechanism[] = [];
  retrOctetsTotal = 0;
  sessions = 0;
  sessionStarted(): void {
    this.sessions += 1;
  }
  sessionEnded(): void {
    this.sessions -= 1;
  }
  login(result: LoginResult): void {
    this.logins.push(result);
  }
  authFailure(mechanism: AuthMechanism): void {
    this.authFailures.push(mechanism);
  }
  retrOctets(octets: number): void {
    this.retrOctetsTotal += octets;
  }
  readonly refusals: string[] = [];
  readonly lockouts: string[] = [];
  connectionRefused(reason: string): void {
    this.refusals.push(reason);
  }
  authLockout(scope: string): void {
    this.lockouts.push(scope);
  }
}

/** A command context over the in-memory stand-ins, in the AUTHORIZATION state. */
export function createHarness(settings: Partial<SessionSettings> = {}, services: { loginDelay?: LoginDelay } = {}) {
  const channel = new RecordingChannel();
  const mailbox = new InMemoryMailbox();
  const locks = new InMemoryLocks();
  const metrics = new CountingMetrics();
  const throttle = new InMemoryThrottle();
  const ctx: CommandContext = {
    session: newSessionState('session-1', '127.0.0.1:1', '127.0.0.1'),
    channel,
    mailbox,
    locks,
    metrics,
    throttle,
    loginDelay: services.loginDelay ?? noLoginDelay,
    log: createLogger('pop3-server-test', 'silent'),
    settings: {
      hostname: 'pop.example.test',
      folders: ['INBOX'],
      allowPlaintextAuth: true,
      tls: undefined,
      maxErrors: 10,
      apopEnabled: false,
      blockedReplyDelayMs: 0,
      ...settings,
    },
  };
  return { ctx, channel, mailbox, locks, metrics, throttle };
}

/** Runs `fn` and returns the `-ERR` line of the Pop3ResponseError it throws. */
export async function refusal(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof Pop3ResponseError) return error.toResponse();
    throw error;
  }
  throw new Error('expected a Pop3ResponseError');
}

/** A harness already in TRANSACTION for bob@example.test with these message bodies. */
export async function createLoggedInHarness(bodies: readonly string[], settings: Partial<SessionSettings> = {}) {
  const harness = createHarness(settings);
  harness.mailbox.addUser('bob@example.test', 'hungry', bodies);
  const { logInWithPassword } = await import('../commands/login');
  await logInWithPassword(harness.ctx, 'bob@example.test', 'hungry', 'pass');
  harness.channel.take();
  return harness;
}
