/**
 * What a command handler gets: the session's state, the connection, the
 * services it may call and the server's settings; and the handler type
 * itself. Handlers reply by writing to `channel` or by throwing
 * Pop3ResponseError, which the dispatcher turns into `-ERR` in one place.
 */
import type { LoginThrottle } from '@mail/login-limits';
import type { Pop3Command, Pop3CommandKind } from '@mail/pop3';
import type { TlsContextSource } from '@mail/runtime';
import type { Logger } from '@mail/telemetry';
import type { MailboxStoreClient } from '../maildrop/mailbox-store-client';
import type { LoginDelay } from '../auth/login-delay';
import type { MaildropLocks } from '../maildrop/maildrop-lock';
import type { Pop3Metrics } from '../metrics';
import type { SessionState } from './session-state';
import type { Pop3Channel } from './transport';

/** Server-wide settings that shape every session. */
export interface SessionSettings {
  /** Our name in the greeting and the sign-off (MAIL_HOSTNAME). */
  readonly hostname: string;
  /** Folders that make up the maildrop, in listing order. */
  readonly folders: readonly string[];
  /** Accept passwords on connections without TLS (POP3_ALLOW_PLAINTEXT_AUTH). */
  readonly allowPlaintextAuth: boolean;
  /** The TLS context of each STLS (the newest certificate, reloaded when renewed); undefined when no certificate is configured. */
  readonly tls: TlsContextSource | undefined;
  /** `-ERR` replies caused by the client after which the session is closed. */
  readonly maxErrors: number;
  /** Offer APOP (POP3_APOP_ENABLED): a timestamp in the greeting, digests checked by mailbox-store. */
  readonly apopEnabled: boolean;
  /** How long a login refused by the brute-force limits waits before its `-ERR` (POP3_AUTH_BLOCKED_DELAY). */
  readonly blockedReplyDelayMs: number;
  /** How long a login with wrong credentials waits before its `-ERR` (POP3_AUTH_FAILURE_DELAY); none when unset. */
  readonly failureReplyDelayMs?: number;
}

/** The services a session calls. */
export interface SessionServices {
  readonly mailbox: MailboxStoreClient;
  readonly locks: MaildropLocks;
  readonly metrics: Pop3Metrics;
  /** Brute-force limits on failed logins, shared by the replicas. */
  readonly throttle: LoginThrottle;
  /** RFC 2449 LOGIN-DELAY between a user's logins. */
  readonly loginDelay: LoginDelay;
}

/** Everything a command handler may use. */
export interface CommandContext extends SessionServices {
  readonly session: SessionState;
  readonly channel: Pop3Channel;
  readonly settings: SessionSettings;
  /** The session's logger (carries the session id); never give it a password. */
  readonly log: Logger;
}

/** What the session does after a command: read the next one, or close the connection. */
export type CommandOutcome = 'continue' | 'close';

/** The command of one kind. */
export type CommandOf<K extends Pop3CommandKind> = Extract<Pop3Command, { kind: K }>;

/** Runs one command; resolves to 'close' to end the session (QUIT). */
export type CommandHandler<K extends Pop3CommandKind> = (ctx: CommandContext, command: CommandOf<K>) => Promise<CommandOutcome | void>;
